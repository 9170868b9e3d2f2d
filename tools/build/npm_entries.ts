/**
 * The small hand-written JavaScript files of the npm package: per-runtime entry points
 * that install the Node (koffi) or Bun (`bun:ffi`) backend before re-exporting the module,
 * and the `flowgen` bin. Selected by the "bun" / "node" / "default" export conditions.
 *
 * @module
 */

/** File path (relative to npm/) → contents. */
export type Files = Record<string, string>;

function setup(runtime: "node" | "bun"): string {
  return `// Installs the ${runtime} backend; imported first by the ${runtime} entry points.
import { setRuntimeBackend } from "../src/native/loader.js";
import { ${runtime}Backend } from "../src/native/${runtime}.js";

setRuntimeBackend(${runtime}Backend());
`;
}

function entry(runtime: "node" | "bun", module: string): string {
  return `import "./runtime/${runtime}.js";
export * from "${module}";
`;
}

const BIN = `#!/usr/bin/env node
// The flowgen command: picks the backend of the runtime running it, then the CLI.
import process from "node:process";

const runtime = typeof process.versions.bun === "string" ? "bun" : "node";
await import(\`../runtime/\${runtime}.js\`);
const { main } = await import("../src/cli.js");
const code = await main(process.argv.slice(2));
if (typeof code === "number") process.exitCode = code;
`;

/** The entry files, keyed by their path in npm/. */
export function entryFiles(): Files {
  return {
    "runtime/node.js": setup("node"),
    "runtime/bun.js": setup("bun"),
    "runtime/node.d.ts": "export {};\n",
    "runtime/bun.d.ts": "export {};\n",
    "index.node.js": entry("node", "./mod.js"),
    "index.bun.js": entry("bun", "./mod.js"),
    "cli.node.js": entry("node", "./src/cli.js"),
    "cli.bun.js": entry("bun", "./src/cli.js"),
    "bin/flowgen.js": BIN,
  };
}

/** The package.json "exports" map: types first, then Bun, Node and the default. */
export function exportsMap(): Record<string, Record<string, string>> {
  return {
    ".": {
      types: "./mod.d.ts",
      bun: "./index.bun.js",
      node: "./index.node.js",
      default: "./index.node.js",
    },
    "./cli": {
      types: "./src/cli.d.ts",
      bun: "./cli.bun.js",
      node: "./cli.node.js",
      default: "./cli.node.js",
    },
  };
}
