/**
 * Versions of the module and of the loaded engine.
 *
 * @module
 */

import { loadLibrary } from "./native/loader.ts";

/** The module's version (also `deno.json`'s). */
export const VERSION = "0.1.0";

/**
 * The version and path of the loaded libflowgen (loading it if needed).
 *
 * @example
 * ```ts
 * import { libraryVersion } from "./version.ts";
 *
 * const { version, path } = libraryVersion();
 * console.log(`libflowgen ${version} from ${path}`);
 * ```
 */
export function libraryVersion(): { version: string; abi: number; path: string } {
  const lib = loadLibrary();
  return {
    version: lib.cstring(lib.symbols.flowgen_version()),
    abi: lib.symbols.flowgen_abi_version(),
    path: lib.path,
  };
}
