/**
 * `build.ts npm`: the npm package `flowgen` in npm/, made from the same TypeScript sources
 * as the Deno module (what dnt would do): tsc emits ESM JavaScript and .d.ts, relative
 * `.ts` specifiers become `.js` (declarations included) and `npm:` specifiers become bare
 * package names listed in package.json. Runtime entry points (npm_entries.ts) pick the Node or
 * Bun backend; the native libraries ship in prebuilt/<platform>/ (see README.md, "Node and Bun").
 *
 * @module
 */

import { posix } from "node:path";
import { buildCross, zigVersion } from "./cross.ts";
import { buildNative, libraryFileName } from "./native.ts";
import { entryFiles, exportsMap } from "./npm_entries.ts";
import { PLATFORMS } from "./platforms.ts";
import { ensureTools, toolBin, TOOLS_DIR } from "./tools.ts";
import { log, ROOT, run } from "./run.ts";

/** The package's runtime dependencies, pinned. Any other bare import is an error. */
export const NPM_DEPENDENCIES: Record<string, string> = {
  koffi: "3.3.4",
  yaml: "2.9.1",
};

const OUT = `${ROOT}/npm`;
const STAGE = `${TOOLS_DIR}/stage`;

/** Options of {@linkcode buildNpm}. */
export interface NpmOptions {
  /** Cross-compile the prebuilt libraries first (when zig is installed). */
  cross?: boolean;
}

/** Builds npm/; returns its path. Pack it with `npm pack ./npm`. */
export async function buildNpm(opts: NpmOptions = {}): Promise<string> {
  const denoJson = JSON.parse(Deno.readTextFileSync(`${ROOT}/deno.json`));
  await ensureTools(["typescript", "@types/node", "yaml"]);
  removeIfExists(OUT);
  stageSources(denoJson.imports ?? {});
  writeTsconfig();
  await run(toolBin("tsc"), ["-p", `${STAGE}/tsconfig.json`]);
  rewriteDeclarations(OUT);
  for (const [path, text] of Object.entries(entryFiles())) writeFile(path, text);
  Deno.chmodSync(`${OUT}/bin/flowgen.js`, 0o755);
  writeFile("package.json", JSON.stringify(packageJson(denoJson.version), null, 2) + "\n");
  copyDocs();
  copyTree(`${ROOT}/configs`, `${OUT}/configs`);
  await copyPrebuilt(opts.cross ?? true);
  log(`npm package ready in npm/ (flowgen@${denoJson.version}); pack it with: npm pack ./npm`);
  return OUT;
}

