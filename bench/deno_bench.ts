/**
 * `deno task bench`: FlowGen's Deno numbers from one run, on the brief's example config.
 *
 * - native batch fill (`flowgen_generator_next_batch` in a loop with no JS work; and the
 *   C++ `build/bench/bench_fill` when it is built);
 * - Deno batch reading (zero-copy columns: packet length and destination port read for
 *   every record, as an aggregation would) and its ratio to the native fill (target >= 0.85);
 * - the record iterator (one object per record; target >= 15 M/s), also with the records
 *   kept (so that none can be optimized away);
 * - CSV to a file through the native encoder;
 * - a pure-TypeScript generator of the same records doing the same work per record
 *   (`ts_baseline.ts`: counter-based RNG, alias tables, multiply-shift ranges, the same
 *   typed-array columns): the native batch path should be >= 6x faster.
 *
 * Each step runs a few rounds, interleaved, and keeps its best. Rates are given per
 * wall-clock second and per CPU-second of this process (the latter is what the ratios
 * use: it stays meaningful on a machine shared with other work); nothing is asserted.
 *
 * ```sh
 * deno task bench [records per step, default 50000000]
 * ```
 *
 * @module
 */

import process from "node:process";
import { defaultConfig, exportCsv, FlowGenerator } from "../mod.ts";
import { nativeGeneratorOf } from "../src/generator.ts";
import { baselineBatch, TsFlowGenerator } from "./ts_baseline.ts";

const RECORDS = Number(Deno.args[0] ?? 50_000_000);
const ROUNDS = 3;

function config(): ReturnType<typeof defaultConfig> {
  const c = defaultConfig();
  c.generation.max_flows = 0;
  c.generation.seed = 42n;
  return c;
}

/** A rate per wall-clock second and per CPU-second of this process. */
interface Rate {
  wall: number;
  cpu: number;
}

interface Clock {
  wall: number;
  cpu: number;
}

function clock(): Clock {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (user + system) / 1e6 };
}

function rate(records: number, start: Clock): Rate {
  const end = clock();
  return { wall: records / (end.wall - start.wall), cpu: records / (end.cpu - start.cpu) };
}

function best(a: Rate | undefined, b: Rate): Rate {
  return a === undefined ? b : { wall: Math.max(a.wall, b.wall), cpu: Math.max(a.cpu, b.cpu) };
}

function nativeFill(generator: FlowGenerator, records: number): Rate {
  const g = nativeGeneratorOf(generator);
  g.fill(); // warm-up
  const start = clock();
  let done = 0;
  while (done < records) done += g.fill();
  return rate(done, start);
}

let sink = 0;

function batchRead(generator: FlowGenerator, records: number): Rate {
  generator.nextBatch(); // warm-up
  const start = clock();
  let done = 0;
  let checksum = 0;
  for (const batch of generator.batches()) {
    const lengths = batch.packetLength;
    const ports = batch.destinationPort;
    // An integer sum per batch (exact: below 2^31 for batches of up to 16384 records of
    // 16-bit values), added to the total once: a float sum per record would make the loop
    // wait on one float add after another.
    let sum = 0;
    for (let i = 0; i < batch.length; i++) sum = (sum + lengths[i] + ports[i]) | 0;
    checksum += sum;
    done += batch.length;
    if (done >= records) break;
  }
  sink += checksum;
  return rate(done, start);
}

function iterate(generator: FlowGenerator, records: number): Rate {
  const start = clock();
  let done = 0;
  let checksum = 0;
  for (const flow of generator) {
    checksum += flow.packet_length + flow.destination_port;
    if (++done >= records) break;
  }
  sink += checksum;
  return rate(done, start);
}

// The same loop keeping the last records: V8 can no longer elide the record objects (it
// may in `iterate`, which reads two fields of each and drops it), so every one is made.
const kept: unknown[] = new Array(64);

