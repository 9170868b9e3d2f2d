/**
 * The runtime-neutral interface to libflowgen that the rest of the TypeScript uses.
 *
 * A backend (Deno: `deno.ts`, Node: `node.ts` with koffi, Bun: `bun.ts` with `bun:ffi`)
 * opens the shared library and returns a {@linkcode NativeLibrary}: the functions of
 * {@linkcode SYMBOLS} with runtime-neutral types, plus a few helpers for pointers. Nothing
 * outside `src/native/` knows which runtime it is on.
 *
 * Value conventions, identical on every runtime:
 * - a handle or `const void*` result is a {@linkcode NativePointer} (opaque; `null` is NULL);
 * - a `"buffer"` parameter takes a typed array the caller owns (see {@linkcode cstr} for
 *   strings, {@linkcode PointerCell} for out-pointers);
 * - `u64`/`i64` parameters take a `bigint` (or a safe-integer `number`);
 * - other integers and floats are `number`s.
 *
 * @module
 */

import { createRequire } from "node:module";
import { statSync } from "node:fs";
import process from "node:process";
import { SYMBOLS, type SymbolTable } from "./ffi.ts";

/**
 * An opaque native pointer: a Deno `PointerObject`, a koffi external or a Bun address.
 * `null` stands for NULL on every runtime.
 */
export type NativePointer = object | number | null;

/** A `"buffer"` argument: memory owned by the caller, passed by address. */
export type BufferArg = ArrayBufferView<ArrayBuffer>;

/** The runtime-neutral JavaScript type of one ABI parameter type. */
export type ParamValue<T> = T extends "pointer" ? NativePointer
  : T extends "buffer" ? BufferArg | null
  : T extends "u64" | "i64" ? bigint | number
  : number;

/** The runtime-neutral JavaScript type of one ABI result type. */
export type ResultValue<T> = T extends "pointer" ? NativePointer
  : T extends "void" ? void
  : number;

/** The runtime-neutral JavaScript types of a parameter list. */
export type ParamValues<P> = { -readonly [K in keyof P]: ParamValue<P[K]> };

/** The functions of the ABI, typed for every runtime. */
export type FlowgenSymbols = {
  [K in keyof SymbolTable]: (
    ...args: ParamValues<SymbolTable[K]["parameters"]> & unknown[]
  ) => ResultValue<SymbolTable[K]["result"]>;
};

/** An opened libflowgen, as every backend exposes it. */
export interface NativeLibrary {
  /** The file the library was loaded from. */
  readonly path: string;
  /** The runtime the backend serves ("deno", "node", "bun"). */
  readonly runtime: string;
  /** The functions of flowgen.h. */
  readonly symbols: FlowgenSymbols;
  /**
   * A zero-copy view of `byteLength` bytes of native memory at `pointer`. The buffer is
   * valid as long as the memory is; never free memory a live view still covers.
   */
  view(pointer: NativePointer, byteLength: number): ArrayBuffer;
  /** Reads the NUL-terminated UTF-8 string at `pointer`; `""` for NULL. */
  cstring(pointer: NativePointer): string;
  /** Reads the pointer an out-parameter stored in `cell`; `null` for NULL. */
  readPointer(cell: PointerCell): NativePointer;
  /** True when `pointer` is NULL. */
  isNull(pointer: NativePointer): boolean;
  /** Unloads the library (only safe once no handle is alive). */
  close(): void;
}

/** A runtime: how to open a library file and query the environment. */
export interface RuntimeBackend {
  /** "deno", "node" or "bun". */
  readonly name: string;
  /** Opens the shared library at `path` (throws when it cannot be loaded). */
  open(path: string): NativeLibrary;
  /** True when `path` names an existing file. */
  fileExists(path: string): boolean;
  /** An environment variable, or undefined (also when reading it is not permitted). */
  env(name: string): string | undefined;
  /** `"linux"`, `"darwin"`, `"windows"`, ... */
  readonly os: string;
  /** `"x86_64"` / `"aarch64"` style names are normalized by the loader. */
  readonly arch: string;
}

/**
 * An 8-byte cell an out-parameter (`flowgen_generator** out`) writes a pointer into.
 * Pass it as the `"buffer"` argument, then read it with {@linkcode NativeLibrary.readPointer}.
 */
export type PointerCell = BigUint64Array<ArrayBuffer>;

/**
 * Allocates a {@linkcode PointerCell} holding NULL.
 *
 * @example
 * ```ts
 * import { pointerCell } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(pointerCell()[0], 0n);
 * ```
 */
export function pointerCell(): PointerCell {
  return new BigUint64Array(1);
}

const encoder = new TextEncoder();

/**
 * Encodes `text` as a NUL-terminated UTF-8 string for a `const char*` parameter.
 *
 * @example
 * ```ts
 * import { cstr } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals([...cstr("ab")], [97, 98, 0]);
 * ```
 */
export function cstr(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(text.length * 3 + 1);
  const { written } = encoder.encodeInto(text, bytes);
  return bytes.subarray(0, written + 1);
}

