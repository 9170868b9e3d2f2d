/**
 * The Node backend: opens libflowgen with koffi (from npm) and reads native memory with
 * `koffi.view`. koffi is required when the library is first opened, so importing this
 * module costs nothing and needs no top-level await.
 *
 * koffi represents pointers as BigInt addresses (`null` for NULL); they stay opaque
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

const koffi = lazyRequire<Koffi>("koffi");

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
  return nativeLibrary({
    path,
    runtime: "node",
    symbols: declareSymbols(
      "koffi",
      KOFFI_TYPES,
      (name, result, parameters) => lib.func(name, result, parameters),
    ),
    view: (pointer, byteLength) => k.view(pointer, byteLength),
    cstring: (pointer) => k.decode.string(pointer),
    // koffi pointers are BigInt addresses.
    readPointer: (cell: PointerCell): NativePointer =>
      cell[0] === 0n ? null : cell[0] as unknown as NativePointer,
    close: () => lib.unload(),
  });
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
  return processBackend("node", openNodeLibrary);
}