function iterateKept(generator: FlowGenerator, records: number): Rate {
  const start = clock();
  let done = 0;
  let checksum = 0;
  for (const flow of generator) {
    kept[done & 63] = flow;
    checksum += flow.packet_length + flow.destination_port;
    if (++done >= records) break;
  }
  sink += checksum;
  return rate(done, start);
}

function csvToFile(generator: FlowGenerator, records: number, file: string): Rate {
  const start = clock();
  const { records: done } = exportCsv(generator, file, { maxRecords: records });
  return rate(done, start);
}

function tsBaseline(records: number): Rate {
  const generator = new TsFlowGenerator(42);
  const batch = baselineBatch(16384);
  generator.fill(batch, 16384); // warm-up
  const start = clock();
  let done = 0;
  while (done < records) done += generator.fill(batch, 16384);
  sink += batch.packetLength[0];
  return rate(done, start);
}

async function nativeBinary(): Promise<string | undefined> {
  const path = new URL("../build/bench/bench_fill", import.meta.url);
  try {
    await Deno.stat(path);
  } catch {
    return undefined;
  }
  const { stdout } = await new Deno.Command(path, { args: [String(RECORDS)] }).output();
  return new TextDecoder().decode(stdout).split("\n").find((line) => line.startsWith("packet"));
}

function m(r: Rate): string {
  const f = (x: number) => (x / 1e6).toFixed(1).padStart(6);
  return `${f(r.wall)} M/s wall ${f(r.cpu)} M/s per CPU-s`;
}

async function main(): Promise<void> {
  const results: Partial<
    Record<"fill" | "read" | "iterator" | "iteratorKept" | "csv" | "baseline", Rate>
  > = {};
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      using generator = new FlowGenerator(config());
      results.fill = best(results.fill, nativeFill(generator, RECORDS));
      results.read = best(results.read, batchRead(generator, RECORDS));
      results.iterator = best(results.iterator, iterate(generator, RECORDS / 5));
      results.iteratorKept = best(results.iteratorKept, iterateKept(generator, RECORDS / 5));
      results.baseline = best(results.baseline, tsBaseline(RECORDS / 5));
      results.csv = best(results.csv, csvToFile(generator, RECORDS / 5, file));
    }
  } finally {
    await Deno.remove(file).catch(() => {});
  }
  const { fill, read, iterator, iteratorKept, csv, baseline } = results as Record<string, Rate>;
  const binary = await nativeBinary();
  const ok = (condition: boolean) => condition ? "met" : "NOT met";
  const readRatio = read.cpu / fill.cpu;
  const speedup = read.cpu / baseline.cpu;
  console.log(
    `FlowGen Deno benchmark: ${RECORDS.toLocaleString("en-US")} records per step, ` +
      `best of ${ROUNDS} rounds, brief example config, batch 16384`,
  );
  console.log(`native batch fill (through the ABI)  ${m(fill)}`);
  if (binary) console.log(`native batch fill (bench_fill): ${binary.replace(/\s+/g, " ")}`);
  console.log(
    `Deno batch reading (zero-copy)       ${m(read)}   ratio to native ` +
      `${readRatio.toFixed(2)} (target >= 0.85: ${ok(readRatio >= 0.85)})`,
  );
  console.log(
    `Deno iterator (one object/record)    ${m(iterator)}   (target >= 15 M/s: ` +
      `${ok(iterator.cpu >= 15e6)})`,
  );
  console.log(`Deno iterator, records kept          ${m(iteratorKept)}`);
  console.log(`CSV to a file (native encoder)       ${m(csv)}`);
  console.log(
    `pure TypeScript baseline             ${m(baseline)}   native batch path ` +
      `${speedup.toFixed(1)}x faster (target >= 6x: ${ok(speedup >= 6)})`,
  );
  if (sink === 0.5) console.log(""); // keeps the checksums alive
}

if (import.meta.main) await main();
