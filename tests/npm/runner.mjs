// Runs Deno.test definitions under Node or Bun: imports the test modules named on the
// command line (their Deno.test calls register with @deno/shim-deno), then runs every test,
// prints "ok"/"FAILED" per test and a summary, and exits 1 on any failure. Tests named in
// skip.json (beside this file: name -> reason) are reported as skipped, with the reason.
import process from "node:process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { testDefinitions } from "@deno/shim-deno/test-internals";

for (const file of process.argv.slice(2)) await import(pathToFileURL(resolve(file)).href);

let skip = {};
try {
  skip = JSON.parse(readFileSync(new URL("./skip.json", import.meta.url), "utf8"));
} catch {
  // no skip list
}

function context(name) {
  return {
    name,
    origin: "",
    async step(nameOrDef, maybeFn) {
      const def = typeof nameOrDef === "string" ? { name: nameOrDef, fn: maybeFn } : nameOrDef;
      if (def.ignore) return true;
      await def.fn(context(`${name} > ${def.name}`));
      return true;
    },
  };
}

const only = testDefinitions.filter((def) => def.only);
const tests = only.length > 0 ? only : testDefinitions;
let passed = 0, failed = 0, ignored = 0;
for (const def of tests) {
  if (def.name in skip) {
    ignored++;
    console.log(`skipped ${def.name}: ${skip[def.name]}`);
    continue;
  }
  if (def.ignore) {
    ignored++;
    console.log(`ignored ${def.name}`);
    continue;
  }
  const start = performance.now();
  try {
    await def.fn(context(def.name));
    passed++;
    console.log(`ok ${def.name} (${Math.round(performance.now() - start)}ms)`);
  } catch (error) {
    failed++;
    console.log(`FAILED ${def.name}\n  ${String(error?.stack ?? error).replaceAll("\n", "\n  ")}`);
  }
}
console.log(`\n${passed} passed, ${failed} failed, ${ignored} ignored`);
process.exit(failed > 0 ? 1 : 0);
