/**
 * Finds, opens and checks libflowgen, once per process.
 *
 * Search order:
 * 1. the file named by the `FLOWGEN_LIB` environment variable, if set (nothing else is
 *    tried then);
 * 2. the local build next to this module: `build/libflowgen.so` (`.dylib`, `flowgen.dll`)
 *    at the repository root, resolved from `import.meta.url` (never the current directory)
 *    — `deno task build` puts it there;
 * 3. a prebuilt library shipped with the package: `prebuilt/<platform>/`.
 *
 * The library's `flowgen_abi_version()` must equal {@linkcode FLOWGEN_ABI_VERSION}. Every
 * failure is one {@linkcode LibraryError} saying what to run.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { FLOWGEN_ABI_VERSION } from "./ffi.ts";
import type { NativeLibrary, RuntimeBackend } from "./backend.ts";
import { denoBackend } from "./deno.ts";
import { nodeBackend } from "./node.ts";
import { bunBackend } from "./bun.ts";
import { LibraryError } from "../errors.ts";

let backend: RuntimeBackend | undefined;
let library: NativeLibrary | undefined;

/**
 * Installs the backend used on this runtime, instead of the one detected (Deno, Bun, or
 * Node).
 *
 * @example
 * ```ts
 * import { setRuntimeBackend } from "./loader.ts";
 * import { denoBackend } from "./deno.ts";
 *
 * setRuntimeBackend(denoBackend());
 * ```
 */
export function setRuntimeBackend(runtime: RuntimeBackend): void {
  backend = runtime;
}

