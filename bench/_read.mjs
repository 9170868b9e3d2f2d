// The batch-reading loop every runtime's benchmark runs (Deno: deno_read.ts, Node:
// node_read.mjs, Bun: bun_read.ts): the default config with no record limit, three
// zero-copy columns read per record, as deno_bench.ts does. Best of `rounds`, per
// wall-clock second and per CPU-second of the process.
import process from "node:process";

function clock() {
  const { user, system } = process.cpuUsage();
  return { wall: performance.now() / 1000, cpu: (user + system) / 1e6 };
}

/** Reads `records` records in batches with the module `flowgen`; returns the best rate. */
export function benchRead(flowgen, records, rounds = 3) {
  const config = flowgen.defaultConfig();
  config.generation.max_flows = 0;
  config.generation.seed = 42n;
  let best = { wall: 0, cpu: 0 };
  let checksum = 0;
  for (let round = 0; round < rounds; round++) {
    const generator = new flowgen.FlowGenerator(config);
    generator.nextBatch(); // warm-up
    const start = clock();
    let done = 0;
    for (const batch of generator.batches()) {
      const lengths = batch.packetLength;
      const ports = batch.destinationPort;
      const sources = batch.sourceIp4;
      for (let i = 0; i < batch.length; i++) checksum += lengths[i] + ports[i] + (sources[i] & 255);
      done += batch.length;
      if (done >= records) break;
    }
    const end = clock();
    generator.close();
    best = {
      wall: Math.max(best.wall, done / (end.wall - start.wall)),
      cpu: Math.max(best.cpu, done / (end.cpu - start.cpu)),
    };
  }
  return { ...best, checksum };
}
