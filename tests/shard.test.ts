// Sharding and threads: the merge of N shards matches a single run statistically, shards
// never repeat each other, `flowgen merge` output is sorted, threads output is deterministic.

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { closeSync, openSync, readFileSync } from "node:fs";
import { exportCsv, exportJsonLines, FlowGenerator } from "../mod.ts";
import { mergeFlowFiles, timestampKey } from "../src/merge.ts";
import { parseGenerateArgs } from "../src/commands/generate.ts";
import { UsageError } from "../src/errors.ts";
import { runCli, smallConfig } from "./_helpers.ts";

const N = 60_000;
const SHARDS = 3;

interface Summary {
  records: number;
  patterns: Map<string, number>;
  protocols: Map<number, number>;
  bytes: number;
  first: bigint;
  last: bigint;
  flowIds: Set<bigint>;
  keys: string[];
}

function summarize(config: Record<string, unknown>): Summary {
  using generator = new FlowGenerator(config);
  const s: Summary = {
    records: 0,
    patterns: new Map(),
    protocols: new Map(),
    bytes: 0,
    first: -1n,
    last: 0n,
    flowIds: new Set(),
    keys: [],
  };
  for (const batch of generator.batches()) {
    for (let i = 0; i < batch.length; i++) {
      const name = generator.patternNames[batch.pattern[i]];
      s.patterns.set(name, (s.patterns.get(name) ?? 0) + 1);
      s.protocols.set(batch.protocol[i], (s.protocols.get(batch.protocol[i]) ?? 0) + 1);
      s.bytes += Number(batch.bytes[i]);
      const ts = batch.timestampNs[i];
      if (s.first < 0n) s.first = ts;
      ok(ts >= s.last, "records of a generator come in timestamp order");
      s.last = ts;
      if (batch.direction[i] === 0) s.flowIds.add(batch.flowId[i]);
      s.keys.push(
        `${ts},${batch.sourceIp4[i]},${batch.destinationIp4[i]},${batch.sourcePort[i]},` +
          `${batch.destinationPort[i]},${batch.protocol[i]},${batch.flowId[i]}`,
      );
    }
    s.records += batch.length;
  }
  return s;
}

function share<K>(map: Map<K, number>, key: K, total: number): number {
  return (map.get(key) ?? 0) / total;
}

const base = (extra: Record<string, unknown> = {}) => smallConfig(N, 77, extra);

Deno.test("the merge of N shards matches a single run: shares, bandwidth, pattern mix", () => {
  const single = summarize(base());
  const shards = Array.from(
    { length: SHARDS },
    (_, i) => summarize(base({ shard: { index: i, count: SHARDS } })),
  );
  strictEqual(shards.reduce((sum, s) => sum + s.records, 0), N);
  for (const s of shards) ok(Math.abs(s.records - N / SHARDS) <= 1);
  // Pattern and protocol mix within 1.5 points of the single run.
  for (const name of single.patterns.keys()) {
    const merged = shards.reduce((sum, s) => sum + (s.patterns.get(name) ?? 0), 0) / N;
    const expected = share(single.patterns, name, N);
    ok(Math.abs(merged - expected) < 0.015, `${name}: ${merged} vs ${expected}`);
  }
  for (const protocol of single.protocols.keys()) {
    const merged = shards.reduce((sum, s) => sum + (s.protocols.get(protocol) ?? 0), 0) / N;
    ok(Math.abs(merged - share(single.protocols, protocol, N)) < 0.015, `protocol ${protocol}`);
  }
  // Bandwidth: each shard runs at bandwidth/N over the same span, so the merge's bytes per
  // simulated second match the single run's (the configured bandwidth).
  const rate = (bytes: number, first: bigint, last: bigint) =>
    bytes * 8 / (Number(last - first) / 1e9) / 1e9;
  const singleRate = rate(single.bytes, single.first, single.last);
  const first = shards.reduce((min, s) => s.first < min ? s.first : min, shards[0].first);
  const last = shards.reduce((max, s) => s.last > max ? s.last : max, 0n);
  const mergedRate = rate(shards.reduce((sum, s) => sum + s.bytes, 0), first, last);
  ok(Math.abs(mergedRate / singleRate - 1) < 0.05, `${mergedRate} vs ${singleRate} Gbps`);
  ok(Math.abs(singleRate / 10 - 1) < 0.05, `single run at ${singleRate} Gbps, configured 10`);
  // Every shard covers the same simulated span (not a slice of it).
  for (const s of shards) {
    const span = Number(s.last - s.first);
    ok(Math.abs(span / Number(single.last - single.first) - 1) < 0.05, `span ${span}`);
  }
});