function runtimeBackend(): RuntimeBackend {
  if (backend) return backend;
  if ("Bun" in globalThis) backend = bunBackend();
  else if ("Deno" in globalThis) backend = denoBackend();
  else if ((globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node) {
    backend = nodeBackend();
  } else {
    throw new LibraryError("FlowGen runs on Deno, Node (>= 20) and Bun; this runtime is none");
  }
  return backend;
}

/**
 * The shared library's file name on an OS (`Deno.build.os` names).
 *
 * @example
 * ```ts
 * import { libraryFileName } from "./loader.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(libraryFileName("darwin"), "libflowgen.dylib");
 * ```
 */
export function libraryFileName(os: string): string {
  if (os === "windows") return "flowgen.dll";
  if (os === "darwin") return "libflowgen.dylib";
  return "libflowgen.so";
}

/**
 * Names of the prebuilt platform directories for an OS and CPU, most specific first:
 * `linux-x64-gnu`, `linux-x64`, `macos-arm64`, `windows-x64`, ...
 *
 * @example
 * ```ts
 * import { platformDirectories } from "./loader.ts";
 * import { deepStrictEqual } from "node:assert";
 *
 * deepStrictEqual(platformDirectories("linux", "x86_64"), ["linux-x64-gnu", "linux-x64"]);
 * deepStrictEqual(platformDirectories("darwin", "aarch64"), ["macos-arm64"]);
 * ```
 */
export function platformDirectories(os: string, arch: string): string[] {
  const cpu = arch === "x86_64" || arch === "x64"
    ? "x64"
    : arch === "aarch64" || arch === "arm64"
    ? "arm64"
    : arch;
  const system = os === "darwin" ? "macos" : os === "win32" ? "windows" : os;
  const base = `${system}-${cpu}`;
  return system === "linux" ? [`${base}-gnu`, base] : [base];
}

function moduleFile(relativePath: string): string | undefined {
  const url = new URL(relativePath, import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : undefined;
}

/**
 * The candidate library paths, in search order (without `FLOWGEN_LIB`).
 *
 * @example
 * ```ts
 * import { libraryCandidates } from "./loader.ts";
 * import assert from "node:assert/strict";
 *
 * assert(libraryCandidates("linux", "x86_64")[0].endsWith("/build/libflowgen.so"));
 * ```
 */
export function libraryCandidates(os: string, arch: string): string[] {
  const name = libraryFileName(os);
  const candidates = [`../../build/${name}`];
  for (const dir of platformDirectories(os, arch)) candidates.push(`../../prebuilt/${dir}/${name}`);
  return candidates.map(moduleFile).filter((path): path is string => path !== undefined);
}

function rootHint(): string {
  const root = moduleFile("../../");
  return root ? ` in ${root}` : "";
}

function openChecked(runtime: RuntimeBackend, path: string): NativeLibrary {
  let lib: NativeLibrary;
  try {
    lib = runtime.open(path);
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new LibraryError(
      `Cannot load libflowgen from ${path}: ${why}\n` +
        `Rebuild it with \`deno task build\`${rootHint()}, or set FLOWGEN_LIB to a working library.`,
      { cause },
    );
  }
  const abi = lib.symbols.flowgen_abi_version();
  if (abi !== FLOWGEN_ABI_VERSION) {
    lib.close();
    throw new LibraryError(
      `libflowgen at ${path} has ABI version ${abi}, but this module needs version ` +
        `${FLOWGEN_ABI_VERSION}: rebuild it with \`deno task build\`${rootHint()}.`,
    );
  }
  return lib;
}

/**
 * The error when no library is found: the platform that has none (no prebuilt library ships
 * for it, or this copy of the module carries none), where the loader looked, and what to
 * do. `checkout` is the module's source checkout when its build script is there (then
 * `deno task build` works), else undefined (an npm or JSR install: build from the sources).
 *
 * @example
 * ```ts
 * import { notFoundMessage } from "./loader.ts";
 * import assert from "node:assert/strict";
 *
 * const npm = notFoundMessage("linux-riscv64-gnu", ["/p/prebuilt/linux-riscv64-gnu/libflowgen.so"]);
 * assert(npm.startsWith("no libflowgen for linux-riscv64-gnu"));
 * assert(npm.includes("FLOWGEN_LIB") && !npm.includes("deno task build"));
 * assert(notFoundMessage("linux-x64-gnu", [], "/src/flowgen/").includes("`deno task build` in /src"));
 * ```
 */
export function notFoundMessage(
  platform: string,
  looked: string[],
  checkout?: string,
): string {
  const where = looked.length > 0 ? looked.join(", ") : "nowhere next to the module";
  const remedy = checkout !== undefined
    ? `build it with \`deno task build\` in ${checkout} (needs CMake and a C++17 compiler)`
    : "build libflowgen from the FlowGen sources (CMake and a C++17 compiler; see its README)";
  return `no libflowgen for ${platform} (looked for ${where}): no prebuilt library ships for ` +
    `this platform, or this copy of the module carries none. To run here, ${remedy}, and set ` +
    `FLOWGEN_LIB to its path if it is not in one of those places.`;
}

/**
 * Finds the library, opens it, checks its ABI version; the same library on every call.
 *
 * @example
 * ```ts
 * import { loadLibrary } from "./loader.ts";
 *
 * const lib = loadLibrary();
 * console.log(lib.cstring(lib.symbols.flowgen_version()));
 * ```
 */
export function loadLibrary(): NativeLibrary {
  if (library) return library;
  const runtime = runtimeBackend();
  const explicit = runtime.env("FLOWGEN_LIB");
  if (explicit !== undefined && explicit !== "") {
    if (!runtime.fileExists(explicit)) {
      throw new LibraryError(
        `FLOWGEN_LIB names ${explicit}, which does not exist: fix the variable, or unset it ` +
          `and run \`deno task build\`${rootHint()}.`,
      );
    }
    library = openChecked(runtime, explicit);
    return library;
  }
  const candidates = libraryCandidates(runtime.os, runtime.arch);
  const found = candidates.find((path) => runtime.fileExists(path));
  if (found === undefined) {
    const checkout = moduleFile("../../build.ts");
    throw new LibraryError(
      notFoundMessage(
        platformDirectories(runtime.os, runtime.arch)[0],
        candidates,
        checkout !== undefined && runtime.fileExists(checkout) ? moduleFile("../../") : undefined,
      ),
    );
  }
  library = openChecked(runtime, found);
  return library;
}
