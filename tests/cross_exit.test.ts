// The zig-built linux-x64-gnu library (the one the npm package ships) under Node, Bun and
// Deno: the CLI writes the same bytes as with the host's g++ build and the process exits
// with 0. Until the zig builds were linked with `-z nodelete` (tools/build/platforms.ts),
// Node crashed at exit (SIGSEGV, 139): koffi unloads the library, and exit() then ran
// destructors registered from the unloaded code. Skipped, with a message, when zig is
// missing or this is not an x86-64 Linux machine.

import { strictEqual } from "node:assert/strict";
import { existsSync } from "node:fs";
import { buildCross } from "../tools/build/cross.ts";
import { findZig } from "../tools/build/zig.ts";
import { BUN, preparePackage, ROOT } from "./npm/_package.ts";

const OUT = `${ROOT}/build-cross/prebuilt`;
const LIB = `${OUT}/linux-x64-gnu/libflowgen.so`;
const ARGS = ["generate", "-n", "5000", "--seed", "11", "--start", "1704067200", "-f", "jsonl"];

const zig = await findZig();
const linuxX64 = Deno.build.os === "linux" && Deno.build.arch === "x86_64";
const why = !linuxX64 ? "not an x86-64 Linux machine" : !zig ? "no zig (tools/setup.sh)" : "";
if (why) console.log(`SKIPPED zig-built library under Node, Bun and Deno: ${why}`);

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" })
    .output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return {
    code: out.code,
    signal: out.signal,
    stdout: decode(out.stdout),
    stderr: decode(out.stderr),
  };
}

Deno.test({
  name: "the zig-built linux-x64-gnu library runs and exits cleanly under Node, Bun and Deno",
  ignore: why !== "",
  async fn(t) {
    await buildCross({ outDir: OUT, only: ["linux-x64-gnu"] });
    const project = await preparePackage();
    const bin = `${project}/node_modules/flowgen/bin/flowgen.js`;
    const cli = `${ROOT}/src/cli.ts`;
    const expected = await run("deno", ["run", "-A", cli, ...ARGS]);
    strictEqual(expected.code, 0, expected.stderr);
    const runtimes: [string, string, string[]][] = [
      ["Node", "node", [bin]],
      ["Deno", "deno", ["run", "-A", cli]],
    ];
    if (existsSync(BUN)) runtimes.push(["Bun", BUN, [bin]]);
    else console.log(`SKIPPED Bun: ${BUN} missing (run tools/setup.sh)`);
    for (const [name, cmd, prefix] of runtimes) {
      await t.step(name, async () => {
        const result = await run(cmd, [...prefix, ...ARGS], { FLOWGEN_LIB: LIB });
        strictEqual(result.signal, null, `${name} was killed by ${result.signal}`);
        strictEqual(result.code, 0, `${name} exited with ${result.code}: ${result.stderr}`);
        strictEqual(result.stdout, expected.stdout, `${name}: output differs from the host build`);
      });
    }
  },
});
