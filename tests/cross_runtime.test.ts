// Determinism across runtimes: the same config and seed give byte-identical CSV, JSON and
// JSON Lines from Deno (src/cli.ts), Node and Bun (the packed npm package's flowgen bin)
// and a C++ program (tools/cross/abi_driver.cpp, through the C ABI only). The config is
// the default one (the brief's example), which the driver reproduces with setters.

import { strictEqual } from "node:assert/strict";
import { existsSync } from "node:fs";
import { BUN, preparePackage, ROOT } from "./npm/_package.ts";
import { buildHostDriver, commandOutput as output } from "./_host_driver.ts";

const RECORDS = 20_000;
const SEED = 42;
const START = 1704067200;
const FORMATS = ["csv", "json", "jsonl"] as const;

/** The C++ driver's output, split into its "== <format>" sections. */
async function cppOutputs(): Promise<Record<string, string>> {
  const exe = await buildHostDriver();
  const text = new TextDecoder().decode(
    await output(exe, [String(RECORDS), String(SEED), FORMATS.join(",")]),
  );
  const sections: Record<string, string> = {};
  const parts = text.split(/^== (\w+)\n/m);
  for (let i = 1; i < parts.length; i += 2) sections[parts[i]] = parts[i + 1];
  return sections;
}

function cliArgs(format: string): string[] {
  return [
    "generate",
    "-n",
    String(RECORDS),
    "--seed",
    String(SEED),
    "--start",
    String(START),
    "-f",
    format,
  ];
}

function assertSameBytes(actual: string, expected: string, what: string): void {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 40), i + 40));
  strictEqual(
    actual.length === expected.length ? "same length" : `${actual.length} != ${expected.length}`,
    "same",
    `${what} differs from the C++ output at offset ${i}: ${around(actual)} vs ${around(expected)}`,
  );
}

Deno.test("Deno, Node, Bun and C++ write byte-identical CSV, JSON and JSONL", async (t) => {
  const expected = await cppOutputs();
  const project = await preparePackage();
  const bin = `${project}/node_modules/flowgen/bin/flowgen.js`;
  const runtimes: [string, string, string[]][] = [
    ["Deno", "deno", ["run", "-A", `${ROOT}/src/cli.ts`]],
    ["Node", "node", [bin]],
  ];
  if (existsSync(BUN)) runtimes.push(["Bun", BUN, [bin]]);
  else console.log(`SKIPPED Bun: ${BUN} missing (run tools/setup.sh)`);
  for (const format of FORMATS) {
    strictEqual(typeof expected[format], "string", `C++ driver wrote no ${format}`);
    for (const [name, cmd, prefix] of runtimes) {
      await t.step(`${name} ${format}`, async () => {
        const bytes = await output(cmd, [...prefix, ...cliArgs(format)]);
        assertSameBytes(new TextDecoder().decode(bytes), expected[format], `${name} ${format}`);
      });
    }
  }
});
