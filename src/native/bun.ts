/**
 * The Bun backend: opens libflowgen with `bun:ffi` and reads native memory with
 * `toArrayBuffer`. `bun:ffi` is required when the library is first opened, so importing
 * this module costs nothing and it type-checks on every runtime (no `bun:ffi` types
 * needed).
 *
 * Bun represents pointers as number addresses (`null` for NULL); they stay opaque
 * {@linkcode NativePointer}s to the rest of the code.
 *
 * @module
 */

import {
  declareSymbols,
  lazyRequire,
  type NativeLibrary,
  nativeLibrary,
  type NativePointer,
  type PointerCell,
  processBackend,
  type RuntimeBackend,
} from "./backend.ts";

/** A function declaration in `bun:ffi`'s terms. */
interface BunDeclaration {
  args: string[];
  returns: string;
}

/** The part of `bun:ffi` this backend uses. */
interface BunFfi {
  dlopen(
    path: string,
    symbols: Record<string, BunDeclaration>,
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

const bunFfi = lazyRequire<BunFfi>("bun:ffi");

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
  const declarations = declareSymbols(
    "bun:ffi",
    BUN_TYPES,
    (_name, returns, args): BunDeclaration => ({ args, returns }),
  );
  const lib = ffi.dlopen(path, declarations);
  return nativeLibrary({
    path,
    runtime: "bun",
    symbols: lib.symbols,
    view: (pointer, byteLength) => ffi.toArrayBuffer(pointer as number, 0, byteLength),
    cstring: (pointer) => new ffi.CString(pointer as number).toString(),
    readPointer: (cell: PointerCell): NativePointer => cell[0] === 0n ? null : Number(cell[0]),
    close: () => lib.close(),
  });
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
  return processBackend("bun", openBunLibrary);
}
