/**
 * Cross-compiles libflowgen with `zig c++` (Zig from the `ziglang` Python package) for
 * every platform of platforms.ts into prebuilt/<platform>/, and builds
 * `abi_driver` (tools/cross/abi_driver.cpp) against a built library, which
 * tests/cross.test.ts runs (the arm64 one under qemu) to compare the bytes.
 *
 * @module
 */

import { type Platform, PLATFORMS } from "./platforms.ts";
import { log, ROOT, run } from "./run.ts";
import { findZig } from "./zig.ts";

/**
 * Flags of every zig build. `-ffp-contract=off`: no fused multiply-add, so that arm64
 * (which has FMA) rounds floating point exactly like x86-64 (which, at baseline, does not).
 */
const COMMON = ["-std=c++17", "-O2", "-ffp-contract=off", "-Inative/include", "-Inative/src"];

/** The zig version, or undefined when no zig is found (see zig.ts). */
export async function zigVersion(): Promise<string | undefined> {
  return (await findZig())?.version;
}

async function zig(): Promise<string[]> {
  const found = await findZig();
  if (!found) throw new Error("zig not found (run tools/setup.sh, or `pip install ziglang`)");
  return found.command;
}

/** The engine's C++ sources, relative to the repository root, sorted. */
export function engineSources(): string[] {
  return [...Deno.readDirSync(`${ROOT}/native/src`)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".cpp"))
    .map((entry) => `native/src/${entry.name}`)
    .sort();
}

/** Options of {@linkcode buildCross}. */
export interface CrossOptions {
  /** Platform names to build (default: all of platforms.ts). */
  only?: string[];
  /** Where the `<platform>/` directories go (default: prebuilt/ at the root). */
  outDir?: string;
}

/**
 * Builds prebuilt/<platform>/<library> for each platform; returns the platforms built, or
 * an empty list (after saying so) when zig is not installed.
 */
export async function buildCross(opts: CrossOptions = {}): Promise<string[]> {
  const version = await zigVersion();
  if (version === undefined) {
    log(
      "SKIPPED cross-compile: zig not found (install it with `pip install ziglang`, " +
        "or run tools/setup.sh)",
    );
    return [];
  }
  const platforms = PLATFORMS.filter((p) => !opts.only || opts.only.includes(p.name));
  const unknown = (opts.only ?? []).filter((name) => !PLATFORMS.some((p) => p.name === name));
  if (unknown.length > 0) throw new Error(`unknown platform(s): ${unknown.join(", ")}`);
  log(`cross-compiling libflowgen with zig ${version}`);
  const zigCommand = await zig();
  const outDir = opts.outDir ?? `${ROOT}/prebuilt`;
  const failed: string[] = [];
  for (const platform of platforms) {
    const dir = `${outDir}/${platform.name}`;
    Deno.mkdirSync(dir, { recursive: true });
    const { code } = await run(zigCommand[0], [
      ...zigCommand.slice(1),
      "c++",
      "-target",
      platform.zigTarget,
      ...COMMON,
      "-shared",
      "-fPIC",
      "-fvisibility=hidden",
      "-DFLOWGEN_BUILDING",
      "-s", // strip: the libraries ship in the npm package
      ...platform.flags,
      ...engineSources(),
      "-o",
      `${dir}/${platform.library}`,
    ], { allowFailure: true });
    if (code !== 0) failed.push(platform.name);
    else log(`built ${dir}/${platform.library}`);
  }
  if (failed.length > 0) throw new Error(`cross-compile failed for ${failed.join(", ")}`);
  return platforms.map((p) => p.name);
}

/**
 * Builds tools/cross/abi_driver.cpp for a Linux platform, linked against the libflowgen in
 * `libDir` (found through an `$ORIGIN` rpath: the driver goes into `libDir` too); returns
 * the driver's path.
 */
export async function buildDriver(platform: Platform, libDir: string): Promise<string> {
  const zigCommand = await zig();
  const out = `${libDir}/abi_driver`;
  await run(zigCommand[0], [
    ...zigCommand.slice(1),
    "c++",
    "-target",
    platform.zigTarget,
    ...COMMON,
    "tools/cross/abi_driver.cpp",
    `-L${libDir}`,
    "-lflowgen",
    "-Wl,-rpath,$ORIGIN",
    "-o",
    out,
  ]);
  return out;
}
