/**
 * The Node backend: opens libflowgen with koffi (from npm) and reads native memory with
 * `koffi.view`. koffi is loaded synchronously through `createRequire` when the library is
 * first opened, so importing this module costs nothing and needs no top-level await.
 *
 * koffi represents pointers as BigInt addresses (`null` for NULL); they stay opaque
 * {@linkcode NativePointer}s to the rest of the code.
 *
 * @module
 */

import { createRequire } from "node:module";
import { statSync } from "node:fs";
import process from "node:process";
import { SYMBOLS } from "./ffi.ts";
import type {
  FlowgenSymbols,
  NativeLibrary,
  NativePointer,
  PointerCell,
  RuntimeBackend,
} from "./backend.ts";

/** The part of koffi's API this backend uses. */
interface Koffi {
  load(path: string): KoffiLibrary;
  view(pointer: unknown, length: number): ArrayBuffer;
  decode: { string(pointer: unknown): string };
}

interface KoffiLibrary {
  func(name: string, result: string, parameters: string[]): (...args: unknown[]) => unknown;
  unload(): void;
}

/** koffi's C type for each type name of the symbol table. */
const KOFFI_TYPES: Record<string, string> = {
  void: "void",
  u8: "uint8_t",
  i8: "int8_t",
  u16: "uint16_t",
  i16: "int16_t",
  u32: "uint32_t",
  i32: "int32_t",
  u64: "uint64_t",
  i64: "int64_t",
  f32: "float",
  f64: "double",
  pointer: "void *",
  buffer: "void *",
};

function koffiType(name: string): string {
  const type = KOFFI_TYPES[name];
  if (type === undefined) throw new TypeError(`No koffi type for FFI type ${name}`);
  return type;
}

let koffiModule: Koffi | undefined;

function koffi(): Koffi {
  koffiModule ??= createRequire(import.meta.url)("koffi") as Koffi;
  return koffiModule;
}

/**
 * Opens the library at `path` with koffi.
 *
 * @example
 * ```ts ignore
 * import { openNodeLibrary } from "./node.ts";
 *
 * const lib = openNodeLibrary("build/libflowgen.so");
 * console.log(lib.symbols.flowgen_abi_version());
 * lib.close();
 * ```
 */
export function openNodeLibrary(path: string): NativeLibrary {
  const k = koffi();
  const lib = k.load(path);
  const symbols: Record<string, unknown> = {};
  for (const [name, { parameters, result }] of Object.entries(SYMBOLS)) {
    symbols[name] = lib.func(name, koffiType(result), parameters.map(koffiType));
  }
  return {
    path,
    runtime: "node",
    symbols: symbols as FlowgenSymbols,
    view(pointer: NativePointer, byteLength: number): ArrayBuffer {
      if (byteLength === 0 || pointer === null) return new ArrayBuffer(0);
      return k.view(pointer, byteLength);
    },
    cstring(pointer: NativePointer): string {
      return pointer === null ? "" : k.decode.string(pointer);
    },
    readPointer(cell: PointerCell): NativePointer {
      // koffi pointers are BigInt addresses.
      return cell[0] === 0n ? null : cell[0] as unknown as NativePointer;
    },
    isNull(pointer: NativePointer): boolean {
      return pointer === null;
    },
    close(): void {
      lib.unload();
    },
  };
}

/** Node's `process.platform` in the `Deno.build.os` names the loader uses. */
export function denoOs(platform: string): string {
  return platform === "win32" ? "windows" : platform;
}

/** Node's `process.arch` in the `Deno.build.arch` names the loader uses. */
export function denoArch(arch: string): string {
  return arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch;
}

/**
 * The Node {@linkcode RuntimeBackend} (koffi). Also works on Bun, but Bun has its own,
 * faster one in `bun.ts`.
 *
 * @example
 * ```ts
 * import { nodeBackend } from "./node.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(nodeBackend().name, "node");
 * ```
 */
export function nodeBackend(): RuntimeBackend {
  return {
    name: "node",
    open: openNodeLibrary,
    fileExists,
    env(name: string): string | undefined {
      return process.env[name];
    },
    os: denoOs(process.platform),
    arch: denoArch(process.arch),
  };
}

/** True when `path` names an existing file (shared by the Node and Bun backends). */
export function fileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
