/**
 * The Deno backend: opens libflowgen with `Deno.dlopen` and reads native memory with
 * `Deno.UnsafePointerView`. Nothing here runs at import time, so the module can be
 * imported (not used) on other runtimes.
 *
 * @module
 */

import { SYMBOLS } from "./ffi.ts";
import type {
  FlowgenSymbols,
  NativeLibrary,
  NativePointer,
  PointerCell,
  RuntimeBackend,
} from "./backend.ts";

function asPointer(pointer: NativePointer): Deno.PointerValue {
  return pointer as Deno.PointerValue;
}

/**
 * Opens the library at `path` with `Deno.dlopen` (needs `--allow-ffi`).
 *
 * @example
 * ```ts ignore
 * import { openDenoLibrary } from "./deno.ts";
 *
 * const lib = openDenoLibrary("build/libflowgen.so");
 * console.log(lib.symbols.flowgen_abi_version());
 * lib.close();
 * ```
 */
export function openDenoLibrary(path: string): NativeLibrary {
  const lib = Deno.dlopen(path, SYMBOLS);
  return {
    path,
    runtime: "deno",
    symbols: lib.symbols as unknown as FlowgenSymbols,
    view(pointer: NativePointer, byteLength: number): ArrayBuffer {
      if (byteLength === 0) return new ArrayBuffer(0);
      return Deno.UnsafePointerView.getArrayBuffer(
        asPointer(pointer) as Deno.PointerObject,
        byteLength,
      );
    },
    cstring(pointer: NativePointer): string {
      if (pointer === null) return "";
      return Deno.UnsafePointerView.getCString(asPointer(pointer) as Deno.PointerObject);
    },
    readPointer(cell: PointerCell): NativePointer {
      return Deno.UnsafePointer.create(cell[0]);
    },
    isNull(pointer: NativePointer): boolean {
      return pointer === null;
    },
    close(): void {
      lib.close();
    },
  };
}

function osName(): string {
  return Deno.build.os;
}

/**
 * The Deno {@linkcode RuntimeBackend}.
 *
 * @example
 * ```ts
 * import { denoBackend } from "./deno.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(denoBackend().name, "deno");
 * ```
 */
export function denoBackend(): RuntimeBackend {
  return {
    name: "deno",
    open: openDenoLibrary,
    fileExists(path: string): boolean {
      try {
        return Deno.statSync(path).isFile;
      } catch {
        return false;
      }
    },
    env(name: string): string | undefined {
      try {
        return Deno.env.get(name);
      } catch {
        return undefined;
      }
    },
    os: osName(),
    arch: Deno.build.arch,
  };
}