/**
 * Converts a u64 value read as two u32 halves (little-endian) to a number; exact below
 * 2^53.
 *
 * @example
 * ```ts
 * import { u64ToNumber } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(u64ToNumber(5, 1), 4294967301);
 * ```
 */
export function u64ToNumber(low: number, high: number): number {
  return high * 4294967296 + low;
}

/**
 * Converts a non-negative integer (number or bigint) to a bigint for a u64 parameter.
 *
 * @example
 * ```ts
 * import { toU64 } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(toU64(7), 7n);
 * ```
 */
export function toU64(value: number | bigint): bigint {
  const big = typeof value === "bigint" ? value : BigInt(Math.trunc(value));
  if (big < 0n || big > 0xffff_ffff_ffff_ffffn) {
    throw new RangeError(`Expected an unsigned 64-bit integer, got ${value}`);
  }
  return big;
}

/**
 * The symbol table in a runtime's own type names: `make(name, result, parameters)` for each
 * function, with every ABI type name translated through `types` (a TypeError names the
 * first one `types` lacks).
 *
 * @example
 * ```ts
 * import { declareSymbols } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const types = new Proxy({}, { get: (_, name) => String(name).toUpperCase() });
 * const table = declareSymbols("test", types, (_name, result) => result);
 * assertEquals(table.flowgen_abi_version, "U32");
 * ```
 */
export function declareSymbols<T>(
  runtime: string,
  types: Record<string, string>,
  make: (name: string, result: string, parameters: string[]) => T,
): Record<string, T> {
  const type = (name: string): string => {
    const mapped = types[name];
    if (mapped === undefined) throw new TypeError(`No ${runtime} type for FFI type ${name}`);
    return mapped;
  };
  const table: Record<string, T> = {};
  for (const [name, { parameters, result }] of Object.entries(SYMBOLS)) {
    table[name] = make(name, type(result), parameters.map(type));
  }
  return table;
}

/**
 * A CommonJS module (`koffi`, `bun:ffi`) required on first call, so that importing a backend
 * costs nothing and the library needs no top-level await.
 *
 * @example
 * ```ts
 * import { lazyRequire } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const path = lazyRequire<{ sep: string }>("node:path");
 * assertEquals(path().sep, "/");
 * ```
 */
export function lazyRequire<T>(id: string): () => T {
  let module: T | undefined;
  return () => module ??= createRequire(import.meta.url)(id) as T;
}

/**
 * The parts of a {@linkcode NativeLibrary} every backend answers the same way: NULL and
 * empty views, NULL strings, NULL checks. `view` and `cstring` see non-NULL pointers only.
 */
export function nativeLibrary(parts: {
  path: string;
  runtime: string;
  symbols: unknown;
  view(pointer: NonNullable<NativePointer>, byteLength: number): ArrayBuffer;
  cstring(pointer: NonNullable<NativePointer>): string;
  readPointer(cell: PointerCell): NativePointer;
  close(): void;
}): NativeLibrary {
  return {
    path: parts.path,
    runtime: parts.runtime,
    symbols: parts.symbols as FlowgenSymbols,
    view(pointer: NativePointer, byteLength: number): ArrayBuffer {
      if (byteLength === 0 || pointer === null) return new ArrayBuffer(0);
      return parts.view(pointer, byteLength);
    },
    cstring(pointer: NativePointer): string {
      return pointer === null ? "" : parts.cstring(pointer);
    },
    readPointer: parts.readPointer,
    isNull(pointer: NativePointer): boolean {
      return pointer === null;
    },
    close: parts.close,
  };
}

/**
 * Node's `process.platform` in the `Deno.build.os` names the loader uses.
 *
 * @example
 * ```ts
 * import { denoOs } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(denoOs("win32"), "windows");
 * ```
 */
export function denoOs(platform: string): string {
  return platform === "win32" ? "windows" : platform;
}

/**
 * Node's `process.arch` in the `Deno.build.arch` names the loader uses.
 *
 * @example
 * ```ts
 * import { denoArch } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(denoArch("arm64"), "aarch64");
 * ```
 */
export function denoArch(arch: string): string {
  return arch === "x64" ? "x86_64" : arch === "arm64" ? "aarch64" : arch;
}

/**
 * A {@linkcode RuntimeBackend} on `node:process` and `node:fs`, as Node and Bun have them;
 * `open` is the runtime's own.
 *
 * @example
 * ```ts
 * import { processBackend } from "./backend.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const backend = processBackend("test", () => {
 *   throw new Error("not opened here");
 * });
 * assertEquals(backend.fileExists("./no/such/file"), false);
 * ```
 */
export function processBackend(
  name: string,
  open: (path: string) => NativeLibrary,
): RuntimeBackend {
  return {
    name,
    open,
    fileExists(path: string): boolean {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    },
    env(variable: string): string | undefined {
      return process.env[variable];
    },
    os: denoOs(process.platform),
    arch: denoArch(process.arch),
  };
}
