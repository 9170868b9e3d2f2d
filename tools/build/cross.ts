/**
 * Cross-compiles libflowgen with `zig c++` (Zig from the `ziglang` Python package) for
 * every platform of platforms.ts into prebuilt/<platform>/, and builds the static
 * `abi_driver` (tools/cross/abi_driver.cpp) for a target, used by tests/cross.test.ts to
 * compare the bytes an arm64 build produces under qemu with the x86-64 ones.
 *
 * @module
 */

import { PLATFORMS } from "./platforms.ts";
import { log, ROOT, run } from "./run.ts";

/** The zig command: `python3 -m ziglang`. */
const ZIG = ["python3", "-m", "ziglang"];

/**
 * Flags of every zig build. `-ffp-contract=off`: no fused multiply-add, so that arm64
 * (which has FMA) rounds floating point exactly like x86-64 (which, at baseline, does not).
 */
const COMMON = ["-std=c++17", "-O2", "-ffp-contract=off", "-Inative/include", "-Inative/src"];

/** The zig version, or undefined when `python3 -m ziglang` is not installed. */
export async function zigVersion(): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(ZIG[0], { args: [...ZIG.slice(1), "version"] }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
  } catch {
    return undefined;
  }
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
  const failed: string[] = [];
  for (const platform of platforms) {
    const dir = `${ROOT}/prebuilt/${platform.name}`;
    Deno.mkdirSync(dir, { recursive: true });
    const { code } = await run(ZIG[0], [
      ...ZIG.slice(1),
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
    else log(`built prebuilt/${platform.name}/${platform.library}`);
  }
  if (failed.length > 0) throw new Error(`cross-compile failed for ${failed.join(", ")}`);
  return platforms.map((p) => p.name);
}

/**
 * Builds the static abi_driver for a zig target (e.g. `aarch64-linux-musl`) into
 * build-cross/abi_driver-<target>; returns its path.
 */
export async function buildDriver(target: string): Promise<string> {
  const out = `${ROOT}/build-cross/abi_driver-${target}`;
  Deno.mkdirSync(`${ROOT}/build-cross`, { recursive: true });
  await run(ZIG[0], [
    ...ZIG.slice(1),
    "c++",
    "-target",
    target,
    ...COMMON,
    "-static",
    "-DFLOWGEN_STATIC",
    ...engineSources(),
    "tools/cross/abi_driver.cpp",
    "-o",
    out,
  ]);
  return out;
}
