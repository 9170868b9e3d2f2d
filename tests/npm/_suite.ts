// Turns the Deno test suite (tests/*.test.ts) into JavaScript that runs under Node
// against the installed npm package: `../mod.ts` becomes `flowgen`, `../src/x.ts` the same
// file inside node_modules/flowgen, `Deno` the @deno/shim-deno namespace, and the CLI
// helpers spawn the package's `flowgen` bin with Node instead of `deno run src/cli.ts`.

import { ROOT, sh } from "./_package.ts";

/** Deno test files that only make sense on Deno, with the reason. */
export const DENO_ONLY: Record<string, string> = {
  "examples.test.ts": "runs examples/*.ts with `deno run`",
  "send.test.ts": "starts its UDP receivers with Deno.Command",
  "cross_runtime.test.ts": "drives Deno, Node, Bun and C++ itself, from Deno",
  "cross.test.ts": "drives zig and qemu from Deno",
  "cross_exit.test.ts": "drives Node, Bun and Deno itself, from Deno",
};

/** Single Deno tests that are Deno-specific in how they test, by name, with the reason. */
export const DENO_ONLY_TESTS: Record<string, string> = {
  "a full disk (file size limit): exit 1, message, no file left":
    "a bash script that runs `deno run src/cli.ts`",
  "a full device on stdout (/dev/full): exit 1, 'disk full'":
    "a bash script that runs `deno run src/cli.ts`",
  "a closed stdout pipe (| head -1) ends quietly with exit 0":
    "a bash script that runs `deno run src/cli.ts`",
  "loadConfigFile: injected reader, unreadable file, not UTF-8":
    "asserts the cause is a Deno.errors.NotFound",
  "a missing or broken library is one clear LibraryError saying what to run":
    "probes the loader with `deno run`",
  "a module copy without a library names the platform and where it looked":
    "probes a copy of the module's sources with `deno run`",
  "the GNU parallel recipe of README.md generates and merges shards":
    "runs the `flowgen` commands of the README through bash and GNU parallel with Deno",
  "a forgotten generator is freed by the garbage collector":
    "starts a `deno run --v8-flags=--expose-gc` subprocess",
};

/** Tests that cannot pass on the Node running them, with the reason. */
function runtimeLimits(): Record<string, string> {
  const major = Number(
    new TextDecoder().decode(
      new Deno.Command("node", { args: ["-p", "process.versions.node"] })
        .outputSync().stdout,
    ).split(".")[0],
  );
  return major >= 22 ? {} : {
    "a batch of a closed generator is empty instead of reading freed memory":
      `Node ${major} cannot detach koffi's external ArrayBuffers (no ArrayBuffer.transfer)`,
  };
}

const TSC = `${ROOT}/.cache/tools/node_modules/.bin/tsc`;

/** Deno (the shim plus Deno.Command from deno_command.mjs) and the Node backend. */
function prelude(): string {
  return [
    'import { Deno as __DenoShim } from "@deno/shim-deno";',
    'import { Command as __Command } from "../deno_command.mjs";',
    'import "flowgen";',
    "const Deno = { ...__DenoShim, Command: __Command };",
    "",
  ].join("\n");
}

