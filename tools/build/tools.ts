/**
 * Pinned npm tools of the build and the tests, installed into .cache/tools/ (not the
 * project's dependencies): `tsc` for the npm build, `bun` for the Bun tests, koffi and the
 * Deno.test shim for running tests under Node. `deno run -A tools/build/tools.ts` installs
 * them (tools/setup.sh does); the build calls {@linkcode ensureTools} itself.
 *
 * @module
 */

import { log, ROOT, run } from "./run.ts";

/** Exact versions; the npm package's own dependencies are in npm.ts. */
export const TOOL_VERSIONS: Record<string, string> = {
  "typescript": "6.0.3",
  "@types/node": "20.19.43",
  "yaml": "2.9.1",
  "koffi": "3.3.4",
  "bun": "1.4.5",
  "@deno/shim-deno-test": "0.5.0",
};

/** Where the tools are installed. */
export const TOOLS_DIR = `${ROOT}/.cache/tools`;

/** Path of a tool's executable in node_modules/.bin. */
export function toolBin(name: string): string {
  return `${TOOLS_DIR}/node_modules/.bin/${name}`;
}

function installedVersion(name: string): string | undefined {
  try {
    const manifest = Deno.readTextFileSync(`${TOOLS_DIR}/node_modules/${name}/package.json`);
    return JSON.parse(manifest).version;
  } catch {
    return undefined;
  }
}

/** Installs the pinned tools that are missing or at another version. */
export async function ensureTools(names: string[] = Object.keys(TOOL_VERSIONS)): Promise<void> {
  const missing = names.filter((name) => installedVersion(name) !== TOOL_VERSIONS[name]);
  if (missing.length === 0) return;
  Deno.mkdirSync(TOOLS_DIR, { recursive: true });
  try {
    Deno.statSync(`${TOOLS_DIR}/package.json`);
  } catch {
    Deno.writeTextFileSync(`${TOOLS_DIR}/package.json`, '{ "private": true }\n');
  }
  log(`installing npm tools into .cache/tools: ${missing.join(", ")}`);
  await run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--save-exact",
    ...missing.map((name) => `${name}@${TOOL_VERSIONS[name]}`),
  ], { cwd: TOOLS_DIR });
}

if (import.meta.main) await ensureTools();
