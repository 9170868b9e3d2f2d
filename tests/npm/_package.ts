// Builds the npm package, packs it with `npm pack` and installs the tarball into a fresh
// project (.cache/npm-test/p-<time>/project) the way a user would, for the Node and Bun
// tests and the runtime benchmarks. Reused while no input is newer than the install (each
// test file runs in its own process, so the memo is on disk: .cache/npm-test/current
// names the latest project). A new build goes to a new directory, so a suite still
// running on the previous one is not disturbed.

import { fileURLToPath } from "node:url";

/** The repository root (no trailing slash). */
export const ROOT: string = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
const WORK = `${ROOT}/.cache/npm-test`;
const CURRENT = `${WORK}/current`;
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

/**
 * Returns the test project directory, with `flowgen` installed from the packed tarball
 * (plus the shim and parsers the tests use).
 */
export async function preparePackage(): Promise<string> {
  const release = await lock(`${ROOT}/.cache/npm-test.lock`);
  try {
    return await prepareLocked();
  } finally {
    release();
  }
}

/**
 * A lock between processes (test files run in parallel processes, and a developer may run
 * two suites at once): a directory created atomically; one older than 20 minutes is stale.
 */
async function lock(path: string): Promise<() => void> {
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  for (;;) {
    try {
      Deno.mkdirSync(path);
      return () => Deno.removeSync(path);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
      const age = Date.now() - (Deno.statSync(path).mtime?.getTime() ?? 0);
      if (age > 20 * 60_000) Deno.removeSync(path);
      else await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

async function prepareLocked(): Promise<string> {
  let current = "";
  try {
    current = Deno.readTextFileSync(CURRENT).trim();
  } catch {
    // first run
  }
  const installed = current ? newest(`${current}/node_modules/flowgen/package.json`) : 0;
  const stale = INPUTS.some((input) => newest(`${ROOT}/${input}`) > installed);
  if (installed > 0 && !stale) return current;

  removeOld();
  const dir = `${WORK}/p-${Date.now()}`;
  const project = `${dir}/project`;
  Deno.mkdirSync(project, { recursive: true });
  await sh("deno", ["run", "-A", "build.ts", "--if-stale"]);
  await sh("deno", ["run", "-A", "build.ts", "npm", "--no-cross"]);
  await sh("npm", ["pack", `${ROOT}/npm`, "--pack-destination", dir]);
  const packed = [...Deno.readDirSync(dir)].find((e) => e.name.endsWith(".tgz"))?.name;
  if (!packed) throw new Error("npm pack produced no tarball");
  const manifest = {
    private: true,
    type: "module",
    dependencies: { flowgen: `file:../${packed}`, ...TEST_DEPENDENCIES },
  };
  Deno.writeTextFileSync(`${project}/package.json`, JSON.stringify(manifest, null, 2));
  // The npm cache first: a machine that installed these once needs no registry again.
  await sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], project);
  Deno.writeTextFileSync(CURRENT, project + "\n");
  return project;
}

/** Removes test projects older than two hours (a suite never runs that long). */
function removeOld(): void {
  try {
    for (const entry of Deno.readDirSync(WORK)) {
      const path = `${WORK}/${entry.name}`;
      const age = Date.now() - (Deno.statSync(path).mtime?.getTime() ?? 0);
      if (entry.name.startsWith("p-") && age > 2 * 3600_000) {
        Deno.removeSync(path, { recursive: true });
      }
    }
  } catch {
    // nothing to clean
  }
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