/** Copies mod.ts and src/ (no tests) into the stage, rewriting `npm:` specifiers. */
function stageSources(importMap: Record<string, string>): void {
  removeIfExists(STAGE);
  const files = ["mod.ts", ...walk(`${ROOT}/src`).map((p) => p.slice(ROOT.length + 1))]
    .filter((p) => p.endsWith(".ts") && !/[._]test\.ts$/.test(p));
  for (const file of files) {
    const text = Deno.readTextFileSync(`${ROOT}/${file}`);
    const target = `${STAGE}/${file}`;
    Deno.mkdirSync(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(
      target,
      rewriteDocExamples(rewriteSpecifiers(text, file, importMap), file),
    );
  }
}

/** `from "x"`, `import("x")` and `import "x"`: the places a module specifier stands. */
const SPECIFIER = /(\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)(["'])([^"'\n]+)\2/gm;

/** Rewrites `npm:pkg@range/sub` (directly or through the import map) to `pkg/sub`. */
export function rewriteSpecifiers(
  text: string,
  file: string,
  importMap: Record<string, string>,
): string {
  return text.replace(SPECIFIER, (whole, head: string, quote: string, spec: string) => {
    const mapped = importMap[spec] ?? spec;
    // Relative, node: and text that only looks like an import stay as they are.
    if (!mapped.startsWith("npm:")) return whole;
    const npm = /^npm:\/?((?:@[^/@]+\/)?[^/@]+)(?:@[^/]+)?(\/.*)?$/.exec(mapped);
    if (!npm) throw new Error(`${file}: cannot map import "${spec}" to an npm package`);
    const [, name, subpath = ""] = npm;
    if (!(name in NPM_DEPENDENCIES)) {
      throw new Error(`${file}: imports ${name}, missing from NPM_DEPENDENCIES in npm.ts`);
    }
    return `${head}${quote}${name}${subpath}${quote}`;
  });
}

/** Doc comment lines that import a relative `.ts` module: ` * import … from "./x.ts";`. */
const DOC_IMPORT = /^(\s*\*\s*import\b[^\n]*?\bfrom\s+)(["'])(\.{1,2}\/[^"'\n]+\.ts)\2/gm;

/** Package entry points by source file: examples importing them import the package. */
const PACKAGE_ENTRIES: Record<string, string> = {
  "mod.ts": "flowgen",
  "src/cli.ts": "flowgen/cli",
};

/**
 * Rewrites the imports of the examples in doc comments (`file` is relative to the root), which
 * tsc leaves alone: the package's entry points become `flowgen` and `flowgen/cli`, other
 * modules their shipped `.js` file.
 */
export function rewriteDocExamples(text: string, file: string): string {
  return text.replace(DOC_IMPORT, (_whole, head: string, quote: string, spec: string) => {
    const entry = PACKAGE_ENTRIES[posix.join(posix.dirname(file), spec)];
    return `${head}${quote}${entry ?? `${spec.slice(0, -3)}.js`}${quote}`;
  });
}

function writeTsconfig(): void {
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      allowImportingTsExtensions: true,
      rewriteRelativeImportExtensions: true,
      declaration: true,
      // deno check already type-checks these sources (with Deno's types, which tsc lacks).
      noCheck: true,
      strict: true,
      skipLibCheck: true,
      lib: ["ESNext", "DOM"],
      types: ["node"],
      typeRoots: [`${TOOLS_DIR}/node_modules/@types`],
      rootDir: STAGE,
      outDir: OUT,
      newLine: "lf",
    },
    // Every staged file: the CLI imports its commands by computed URLs tsc cannot follow.
    include: [`${STAGE}/**/*.ts`],
  };
  Deno.writeTextFileSync(`${STAGE}/tsconfig.json`, JSON.stringify(tsconfig, null, 2));
}

/** tsc keeps `.ts` in declaration specifiers: make them `.js` like the JavaScript. */
function rewriteDeclarations(dir: string): void {
  for (const file of walk(dir).filter((p) => p.endsWith(".d.ts"))) {
    const text = Deno.readTextFileSync(file);
    const fixed = text.replace(
      SPECIFIER,
      (whole, head: string, quote: string, spec: string) =>
        spec.startsWith(".") && spec.endsWith(".ts") && !spec.endsWith(".d.ts")
          ? `${head}${quote}${spec.slice(0, -3)}.js${quote}`
          : whole,
    );
    if (fixed !== text) Deno.writeTextFileSync(file, fixed);
  }
}

function packageJson(version: string): Record<string, unknown> {
  return {
    name: "flowgen",
    version,
    description:
      "High-performance generator of realistic synthetic network flow records (C++ engine, " +
      "CSV/JSON/NetFlow/IPFIX output)",
    license: "MIT",
    type: "module",
    keywords: ["netflow", "ipfix", "network", "flow", "traffic", "generator", "synthetic"],
    exports: exportsMap(),
    types: "./mod.d.ts",
    bin: { flowgen: "./bin/flowgen.js" },
    files: [
      "*.js",
      "*.d.ts",
      "src/",
      "runtime/",
      "bin/",
      "configs/",
      "prebuilt/",
      "README.md",
      "LICENSE",
    ],
    engines: { node: ">=20", bun: ">=1.1" },
    dependencies: NPM_DEPENDENCIES,
  };
}

/** README.md and LICENSE from the repository (LICENSE is created by the lead/CI). */
function copyDocs(): void {
  for (const name of ["README.md", "LICENSE"]) {
    try {
      Deno.copyFileSync(`${ROOT}/${name}`, `${OUT}/${name}`);
    } catch {
      log(`warning: ${name} missing at the repository root; not in the npm package`);
    }
  }
}

/**
 * Fills npm/prebuilt/: the cross-compiled libraries when zig is available, and at least
 * the host's own library (from the CMake build) so that the package works here.
 */
async function copyPrebuilt(cross: boolean): Promise<void> {
  if (cross && (await zigVersion()) !== undefined) await buildCross();
  else if (cross) log("SKIPPED cross-compile: zig not found; packaging the host library only");
  for (const platform of PLATFORMS) {
    const from = `${ROOT}/prebuilt/${platform.name}/${platform.library}`;
    if (!exists(from)) continue;
    Deno.mkdirSync(`${OUT}/prebuilt/${platform.name}`, { recursive: true });
    Deno.copyFileSync(from, `${OUT}/prebuilt/${platform.name}/${platform.library}`);
  }
  const host = hostPlatform();
  const hostLib = `${OUT}/prebuilt/${host}/${libraryFileName()}`;
  if (!exists(hostLib)) {
    const built = await buildNative({ ifStale: true });
    Deno.mkdirSync(`${OUT}/prebuilt/${host}`, { recursive: true });
    Deno.copyFileSync(built, hostLib);
    log(`packaged the host build as prebuilt/${host}`);
  }
}

/** The platform directory name of this machine (platforms.ts naming). */
export function hostPlatform(): string {
  const arch = Deno.build.arch === "x86_64" ? "x64" : "arm64";
  if (Deno.build.os === "linux") return `linux-${arch}-gnu`;
  if (Deno.build.os === "darwin") return `macos-${arch}`;
  return `${Deno.build.os}-${arch}`;
}

function writeFile(path: string, text: string): void {
  const target = `${OUT}/${path}`;
  Deno.mkdirSync(target.slice(0, target.lastIndexOf("/")), { recursive: true });
  Deno.writeTextFileSync(target, text);
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...walk(path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

function copyTree(from: string, to: string): void {
  if (!exists(from)) return;
  for (const file of walk(from)) {
    const target = `${to}/${file.slice(from.length + 1)}`;
    Deno.mkdirSync(target.slice(0, target.lastIndexOf("/")), { recursive: true });
    Deno.copyFileSync(file, target);
  }
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function removeIfExists(path: string): void {
  if (exists(path)) Deno.removeSync(path, { recursive: true });
}