Deno.test("shards never repeat each other: distinct flow ids, records and RNG streams", () => {
  const shards = Array.from(
    { length: SHARDS },
    (_, i) =>
      summarize(base({ shard: { index: i, count: SHARDS }, bidirectional: { probability: 0.3 } })),
  );
  const ids = new Set<bigint>();
  const keys = new Set<string>();
  for (const s of shards) {
    for (const id of s.flowIds) {
      ok(!ids.has(id), `flow id ${id} appears in two shards`);
      ids.add(id);
    }
    for (const key of s.keys) keys.add(key);
  }
  strictEqual(keys.size, N, "identical records in two shards");
  // Independent streams: the first records of two shards are not the same draws.
  const head = (s: Summary) => s.keys.slice(0, 50).map((key) => key.split(",").slice(1, 5).join());
  ok(head(shards[0]).join() !== head(shards[1]).join());
  // A shard is deterministic.
  deepStrictEqual(
    summarize(base({ shard: { index: 1, count: SHARDS }, bidirectional: { probability: 0.3 } }))
      .keys,
    shards[1].keys,
  );
});

function sortedTimestamps(lines: string[], column: number): void {
  let previous: [number, number] = [0, 0];
  for (const line of lines) {
    const key = timestampKey(line.split(",")[column]);
    ok(key[0] > previous[0] || (key[0] === previous[0] && key[1] >= previous[1]), line);
    previous = key;
  }
}

Deno.test("flowgen merge of shard CSV/JSONL outputs: sorted, complete, one header", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const csvs: string[] = [];
    const jsonls: string[] = [];
    for (let i = 0; i < SHARDS; i++) {
      using generator = new FlowGenerator(base({ shard: { index: i, count: SHARDS } }));
      csvs.push(`${dir}/shard-${i}.csv`);
      exportCsv(generator, csvs[i], { fields: "timestamp,src_ip,flow_id,pattern" });
      generator.reset();
      jsonls.push(`${dir}/shard-${i}.jsonl`);
      exportJsonLines(generator, jsonls[i], { fields: "src_ip,timestamp,flow_id" });
    }
    const result = await runCli(["merge", ...csvs, "-o", `${dir}/merged.csv`]);
    strictEqual(result.code, 0, result.stderr);
    const lines = readFileSync(`${dir}/merged.csv`, "utf8").trimEnd().split("\n");
    strictEqual(lines[0], "timestamp,src_ip,flow_id,pattern");
    strictEqual(lines.length, N + 1);
    sortedTimestamps(lines.slice(1), 0);
    const ids = new Set(lines.slice(1).map((line) => line.split(",")[2]));
    strictEqual(ids.size, N);
    // JSONL, via the library function, to a descriptor.
    const fd = openSync(`${dir}/merged.jsonl`, "w");
    const merged = mergeFlowFiles(jsonls, fd);
    closeSync(fd);
    deepStrictEqual(merged, { records: N, format: "jsonl" });
    const records = readFileSync(`${dir}/merged.jsonl`, "utf8").trimEnd().split("\n");
    strictEqual(records.length, N);
    sortedTimestamps(records.map((line) => String(JSON.parse(line).timestamp)), 0);
    // Files of different columns are refused.
    Deno.writeTextFileSync(`${dir}/other.csv`, "src_ip,timestamp\n1.2.3.4,1704067200.1\n");
    const bad = await runCli(["merge", csvs[0], `${dir}/other.csv`]);
    strictEqual(bad.code, 1);
    match(bad.stderr, /header differs/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("merge keeps the input order for equal timestamps and reads headerless CSV", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.writeTextFileSync(`${dir}/a.csv`, "1.5,a1\n2.000000001,a2\n3,a3\n");
    Deno.writeTextFileSync(`${dir}/b.csv`, "1.5,b1\n2.000000000,b2\n");
    const fd = openSync(`${dir}/out.csv`, "w");
    mergeFlowFiles([`${dir}/a.csv`, `${dir}/b.csv`], fd);
    closeSync(fd);
    strictEqual(
      readFileSync(`${dir}/out.csv`, "utf8"),
      "1.5,a1\n1.5,b1\n2.000000000,b2\n2.000000001,a2\n3,a3\n",
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("threads: output deterministic for a given T and seed, sorted, same mix", () => {
  const two = summarize(base({ threads: 2 }));
  deepStrictEqual(summarize(base({ threads: 2 })).keys, two.keys);
  strictEqual(two.records, N);
  strictEqual(new Set(two.keys).size, N);
  const single = summarize(base());
  for (const name of single.patterns.keys()) {
    const diff = share(two.patterns, name, N) - share(single.patterns, name, N);
    ok(Math.abs(diff) < 0.015, `${name}: ${diff}`);
  }
  const span = (s: Summary) => Number(s.last - s.first);
  ok(Math.abs(span(two) / span(single) - 1) < 0.05, "threads keep the configured bandwidth");
});

Deno.test("--shard and --threads map to generation.shard and generation.threads", async () => {
  const request = (await parseGenerateArgs(["--shard", "2/5", "--threads", "3", "-n", "10"]))!;
  deepStrictEqual(request.config.generation.shard, { index: 2, count: 5 });
  strictEqual(request.config.generation.threads, 3);
  for (
    const bad of [["--shard", "5/5"], ["--shard", "1"], ["--threads", "0"], ["--threads", "x"]]
  ) {
    await parseGenerateArgs(bad).then(
      () => ok(false, `${bad} accepted`),
      (error) => ok(error instanceof UsageError, String(error)),
    );
  }
});
