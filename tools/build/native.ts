/**
 * Native build of libflowgen with CMake: Release into build/, or ASan/UBSan into
 * build-asan/. `ifStale` skips the build when no native input changed since the last
 * successful one (a stamp file in the build directory records it).
 *
 * @module
 */

import { hasCommand, log, ROOT, run } from "./run.ts";

/** Options of {@linkcode buildNative}. */
export interface NativeOptions {
  /** Build only when a native source or CMake file is newer than the last build. */
  ifStale?: boolean;
  /** ASan + UBSan debug build in build-asan/ instead of the Release build in build/. */
  sanitize?: boolean;
  /** Also build the GoogleTest suite (BUILD_TESTING=ON). */
  tests?: boolean;
  /** Extra arguments for the CMake configure step. */
  cmakeArgs?: string[];
}

/** File name of the shared library on the current OS. */
export function libraryFileName(os: string = Deno.build.os): string {
  if (os === "windows") return "flowgen.dll";
  if (os === "darwin") return "libflowgen.dylib";
  return "libflowgen.so";
}

/** Inputs whose changes require a rebuild (directories are walked). */
const INPUTS = ["CMakeLists.txt", "native", "tests/native", "examples/cpp", "bench/native"];
const STAMP = ".flowgen-build-stamp";

/** Builds libflowgen; returns the library's absolute path. */
export async function buildNative(opts: NativeOptions = {}): Promise<string> {
  const dir = `${ROOT}/${opts.sanitize ? "build-asan" : "build"}`;
  const lib = `${dir}/${libraryFileName()}`;
  const args = opts.cmakeArgs ?? [];
  if (opts.ifStale && !isStale(dir, lib, !!opts.tests, args)) {
    log(`libflowgen is up to date (${relative(lib)})`);
    return lib;
  }
  const configure = ["-S", ROOT, "-B", dir];
  if (await hasCommand("ninja")) configure.push("-G", "Ninja");
  if (opts.sanitize) {
    configure.push("-DCMAKE_BUILD_TYPE=Debug", "-DFLOWGEN_SANITIZE=ON");
  } else {
    configure.push("-DCMAKE_BUILD_TYPE=Release");
  }
  if (opts.tests) configure.push("-DBUILD_TESTING=ON");
  configure.push(...(opts.cmakeArgs ?? []));
  // Reconfiguring a directory made by another generator fails: start that one afresh.
  if (generatorMismatch(dir, configure.includes("Ninja"))) {
    log(`removing ${relative(dir)}/CMakeCache.txt (made by another CMake generator)`);
    Deno.removeSync(`${dir}/CMakeCache.txt`);
    Deno.removeSync(`${dir}/CMakeFiles`, { recursive: true });
  }
  await run("cmake", configure);
  await run("cmake", ["--build", dir, "--parallel"]);
  const stamp: Stamp = { tests: cacheValue(dir, "BUILD_TESTING") === "ON", args };
  Deno.writeTextFileSync(`${dir}/${STAMP}`, JSON.stringify(stamp));
  log(`built ${relative(lib)}`);
  return lib;
}

/** What the last successful build in a directory was configured with. */
interface Stamp {
  tests: boolean;
  args: string[];
}

function isStale(dir: string, lib: string, tests: boolean, args: string[]): boolean {
  const built = mtime(`${dir}/${STAMP}`);
  if (built === 0 || mtime(lib) === 0) return true;
  const stamp: Stamp = JSON.parse(Deno.readTextFileSync(`${dir}/${STAMP}`));
  // A build with the tests also serves a request without them, not the other way round.
  if ((tests && !stamp.tests) || JSON.stringify(stamp.args) !== JSON.stringify(args)) return true;
  return INPUTS.some((input) => newestMtime(`${ROOT}/${input}`) > built);
}

function generatorMismatch(dir: string, ninja: boolean): boolean {
  const made = cacheValue(dir, "CMAKE_GENERATOR");
  return made !== undefined && (made === "Ninja") !== ninja;
}

/** A variable's value in dir/CMakeCache.txt, undefined when absent. */
function cacheValue(dir: string, name: string): string | undefined {
  try {
    const cache = Deno.readTextFileSync(`${dir}/CMakeCache.txt`);
    return new RegExp(`^${name}:[A-Z]+=(.*)$`, "m").exec(cache)?.[1];
  } catch {
    return undefined;
  }
}

function mtime(path: string): number {
  try {
    return Deno.statSync(path).mtime?.getTime() ?? 0;
  } catch {
    return 0;
  }
}

function newestMtime(path: string): number {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    return 0;
  }
  let newest = info.mtime?.getTime() ?? 0;
  if (info.isDirectory) {
    for (const entry of Deno.readDirSync(path)) {
      newest = Math.max(newest, newestMtime(`${path}/${entry.name}`));
    }
  }
  return newest;
}

function relative(path: string): string {
  return path.startsWith(ROOT + "/") ? path.slice(ROOT.length + 1) : path;
}
