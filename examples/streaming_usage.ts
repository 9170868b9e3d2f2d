/**
 * Memory-efficient streaming: read a million records as zero-copy batches of typed-array
 * columns (the fast path), aggregate them as they come, then stream a generator straight
 * to a JSON Lines file through the native encoder. Memory stays flat whatever the count.
 *
 * ```sh
 * deno run -A examples/streaming_usage.ts [OUTPUT.jsonl]
 * ```
 *
 * @module
 */

import { exportJsonLines, FlowGenerator } from "../mod.ts";

const output = Deno.args[0] ?? "flows.jsonl";
const config = {
  generation: { max_flows: 1_000_000, rate: { bandwidth_gbps: 40 }, seed: 2024 },
  traffic_patterns: [
    { type: "web_traffic", percentage: 50 },
    { type: "dns_traffic", percentage: 30 },
    { type: "ssh_traffic", percentage: 20 },
  ],
  network: { source_subnets: ["192.168.0.0/16"], destination_subnets: ["10.0.0.0/8"] },
};

// 1. Aggregate batch by batch: bytes per destination port, no record objects at all.
using generator = new FlowGenerator(config);
const bytesPerPort = new Map<number, number>();
let records = 0;
for (const batch of generator.batches()) {
  const ports = batch.destinationPort;
  const lengths = batch.packetLength;
  for (let i = 0; i < batch.length; i++) {
    bytesPerPort.set(ports[i], (bytesPerPort.get(ports[i]) ?? 0) + lengths[i]);
  }
  records += batch.length;
}
const top = [...bytesPerPort].sort((a, b) => b[1] - a[1]).slice(0, 5);
console.log(`Read ${records.toLocaleString("en-US")} records in batches`);
for (const [port, bytes] of top) {
  console.log(`  port ${String(port).padStart(5)}: ${bytes.toLocaleString("en-US")} bytes`);
}
const stats = generator.getStats();
console.log(
  `Simulated ${stats.simulated_seconds.toFixed(3)} s of traffic at 40 Gbps ` +
    `(${(stats.bytes_generated * 8 / stats.simulated_seconds / 1e9).toFixed(2)} Gbps measured)`,
);

// 2. Replay the same records and stream them to a file through the native encoder.
generator.reset();
const written = exportJsonLines(generator, output);
console.log(`Streamed ${written.records.toLocaleString("en-US")} records to ${output}`);
