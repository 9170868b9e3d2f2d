// Deno batch-reading records/s through mod.ts (Deno.dlopen backend); prints one JSON line.
//   deno run -A bench/deno_read.ts [records=20000000] [rounds=3]
import * as flowgen from "../mod.ts";
// @ts-ignore: plain JavaScript module shared by the three runtimes' benchmarks
import { benchRead } from "./_read.mjs";

const records = Number(Deno.args[0] ?? 20_000_000);
const result = benchRead(flowgen, records, Number(Deno.args[1] ?? 3));
console.log(JSON.stringify({ runtime: "deno", version: Deno.version.deno, ...result }));
