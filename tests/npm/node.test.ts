// The Deno test suite (all but its Deno-specific parts, see _suite.ts) under Node, against
// the npm package installed from its `npm pack` tarball into a fresh project.

import { ok } from "node:assert/strict";
import { preparePackage } from "./_package.ts";
import { writeSuite } from "./_suite.ts";

Deno.test("the test suite passes under Node against the packed npm package", async () => {
  const project = await preparePackage();
  const suite = await writeSuite(project);
  const out = await new Deno.Command("node", {
    args: ["runner.mjs", ...suite.tests],
    cwd: suite.dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const text = stdout + new TextDecoder().decode(out.stderr);
  // The runner's summary is its last line on stdout (stderr carries what tests print there).
  const summary = stdout.trim().split("\n").at(-1) ?? "";
  console.log(`node: ${summary}`);
  for (const line of text.split("\n").filter((l) => l.startsWith("skipped "))) {
    console.log(`node: ${line}`);
  }
  await Deno.remove(suite.dir.replace("suite-js-", "suite-"), { recursive: true });
  await Deno.remove(suite.dir, { recursive: true });
  ok(out.success, `the Node run failed:\n${text}`);
  ok(/^\d+ passed, 0 failed/.test(summary), summary);
});
