// The npm package's doc comments: their examples import the package (`flowgen`,
// `flowgen/cli`) or a shipped `.js` file, never a `.ts` source the package does not have.

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { rewriteDocExamples } from "../../tools/build/npm.ts";
import { preparePackage } from "./_package.ts";

Deno.test("doc example imports become package or .js imports; code imports stay", () => {
  const source = [
    ` * import { exportCsv } from "../mod.ts";`,
    ` * import { main } from "./cli.ts";`,
    ` *   import { loadLibrary } from './native/loader.ts';`,
    `import { real } from "./real.ts";`,
  ].join("\n");
  deepStrictEqual(rewriteDocExamples(source, "src/exporters.ts").split("\n"), [
    ` * import { exportCsv } from "flowgen";`,
    ` * import { main } from "flowgen/cli";`,
    ` *   import { loadLibrary } from './native/loader.js';`,
    `import { real } from "./real.ts";`,
  ]);
  strictEqual(
    rewriteDocExamples(` * import { FlowGenerator } from "./mod.ts";`, "mod.ts"),
    ` * import { FlowGenerator } from "flowgen";`,
  );
  // src/config/mod.ts is not the package's entry point.
  strictEqual(
    rewriteDocExamples(` * import { parseConfig } from "./mod.ts";`, "src/config/parse.ts"),
    ` * import { parseConfig } from "./mod.js";`,
  );
});

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory && entry.name !== "node_modules") files.push(...walk(path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

Deno.test("the packed npm package's doc examples import no .ts file", async () => {
  const project = await preparePackage();
  const root = `${project}/node_modules/flowgen`;
  const shipped = walk(root).filter((p) => p.endsWith(".js") || p.endsWith(".d.ts"));
  ok(shipped.length > 20, `${shipped.length} files`);
  const bad = shipped.flatMap((path) =>
    Deno.readTextFileSync(path).split("\n")
      .filter((line) => /^\s*\*\s*import\b.*\bfrom\s+["'][^"']+\.ts["']/.test(line))
      .map((line) => `${path.slice(root.length + 1)}: ${line.trim()}`)
  );
  deepStrictEqual(bad, []);
  ok(Deno.readTextFileSync(`${root}/mod.js`).includes(`from "flowgen";`));
});
