import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { FlowBatch, FlowGenerator, type FlowRecord, ipv4ToString } from "../mod.ts";
import { smallConfig } from "./_helpers.ts";

Deno.test("batches and the iterator give the same records, field by field", () => {
  const config = smallConfig(40_000, 5, { batch_size: 4096 });
  using byRecord = new FlowGenerator(config);
  using byBatch = new FlowGenerator(config);
  const records = [...byRecord];
  let i = 0;
  for (const batch of byBatch.batches()) {
    ok(batch instanceof FlowBatch);
    ok(batch.length <= 4096);
    for (let j = 0; j < batch.length; j++, i++) {
      const r = records[i];
      strictEqual(batch.timestamp[j], r.timestamp);
      strictEqual(batch.timestampNs[j], r.timestamp_ns);
      strictEqual(batch.sourceIp(j), r.source_ip);
      strictEqual(ipv4ToString(batch.destinationIp4[j]), r.destination_ip);
      strictEqual(batch.sourcePort[j], r.source_port);
      strictEqual(batch.destinationPort[j], r.destination_port);
      strictEqual(batch.protocol[j], r.protocol);
      strictEqual(batch.packetLength[j], r.packet_length);
      strictEqual(batch.packets[j], r.packets);
      strictEqual(Number(batch.bytes[j]), r.bytes);
      strictEqual(Number(batch.durationNs[j]) / 1e9, r.duration);
      strictEqual(batch.tcpFlags[j], r.tcp_flags);
      strictEqual(Number(batch.flowId[j]), r.flow_id);
      strictEqual(batch.direction[j], r.direction);
      strictEqual(batch.patternName(j), r.pattern);
      strictEqual(batch.ipVersion[j], r.ip_version);
    }
  }
  strictEqual(i, records.length);
});

Deno.test("records equal their batch rows in flow mode: responses, IPv6, durations > 2^32 ns", () => {
  const config = {
    ...smallConfig(30_000, 9, {
      batch_size: 2048,
      flow_model: "flow",
      bidirectional: { probability: 0.6 },
    }),
    network: {
      source_subnets: ["2001:db8:aaaa::/48", "192.168.1.0/24"],
      destination_subnets: ["2001:db8:bbbb::/48", "10.0.0.0/8"],
    },
  };
  using generator = new FlowGenerator(config);
  const seen = { v6: 0, response: 0, longFlows: 0 };
  const kept: [FlowRecord, Record<string, unknown>][] = [];
  for (const batch of generator.batches()) {
    for (let j = 0; j < batch.length; j++) {
      const r = batch.record(j);
      const row = {
        source_ip: batch.sourceIp(j),
        destination_ip: batch.destinationIp(j),
        source_port: batch.sourcePort[j],
        destination_port: batch.destinationPort[j],
        protocol: batch.protocol[j],
        timestamp: batch.timestamp[j],
        timestamp_ns: batch.timestampNs[j].toString(),
        packet_length: batch.packetLength[j],
        packets: batch.packets[j],
        bytes: Number(batch.bytes[j]),
        duration: Number(batch.durationNs[j]) / 1e9,
        tcp_flags: batch.tcpFlags[j],
        flow_id: Number(batch.flowId[j]),
        direction: batch.direction[j],
        pattern: batch.patternName(j),
        ip_version: batch.ipVersion[j],
      };
      deepStrictEqual(r.toJSON(), row);
      if (row.ip_version === 6) seen.v6++;
      if (row.direction === 1) seen.response++;
      if (Number(batch.durationNs[j]) > 2 ** 32) seen.longFlows++;
      if (j % 1000 === 0) kept.push([r, row]);
    }
  }
  ok(seen.v6 > 0 && seen.response > 0 && seen.longFlows > 0, JSON.stringify(seen));
  // Records keep their values after the batch memory moved on.
  for (const [r, row] of kept) deepStrictEqual(r.toJSON(), row);
});

Deno.test("columns are views over the same engine memory for every batch", () => {
  using generator = new FlowGenerator(smallConfig(50_000, 1, { batch_size: 8192 }));
  const first = generator.nextBatch()!;
  const second = generator.nextBatch()!;
  strictEqual(first.length, 8192);
  strictEqual(first.timestamp.buffer, second.timestamp.buffer);
  strictEqual(first.sourcePort.buffer, second.sourcePort.buffer);
  strictEqual(first.sourcePort.length, first.length);
  strictEqual(first.sourceIp6.length, 16 * first.length);
  // The first batch now shows the second batch's records (valid until the next batch).
  strictEqual(first.timestamp[0], second.timestamp[0]);
});

Deno.test("copy() keeps a batch after the next one", () => {
  using generator = new FlowGenerator(smallConfig(50_000, 2, { batch_size: 1000 }));
  const batch = generator.nextBatch()!;
  const snapshot = Array.from(batch.timestamp);
  const ports = Array.from(batch.destinationPort);
  const record = batch.record(10);
  const copy = batch.copy();
  generator.nextBatch();
  deepStrictEqual(Array.from(copy.timestamp), snapshot);
  deepStrictEqual(Array.from(copy.destinationPort), ports);
  strictEqual(copy.record(10).timestamp_ns, record.timestamp_ns);
  strictEqual(copy.sourceIp(10), record.source_ip);
  ok(copy.timestamp.buffer !== batch.timestamp.buffer);
  strictEqual([...copy].length, 1000);
});

Deno.test("nextBatch(max) caps the batch; records and batches share one position", () => {
  const full = new FlowGenerator(smallConfig(1000));
  const all = [...full].map((r) => r.timestamp_ns);
  full.close();
  using generator = new FlowGenerator(smallConfig(1000));
  const seen: bigint[] = [];
  seen.push(generator.next()!.timestamp_ns);
  const small = generator.nextBatch(5)!;
  strictEqual(small.length, 5);
  seen.push(...small.timestampNs);
  for (const batch of generator.batches(300)) {
    ok(batch.length <= 300);
    seen.push(...batch.timestampNs);
    if (seen.length > 600) break;
  }
  seen.push(generator.next()!.timestamp_ns);
  for (const record of generator) seen.push(record.timestamp_ns);
  deepStrictEqual(seen, all);
  strictEqual(generator.nextBatch(), null);
});

Deno.test("record(i) checks its index", () => {
  using generator = new FlowGenerator(smallConfig(10));
  const batch = generator.nextBatch()!;
  throws(() => batch.record(10), RangeError);
  throws(() => batch.record(-1), RangeError);
});

Deno.test("a batch of a closed generator is empty instead of reading freed memory", () => {
  const generator = new FlowGenerator(smallConfig(1000));
  const batch = generator.nextBatch()!;
  const copy = batch.copy();
  generator.close();
  strictEqual(batch.timestamp.length, 0);
  strictEqual(batch.sourcePort[0], undefined);
  strictEqual(copy.length, 1000);
  strictEqual(copy.sourcePort.length, 1000);
});
