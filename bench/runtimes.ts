/**
 * Batch reading records/s on Deno, Node (koffi) and Bun (`bun:ffi`) from one run, with
 * the ratio of each to Deno (target: Node and Bun >= 0.80 of Deno). Node and Bun read
 * through the packed npm package (tests/npm/_package.ts builds and installs it).
 *
 * ```sh
 * deno run -A bench/runtimes.ts [records per round, default 20000000]
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
}

const RECORDS = Number(Deno.args[0] ?? 20_000_000);

async function spawnBench(cmd: string, script: string, dir: string): Promise<Result> {
  const url = new URL(script, import.meta.url).pathname;
  const out = await new Deno.Command(cmd, {
    args: [url, String(RECORDS), dir],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`${cmd} ${script} failed (${out.code})`);
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

function row(r: Result, deno: Result): string {
  const f = (x: number) => (x / 1e6).toFixed(1).padStart(7);
  const ratio = (r.cpu / deno.cpu).toFixed(2);
  return `${r.runtime.padEnd(5)} ${f(r.wall)} M/s wall ${f(r.cpu)} M/s per CPU-s  ` +
    `${ratio} of Deno${r.runtime === "deno" ? "" : " (target >= 0.80)"}`;
}

const project = await preparePackage();
const dir = `${project}/node_modules/flowgen`;
const results: Result[] = [];
const deno: Result = { runtime: "deno", ...benchRead(flowgen, RECORDS) };
results.push(deno, await spawnBench("node", "./node_read.mjs", dir));
if (existsSync(BUN)) results.push(await spawnBench(BUN, "./bun_read.ts", dir));
else console.log(`Bun skipped: ${BUN} missing (run tools/setup.sh)`);
console.log(`batch reading, ${(RECORDS / 1e6).toFixed(0)} M records per round, best of 3:`);
for (const r of results) console.log(row(r, deno));
