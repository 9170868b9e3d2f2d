/**
 * `deno task bench`: FlowGen's Deno numbers from one run, on the brief's example config.
 *
 * - native batch fill (`flowgen_generator_next_batch` in a loop with no JS work; and the
 *   C++ `build/bench/bench_fill` when it is built);
 * - Deno batch reading (zero-copy columns, three of them read per record) and its ratio to
 *   the native fill (target >= 0.85);
 * - the record iterator (one object per record; target >= 15 M/s);
 * - CSV to a file through the native encoder;
 * - a pure-TypeScript generator of the same records (`ts_baseline.ts`): the native batch
 *   path should be >= 6x faster.
 *
 * Each step runs a few rounds, interleaved, and keeps its best; wall-clock rates are for
 * reading, never asserted.
 *
 * ```sh
 * deno task bench [records per step, default 50000000]
 * ```
 *
 * @module
 */

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

function rate(records: number, start: number): number {
  return records / ((performance.now() - start) / 1000);
}

function nativeFill(generator: FlowGenerator, records: number): number {
  const g = nativeGeneratorOf(generator);
  g.fill(); // warm-up
  const start = performance.now();
  let done = 0;
  while (done < records) done += g.fill();
  return rate(done, start);
}

let sink = 0;

function batchRead(generator: FlowGenerator, records: number): number {
  generator.nextBatch(); // warm-up
  const start = performance.now();
  let done = 0;
  let checksum = 0;
  for (const batch of generator.batches()) {
    const lengths = batch.packetLength;
    const ports = batch.destinationPort;
    const sources = batch.sourceIp4;
    for (let i = 0; i < batch.length; i++) checksum += lengths[i] + ports[i] + (sources[i] & 255);
    done += batch.length;
    if (done >= records) break;
  }
  sink += checksum;
  return rate(done, start);
}

function iterate(generator: FlowGenerator, records: number): number {
  const start = performance.now();
  let done = 0;
  let checksum = 0;
  for (const flow of generator) {
    checksum += flow.packet_length + flow.destination_port;
    if (++done >= records) break;
  }
  sink += checksum;
  return rate(done, start);
}

function csvToFile(generator: FlowGenerator, records: number, file: string): number {
  const start = performance.now();
  const { records: done } = exportCsv(generator, file, { maxRecords: records });
  return rate(done, start);
}

function tsBaseline(records: number): number {
  const generator = new TsFlowGenerator(42);
  const batch = baselineBatch(16384);
  generator.fill(batch, 16384); // warm-up
  const start = performance.now();
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

function m(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(1).padStart(7)} M records/s`;
}

async function main(): Promise<void> {
  const best = { fill: 0, read: 0, iterator: 0, csv: 0, baseline: 0 };
  const file = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    for (let round = 0; round < ROUNDS; round++) {
      using generator = new FlowGenerator(config());
      best.fill = Math.max(best.fill, nativeFill(generator, RECORDS));
      best.read = Math.max(best.read, batchRead(generator, RECORDS));
      best.iterator = Math.max(best.iterator, iterate(generator, RECORDS / 5));
      best.baseline = Math.max(best.baseline, tsBaseline(RECORDS / 5));
      best.csv = Math.max(best.csv, csvToFile(generator, RECORDS / 5, file));
    }
  } finally {
    await Deno.remove(file).catch(() => {});
  }
  const binary = await nativeBinary();
  const ok = (condition: boolean) => condition ? "met" : "NOT met";
  const readRatio = best.read / best.fill;
  const speedup = best.read / best.baseline;
  console.log(
    `FlowGen Deno benchmark: ${RECORDS.toLocaleString("en-US")} records per step, ` +
      `best of ${ROUNDS} rounds, brief example config, batch 16384`,
  );
  console.log(`native batch fill (through the ABI)  ${m(best.fill)}`);
  if (binary) console.log(`native batch fill (bench_fill)       ${binary.replace(/\s+/g, " ")}`);
  console.log(
    `Deno batch reading (zero-copy)       ${m(best.read)}   ratio to native ` +
      `${readRatio.toFixed(2)} (target >= 0.85: ${ok(readRatio >= 0.85)})`,
  );
  console.log(
    `Deno iterator (one object/record)    ${m(best.iterator)}   (target >= 15 M/s: ` +
      `${ok(best.iterator >= 15e6)})`,
  );
  console.log(`CSV to a file (native encoder)       ${m(best.csv)}`);
  console.log(
    `pure TypeScript baseline             ${m(best.baseline)}   native batch path ` +
      `${speedup.toFixed(1)}x faster (target >= 6x: ${ok(speedup >= 6)})`,
  );
  if (sink === 0.5) console.log(""); // keeps the checksums alive
}

if (import.meta.main) await main();
