/**
 * Basic usage, as in the brief: initialize a generator from the example config, collect
 * flows with the iterator, export them to CSV, print statistics.
 *
 * ```sh
 * deno run -A examples/basic_usage.ts [OUTPUT.csv]
 * ```
 *
 * @module
 */

import { exportCsv, FlowGenerator, type FlowRecord } from "../mod.ts";

const output = Deno.args[0] ?? "output.csv";

// Create and initialize the generator (config path resolved next to this file).
using generator = new FlowGenerator();
await generator.initialize(new URL("../configs/example_config.yaml", import.meta.url));

// Generate flows with the iterator: 100,000 of them (the config allows 1,000,000).
const flows: FlowRecord[] = [];
for (const flow of generator) {
  flows.push(flow);
  if (flows.length === 100_000) break;
}

const first = flows[0];
console.log(
  `First flow: ${first.source_ip}:${first.source_port} -> ` +
    `${first.destination_ip}:${first.destination_port} proto ${first.protocol} ` +
    `${first.packet_length} B at ${first.timestamp.toFixed(6)} (${first.pattern})`,
);

// Export to CSV (formatted by the native engine).
exportCsv(flows, output, { includeHeader: true });
console.log(`Wrote ${flows.length.toLocaleString("en-US")} flows to ${output}`);

// Print statistics.
const stats = generator.getStats();
console.log(`Generated ${stats.flows_generated.toLocaleString("en-US")} flows`);
console.log(`Rate: ${Math.round(stats.flows_per_second).toLocaleString("en-US")} flows/sec`);
console.log(`Simulated time span: ${stats.simulated_seconds.toFixed(6)} s, seed ${stats.seed}`);