/** Rewrites a test module's imports for the suite layout (suite-js/tests/x.js). */
export function rewriteTest(text: string): string {
  return text
    .replaceAll(/(["'])\.\.\/mod\.ts\1/g, '"flowgen"')
    .replaceAll(/(["'])\.\.\/src\/([^"']+)\1/g, '"../../node_modules/flowgen/src/$2"');
}

/** The Node replacement of _helpers.ts's subprocess functions. */
const NODE_HELPERS = `
import { spawn as __spawn } from "node:child_process";
import { fileURLToPath as __path } from "node:url";

const __BIN = __path(new URL("../../node_modules/flowgen/bin/flowgen.js", import.meta.url));

/** Runs the npm package's flowgen bin with Node. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = __spawn(process.execPath, [__BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "", stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => stdout += d);
    child.stderr.setEncoding("utf8").on("data", (d: string) => stderr += d);
    child.on("error", reject);
    child.on("close", (code: number | null) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** Deno-only. */
export function runDeno(): Promise<RunResult> {
  throw new Error("runDeno is Deno-only");
}
`;

function rewriteHelpers(text: string): string {
  const renamed = text
    .replace(/export async function runDeno\(/, "async function __denoRunDeno(")
    .replace(/export function runCli\(/, "function __denoRunCli(");
  if (renamed.includes("export function runCli") || !renamed.includes("__denoRunCli")) {
    throw new Error("tests/_helpers.ts changed: update NODE_HELPERS in tests/npm/_suite.ts");
  }
  return 'import process from "node:process";\n' + renamed + NODE_HELPERS;
}

/** Where {@linkcode writeSuite} put the suite. */
export interface Suite {
  /** The JavaScript suite directory (run `node runner.mjs <tests>` there). */
  dir: string;
  /** Test files, relative to `dir`. */
  tests: string[];
}

/**
 * Writes the suite into `<project>/suite-<pid>` (TypeScript) and `<project>/suite-js-<pid>`
 * (JavaScript), per process so that two runs do not collide.
 */
export async function writeSuite(project: string): Promise<Suite> {
  const src = `${project}/suite-${Deno.pid}`;
  const out = `${project}/suite-js-${Deno.pid}`;
  for (const dir of [src, out]) await Deno.remove(dir, { recursive: true }).catch(() => {});
  Deno.mkdirSync(`${src}/tests`, { recursive: true });
  const tests: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT}/tests`)) {
    const name = entry.name;
    if (!entry.isFile) continue;
    const text = Deno.readTextFileSync(`${ROOT}/tests/${name}`);
    if (name === "_helpers.ts") {
      Deno.writeTextFileSync(`${src}/tests/${name}`, prelude() + rewriteTest(rewriteHelpers(text)));
    } else if (name.endsWith(".test.ts") && !(name in DENO_ONLY)) {
      Deno.writeTextFileSync(`${src}/tests/${name}`, prelude() + rewriteTest(text));
      tests.push(`tests/${name.replace(/\.ts$/, ".js")}`);
    }
  }
  await sh(TSC, [
    "--target",
    "ES2022",
    "--module",
    "ESNext",
    "--moduleResolution",
    "Bundler",
    "--allowImportingTsExtensions",
    "--rewriteRelativeImportExtensions",
    "--noCheck",
    "--skipLibCheck",
    "--rootDir",
    src,
    "--outDir",
    out,
    ...tests.map((t) => `${src}/${t.replace(/\.js$/, ".ts")}`),
    `${src}/tests/_helpers.ts`,
  ]);
  // Data the tests read relative to the root: configs and any test fixtures.
  await sh("cp", ["-r", `${ROOT}/configs`, `${out}/configs`]);
  for (const entry of Deno.readDirSync(`${ROOT}/tests`)) {
    if (entry.isDirectory && !["npm", "native", "fuzz"].includes(entry.name)) {
      await sh("cp", ["-r", `${ROOT}/tests/${entry.name}`, `${out}/tests/${entry.name}`]);
    }
  }
  Deno.mkdirSync(`${out}/native`, { recursive: true });
  await sh("cp", ["-r", `${ROOT}/native/include`, `${out}/native/include`]);
  Deno.copyFileSync(`${ROOT}/tests/npm/runner.mjs`, `${out}/runner.mjs`);
  Deno.copyFileSync(`${ROOT}/tests/npm/deno_command.mjs`, `${out}/deno_command.mjs`);
  const skip = { ...DENO_ONLY_TESTS, ...runtimeLimits() };
  Deno.writeTextFileSync(`${out}/skip.json`, JSON.stringify(skip, null, 2));
  return { dir: out, tests };
}
