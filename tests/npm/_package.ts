// Builds the npm package, packs it with `npm pack` and installs the tarball into a fresh
// project (.cache/npm-test/project) the way a user would, for the Node and Bun tests.
// Reused while no input is newer than the tarball (each test file runs in its own
// isolate, so the memo is on disk).

import { fileURLToPath } from "node:url";

/** The repository root (no trailing slash). */
export const ROOT: string = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const WORK = `${ROOT}/.cache/npm-test`;
/** The installed test project. */
export const PROJECT = `${WORK}/project`;
/** Pinned versions of the test project's own dependencies. */
const TEST_DEPENDENCIES: Record<string, string> = {
  "@deno/shim-deno": "0.19.2",
  "csv-parse": "5.6.0",
  "ajv": "8.17.1",
};
/** Inputs of the package: a change in any of them means build and pack again. */
const INPUTS = ["mod.ts", "src", "configs", "deno.json", "tools/build", "build", "prebuilt"];

/** Runs a command; throws with its output when it fails. */
export async function sh(cmd: string, args: string[], cwd = ROOT): Promise<string> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}):\n${text}\n${err}`);
  }
  return text;
}

function newest(path: string): number {
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path);
  } catch {
    return 0;
  }
  let time = info.mtime?.getTime() ?? 0;
  if (info.isDirectory) {
    for (const entry of Deno.readDirSync(path)) {
      time = Math.max(time, newest(`${path}/${entry.name}`));
    }
  }
  return time;
}

function tarballOf(dir: string): string | undefined {
  try {
    return [...Deno.readDirSync(dir)].find((e) => e.name.endsWith(".tgz"))?.name;
  } catch {
    return undefined;
  }
}

/**
 * Returns the test project directory, with `flowgen` installed from the packed tarball
 * (plus the shim and parsers the tests use).
 */
export async function preparePackage(): Promise<string> {
  const tarball = tarballOf(WORK);
  const installed = newest(`${PROJECT}/node_modules/flowgen/package.json`);
  const stale = INPUTS.some((input) => newest(`${ROOT}/${input}`) > installed);
  if (tarball && installed > 0 && !stale) return PROJECT;

  await Deno.remove(WORK, { recursive: true }).catch(() => {});
  Deno.mkdirSync(PROJECT, { recursive: true });
  await sh("deno", ["run", "-A", "build.ts", "--if-stale"]);
  await sh("deno", ["run", "-A", "build.ts", "npm", "--no-cross"]);
  await sh("npm", ["pack", `${ROOT}/npm`, "--pack-destination", WORK]);
  const packed = tarballOf(WORK);
  if (!packed) throw new Error("npm pack produced no tarball");
  const manifest = {
    private: true,
    type: "module",
    dependencies: { flowgen: `file:../${packed}`, ...TEST_DEPENDENCIES },
  };
  Deno.writeTextFileSync(`${PROJECT}/package.json`, JSON.stringify(manifest, null, 2));
  await sh("npm", ["install", "--no-audit", "--no-fund"], PROJECT);
  return PROJECT;
}

/** True when `cmd args` runs successfully (a tool is installed). */
export async function hasTool(cmd: string, args = ["--version"]): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

/** The pinned bun from .cache/tools (tools/setup.sh installs it). */
export const BUN = `${ROOT}/.cache/tools/node_modules/.bin/bun`;
