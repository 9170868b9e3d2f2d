// The GNU parallel recipe of README.md ("Running on a cluster"), run for real on 3
// shards and merged with `flowgen merge`: the command is read from the document itself.

import { ok, strictEqual } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { timestampKey } from "../src/merge.ts";
import { ROOT } from "./_helpers.ts";

const SHARDS = 3;
const COUNT = 30_000;

function hasParallel(): boolean {
  try {
    const { code, stdout } = new Deno.Command("parallel", { args: ["--version"] }).outputSync();
    return code === 0 && new TextDecoder().decode(stdout).includes("GNU parallel");
  } catch {
    return false;
  }
}

/** The shell block of the "GNU parallel" section of README.md. */
function parallelRecipe(): string {
  const doc = readFileSync(`${ROOT}README.md`, "utf8");
  const section = doc.slice(doc.indexOf("### GNU parallel"));
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error("README.md: no sh block in the GNU parallel section");
  return block[1];
}

const available = hasParallel();
if (!available) {
  console.warn("cluster_parallel.test.ts: GNU parallel is not installed; test skipped");
}

Deno.test({
  name: "the GNU parallel recipe of README.md generates and merges shards",
  ignore: !available,
  async fn() {
    const dir = Deno.makeTempDirSync();
    try {
      // `flowgen` on PATH: the CLI of this checkout.
      Deno.mkdirSync(`${dir}/bin`);
      Deno.writeTextFileSync(
        `${dir}/bin/flowgen`,
        `#!/bin/sh\nexec "${Deno.execPath()}" run -A --config="${ROOT}deno.json" ` +
          `"${ROOT}src/cli.ts" "$@"\n`,
      );
      Deno.chmodSync(`${dir}/bin/flowgen`, 0o755);
      Deno.mkdirSync(`${dir}/configs`);
      Deno.copyFileSync(
        `${ROOT}configs/example_config.yaml`,
        `${dir}/configs/example_config.yaml`,
      );
      const recipe = parallelRecipe()
        .replace(/^N=\d+$/m, `N=${SHARDS}`)
        .replace(/-n \d+/, `-n ${COUNT}`);
      ok(recipe.includes("parallel") && recipe.includes("flowgen merge"), recipe);
      const { code, stderr } = await new Deno.Command("bash", {
        args: ["-euo", "pipefail", "-c", recipe],
        cwd: dir,
        env: { PATH: `${dir}/bin:${Deno.env.get("PATH")}` },
        stdout: "piped",
        stderr: "piped",
      }).output();
      strictEqual(code, 0, new TextDecoder().decode(stderr));
      const shards = Array.from(
        { length: SHARDS },
        (_, i) => readFileSync(`${dir}/shard-${i}.csv`, "utf8").trimEnd().split("\n"),
      );
      const lines = readFileSync(`${dir}/flows.csv`, "utf8").trimEnd().split("\n");
      strictEqual(lines[0], shards[0][0], "one header, the shards'");
      strictEqual(lines.length, COUNT + 1);
      strictEqual(shards.reduce((sum, shard) => sum + shard.length - 1, 0), COUNT);
      // The merge is the shards' records, interleaved in timestamp order.
      const all = shards.flatMap((shard) => shard.slice(1)).sort();
      const merged = lines.slice(1).sort();
      ok(all.every((line, i) => line === merged[i]), "the merge is not the shards' records");
      let previous: [number, number] = [0, 0];
      for (const line of lines.slice(1)) {
        const key = timestampKey(line.slice(0, line.indexOf(",")));
        ok(key[0] > previous[0] || (key[0] === previous[0] && key[1] >= previous[1]), line);
        previous = key;
      }
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});
