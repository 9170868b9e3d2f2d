/**
 * Batch reading records/s on Deno, Node (koffi) and Bun (`bun:ffi`) from one run, with
 * the ratio of each to Deno (target: Node and Bun >= 0.80 of Deno). Node and Bun read
 * through the packed npm package (tests/npm/_package.ts builds and installs it).
 *
 * The runtimes take turns, one round each at a time, and each keeps its best round: on a
 * shared machine the load changes over a run, and turns spread that over all of them.
 *
 * ```sh
 * deno run -A bench/runtimes.ts [records per round, default 20000000] [rounds, default 3]
 * ```
 *
 * @module
 */

import { existsSync } from "node:fs";
import * as flowgen from "../mod.ts";
import { BUN, preparePackage } from "../tests/npm/_package.ts";
// @ts-ignore: plain JavaScript module shared by the three runtimes' benchmarks
import { benchRead } from "./_read.mjs";

interface Result {
  runtime: string;
  wall: number;
  cpu: number;
  checksum: number;
}

const RECORDS = Number(Deno.args[0] ?? 20_000_000);
const ROUNDS = Number(Deno.args[1] ?? 3);

async function spawnBench(cmd: string, script: string, dir: string): Promise<Result> {
  const url = new URL(script, import.meta.url).pathname;
  const out = await new Deno.Command(cmd, {
    args: [url, String(RECORDS), dir, "1"],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${cmd} ${script} failed (exit ${out.code})`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

function best(a: Result | undefined, b: Result): Result {
  if (!a) return b;
  return { ...a, wall: Math.max(a.wall, b.wall), cpu: Math.max(a.cpu, b.cpu) };
}

function row(r: Result, deno: Result): string {
  const f = (x: number) => (x / 1e6).toFixed(1).padStart(7);
  const ratio = r.cpu / deno.cpu;
  const verdict = r.runtime === "deno"
    ? ""
    : ratio >= 0.8
    ? " (>= 0.80: met)"
    : " (< 0.80: NOT met)";
  return `${r.runtime.padEnd(5)} ${f(r.wall)} M/s wall ${f(r.cpu)} M/s per CPU-s  ` +
    `${ratio.toFixed(2)} of Deno per CPU-s, ${(r.wall / deno.wall).toFixed(2)} wall${verdict}`;
}

const project = await preparePackage();
const dir = `${project}/node_modules/flowgen`;
const haveBun = existsSync(BUN);
if (!haveBun) console.log(`Bun skipped: ${BUN} missing (run tools/setup.sh)`);
const bests: Record<string, Result> = {};
for (let round = 0; round < ROUNDS; round++) {
  bests.deno = best(bests.deno, { runtime: "deno", ...benchRead(flowgen, RECORDS, 1) });
  bests.node = best(bests.node, await spawnBench("node", "./node_read.mjs", dir));
  if (haveBun) bests.bun = best(bests.bun, await spawnBench(BUN, "./bun_read.ts", dir));
}
const checksums = new Set(Object.values(bests).map((r) => r.checksum));
if (checksums.size !== 1) console.log("WARNING: the runtimes read different records");
console.log(
  `batch reading, ${(RECORDS / 1e6).toFixed(0)} M records per round, best of ${ROUNDS} ` +
    "(per CPU-s: records per CPU-second the process got; the target is on that):",
);
for (const r of Object.values(bests)) console.log(row(r, bests.deno));
