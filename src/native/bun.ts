/**
 * The Bun backend: opens libflowgen with `bun:ffi` and reads native memory with
 * `toArrayBuffer`. `bun:ffi` is loaded synchronously through `createRequire` when the
 * library is first opened, so importing this module costs nothing and it type-checks on
 * every runtime (no `bun:ffi` types needed).
 *
 * Bun represents pointers as number addresses (`null` for NULL); they stay opaque
 * {@linkcode NativePointer}s to the rest of the code.
 *
 * @module
 */

import { createRequire } from "node:module";
import process from "node:process";
import { SYMBOLS } from "./ffi.ts";
import { denoArch, denoOs, fileExists } from "./node.ts";
import type {
  FlowgenSymbols,
  NativeLibrary,
  NativePointer,
  PointerCell,
  RuntimeBackend,
} from "./backend.ts";

/** The part of `bun:ffi` this backend uses. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, { args: string[]; returns: string }>,
  ): { symbols: Record<string, unknown>; close(): void };
  toArrayBuffer(pointer: number, offset: number, length: number): ArrayBuffer;
  CString: new (pointer: number) => { toString(): string };
}

/** `bun:ffi`'s type for each type name of the symbol table. */
const BUN_TYPES: Record<string, string> = {
  void: "void",
  u8: "u8",
  i8: "i8",
  u16: "u16",
  i16: "i16",
  u32: "u32",
  i32: "i32",
  u64: "u64",
  i64: "i64",
  f32: "f32",
  f64: "f64",
  pointer: "ptr",
  buffer: "ptr",
};

function bunType(name: string): string {
  const type = BUN_TYPES[name];
  if (type === undefined) throw new TypeError(`No bun:ffi type for FFI type ${name}`);
  return type;
}

let ffiModule: BunFfi | undefined;

function bunFfi(): BunFfi {
  ffiModule ??= createRequire(import.meta.url)("bun:ffi") as BunFfi;
  return ffiModule;
}

/**
 * Opens the library at `path` with `bun:ffi`.
 *
 * @example
 * ```ts ignore
 * import { openBunLibrary } from "./bun.ts";
 *
 * const lib = openBunLibrary("build/libflowgen.so");
 * console.log(lib.symbols.flowgen_abi_version());
 * lib.close();
 * ```
 */
export function openBunLibrary(path: string): NativeLibrary {
  const ffi = bunFfi();
  const declarations: Record<string, { args: string[]; returns: string }> = {};
  for (const [name, { parameters, result }] of Object.entries(SYMBOLS)) {
    declarations[name] = { args: parameters.map(bunType), returns: bunType(result) };
  }
  const lib = ffi.dlopen(path, declarations);
  return {
    path,
    runtime: "bun",
    symbols: lib.symbols as FlowgenSymbols,
    view(pointer: NativePointer, byteLength: number): ArrayBuffer {
      if (byteLength === 0 || pointer === null) return new ArrayBuffer(0);
      return ffi.toArrayBuffer(pointer as number, 0, byteLength);
    },
    cstring(pointer: NativePointer): string {
      return pointer === null ? "" : new ffi.CString(pointer as number).toString();
    },
    readPointer(cell: PointerCell): NativePointer {
      return cell[0] === 0n ? null : Number(cell[0]);
    },
    isNull(pointer: NativePointer): boolean {
      return pointer === null;
    },
    close(): void {
      lib.close();
    },
  };
}

/**
 * The Bun {@linkcode RuntimeBackend} (`bun:ffi`).
 *
 * @example
 * ```ts
 * import { bunBackend } from "./bun.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(bunBackend().name, "bun");
 * ```
 */
export function bunBackend(): RuntimeBackend {
  return {
    name: "bun",
    open: openBunLibrary,
    fileExists,
    env(name: string): string | undefined {
      return process.env[name];
    },
    os: denoOs(process.platform),
    arch: denoArch(process.arch),
  };
}
