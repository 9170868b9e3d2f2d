import { deepStrictEqual, notDeepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { ClosedError, ConfigError, FlowGenerator, type FlowRecord, parseIpv6 } from "../mod.ts";
import { liveNativeGenerators } from "../src/native/generator_handle.ts";
import { smallConfig } from "./_helpers.ts";

function take(generator: FlowGenerator, n: number): FlowRecord[] {
  const out: FlowRecord[] = [];
  for (const flow of generator) {
    out.push(flow);
    if (out.length === n) break;
  }
  return out;
}

Deno.test("iterator yields max_flows records with the brief's fields in range", () => {
  using generator = new FlowGenerator(smallConfig(20_000));
  const flows = [...generator];
  strictEqual(flows.length, 20_000);
  let previous = 0n;
  const patterns = new Set<string>();
  for (const flow of flows) {
    ok(/^192\.168\.[12]\.\d+$/.test(flow.source_ip), flow.source_ip);
    ok(flow.destination_ip.startsWith("10."), flow.destination_ip);
    ok(flow.source_port >= 0 && flow.source_port <= 65535);
    ok(flow.destination_port >= 0 && flow.destination_port <= 65535);
    ok([1, 6, 17].includes(flow.protocol), `protocol ${flow.protocol}`);
    ok(flow.packet_length >= 64 && flow.packet_length <= 1500, `length ${flow.packet_length}`);
    strictEqual(flow.packets, 1);
    strictEqual(flow.bytes, flow.packet_length);
    strictEqual(flow.duration, 0);
    strictEqual(flow.ip_version, 4);
    ok(flow.timestamp_ns >= previous, "timestamps in order");
    previous = flow.timestamp_ns;
    ok(Math.abs(Number(flow.timestamp_ns) / 1e9 - flow.timestamp) < 1e-6);
    ok(flow.timestamp >= 1704067200 && flow.timestamp < 1704067201);
    patterns.add(flow.pattern);
  }
  deepStrictEqual(
    [...patterns].sort(),
    ["database_traffic", "dns_traffic", "random", "ssh_traffic", "web_traffic"],
  );
  const dns = flows.filter((flow) => flow.pattern === "dns_traffic");
  ok(dns.every((flow) => flow.destination_port === 53 && flow.protocol === 17));
  ok(Math.abs(dns.length / flows.length - 0.2) < 0.02, `dns share ${dns.length}`);
});

Deno.test("same config and seed give the same records; another seed does not", () => {
  const a = new FlowGenerator(smallConfig(5000, 7));
  const b = new FlowGenerator(smallConfig(5000, 7));
  const c = new FlowGenerator(smallConfig(5000, 8));
  const json = (g: FlowGenerator) => JSON.stringify([...g]);
  const first = json(a);
  strictEqual(json(b), first);
  notDeepStrictEqual(json(c), first);
  a.close();
  b.close();
  c.close();
});

Deno.test("reset() replays the identical sequence", () => {
  using generator = new FlowGenerator(smallConfig(3000));
  const first = JSON.stringify(take(generator, 2500));
  generator.reset();
  strictEqual(JSON.stringify(take(generator, 2500)), first);
});

Deno.test("next() hands out records one by one, then null; isDone()", () => {
  using generator = new FlowGenerator(smallConfig(3));
  strictEqual(generator.isDone(), false);
  const records = [generator.next(), generator.next(), generator.next()];
  ok(records.every((record) => record !== null));
  strictEqual(generator.next(), null);
  strictEqual(generator.isDone(), true);
  strictEqual(generator.next(), null);
});

Deno.test("next() and the iterator share one position", () => {
  const whole = new FlowGenerator(smallConfig(100));
  const expected = JSON.stringify([...whole]);
  whole.close();
  using generator = new FlowGenerator(smallConfig(100));
  const mixed = [generator.next()!, generator.next()!, ...take(generator, 10), ...generator];
  strictEqual(JSON.stringify(mixed), expected);
});

Deno.test("getStats() counts the records handed out, bytes, span and seed", () => {
  using generator = new FlowGenerator(smallConfig(50_000, 99));
  const flows = take(generator, 1234);
  const stats = generator.getStats();
  strictEqual(stats.flows_generated, 1234);
  strictEqual(stats.packets_generated, 1234);
  strictEqual(stats.bytes_generated, flows.reduce((sum, flow) => sum + flow.bytes, 0));
  strictEqual(stats.seed, 99n);
  strictEqual(stats.first_timestamp, 1704067200);
  ok(stats.flows_per_second > 0);
  for (const _ of generator);
  const done = generator.getStats();
  strictEqual(done.flows_generated, 50_000);
  // 10 Gbps: the span is the bytes' transmission time.
  const expected = done.bytes_generated * 8 / 10e9;
  ok(Math.abs(done.simulated_seconds - expected) / expected < 0.01, `${done.simulated_seconds}`);
});

Deno.test("a random seed is reported by getStats()", () => {
  const config = smallConfig(10);
  delete (config.generation as Record<string, unknown>).seed;
  using generator = new FlowGenerator(config);
  const records = JSON.stringify([...generator]);
  const seed = generator.getStats().seed;
  using again = new FlowGenerator(smallConfig(10, 0, { seed: seed.toString() }));
  strictEqual(JSON.stringify([...again]), records);
});

Deno.test("initialize() reads a YAML config file (the brief's example)", async () => {
  const generator = new FlowGenerator();
  strictEqual(
    await generator.initialize(new URL("../configs/example_config.yaml", import.meta.url)),
    true,
  );
  strictEqual(generator.config.generation.max_flows, 1_000_000);
  deepStrictEqual(generator.patternNames, [
    "web_traffic",
    "dns_traffic",
    "database_traffic",
    "ssh_traffic",
    "random",
  ]);
  strictEqual(generator.next()!.timestamp, 1704067200);
  generator.close();
});

Deno.test("a bad config is a ConfigError naming the key", () => {
  const config = smallConfig(10);
  (config.traffic_patterns as { percentage: number }[])[1].percentage = 25;
  throws(() => new FlowGenerator(config), (error: unknown) => {
    ok(error instanceof ConfigError);
    ok(/percentage/.test(error.message), error.message);
    return true;
  });
  throws(
    () => new FlowGenerator({ ...smallConfig(10), network: { source_subnets: ["300.1.1.0/24"] } }),
    ConfigError,
  );
});

Deno.test("an uninitialized generator says so", () => {
  const generator = new FlowGenerator();
  throws(() => generator.next(), /not initialized/);
  throws(() => [...generator], /not initialized/);
});

Deno.test("a closed generator throws ClosedError, close() twice is harmless", () => {
  const generator = new FlowGenerator(smallConfig(100_000));
  const iterator = generator[Symbol.iterator]();
  iterator.next();
  generator.close();
  generator.close();
  strictEqual(generator.closed, true);
  throws(() => generator.next(), ClosedError);
  throws(() => generator.getStats(), ClosedError);
  throws(() => generator.reset(), ClosedError);
  throws(() => generator.isDone(), ClosedError);
  throws(() => [...generator.batches()], ClosedError);
  throws(() => generator.nextBatch(), ClosedError);
  // An iterator made before close() fails cleanly on its next refill.
  throws(() => {
    for (let i = 0; i < 100_000; i++) iterator.next();
  }, ClosedError);
  throws(() => generator.next(), /closed/);
});

Deno.test("`using` disposes the generator", () => {
  let escaped: FlowGenerator;
  {
    using generator = new FlowGenerator(smallConfig(10));
    escaped = generator;
    generator.next();
  }
  strictEqual(escaped.closed, true);
  throws(() => escaped.next(), ClosedError);
});

Deno.test("IPv6 subnets give IPv6 records in their subnets", () => {
  using generator = new FlowGenerator({
    ...smallConfig(2000),
    network: {
      source_subnets: ["2001:db8:aaaa::/48", "192.168.1.0/24"],
      destination_subnets: ["2001:db8:bbbb::/48", "10.0.0.0/8"],
    },
  });
  let v6 = 0;
  for (const flow of generator) {
    if (flow.ip_version !== 6) {
      ok(flow.source_ip.startsWith("192.168.1."));
      continue;
    }
    v6++;
    const source = parseIpv6(flow.source_ip);
    const destination = parseIpv6(flow.destination_ip);
    deepStrictEqual([...source.subarray(0, 6)], [0x20, 0x01, 0x0d, 0xb8, 0xaa, 0xaa]);
    deepStrictEqual([...destination.subarray(0, 6)], [0x20, 0x01, 0x0d, 0xb8, 0xbb, 0xbb]);
  }
  ok(v6 > 500 && v6 < 1500, `v6 records: ${v6}`);
});

Deno.test({
  name: "a forgotten generator is freed by the FinalizationRegistry",
  ignore: typeof (globalThis as { gc?: unknown }).gc !== "function",
  async fn() {
    const gc = (globalThis as unknown as { gc: () => void }).gc;
    const before = liveNativeGenerators();
    (() => {
      for (let i = 0; i < 20; i++) new FlowGenerator(smallConfig(10)).next();
    })();
    strictEqual(liveNativeGenerators(), before + 20);
    for (let round = 0; round < 20 && liveNativeGenerators() > before; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    strictEqual(liveNativeGenerators(), before);
  },
});
