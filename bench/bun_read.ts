// Bun batch-reading records/s through the npm package (bun:ffi backend); prints one JSON line.
//   bun bench/bun_read.ts [records=20000000] [package dir, default: the test project's] [rounds=3]
import process from "node:process";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
// @ts-ignore: plain JavaScript module shared by the three runtimes' benchmarks
import { benchRead } from "./_read.mjs";

const records = Number(process.argv[2] ?? 20_000_000);
// The test project tests/npm/_package.ts installed last.
const dir = process.argv[3] ??
  readFileSync(new URL("../.cache/npm-test/current", import.meta.url), "utf8").trim() +
    "/node_modules/flowgen";
const flowgen = await import(pathToFileURL(`${dir}/index.bun.js`).href);
const result = benchRead(flowgen, records, Number(process.argv[4] ?? 3));
console.log(JSON.stringify({ runtime: "bun", version: process.versions.bun, ...result }));
