/**
 * Batch reading records/s on Deno, Node (koffi) and Bun (`bun:ffi`) from one run, with
 * the ratio of each to Deno (target: Node and Bun >= 0.80 of Deno). Node and Bun read
 * through the packed npm package (tests/npm/_package.ts builds and installs it).
 *
 * Every runtime reads in a process of its own, started the same way, and gets the same
 * treatment: two rounds, the first of which lets its JIT tier up, and the best of the two
 * counts. The runtimes take turns, one process each at a time, and each keeps its best
 * round: on a shared machine the load changes over a run, and turns spread that over all
 * of them.
 *
 * ```sh
 * deno run -A bench/runtimes.ts [records per round, default 40000000] [rounds, default 3]
 * ```
 *
 * @module
 */

import { existsSync } from "node:fs";
import { BUN, preparePackage } from "../tests/npm/_package.ts";

interface Result {
  runtime: string;
  wall: number;
  cpu: number;
  checksum: number;
}

const RECORDS = Number(Deno.args[0] ?? 40_000_000);
const ROUNDS = Number(Deno.args[1] ?? 3);

// Rounds per process: the first warms the JIT up; the best round is reported. A cold
// single round would charge one runtime its compiler's start-up and not another.
const ROUNDS_PER_PROCESS = "2";

async function spawnBench(cmd: string, args: string[]): Promise<Result> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${cmd} ${args[0]} failed (exit ${out.code})`);
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
const script = (name: string) => new URL(name, import.meta.url).pathname;
const records = String(RECORDS);
for (let round = 0; round < ROUNDS; round++) {
  bests.deno = best(
    bests.deno,
    await spawnBench(Deno.execPath(), [
      "run",
      "-A",
      script("./deno_read.ts"),
      records,
      ROUNDS_PER_PROCESS,
    ]),
  );
  bests.node = best(
    bests.node,
    await spawnBench("node", [script("./node_read.mjs"), records, dir, ROUNDS_PER_PROCESS]),
  );
  if (haveBun) {
    bests.bun = best(
      bests.bun,
      await spawnBench(BUN, [script("./bun_read.ts"), records, dir, ROUNDS_PER_PROCESS]),
    );
  }
}
const checksums = new Set(Object.values(bests).map((r) => r.checksum));
if (checksums.size !== 1) console.log("WARNING: the runtimes read different records");
console.log(
  `batch reading, ${(RECORDS / 1e6).toFixed(0)} M records per round, best of ${ROUNDS} processes ` +
    "(per CPU-s: records per CPU-second the process got; the target is on that):",
);
for (const r of Object.values(bests)) console.log(row(r, bests.deno));
