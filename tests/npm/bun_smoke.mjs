// Bun smoke test of the installed npm package (run by bun.test.ts from the test project):
// the "bun" export condition picks the bun:ffi backend, the API generates, batches agree
// with the iterator, exportCsv writes the file, and the flowgen bin runs the CLI.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { exportCsv, FlowGenerator } from "flowgen";
import { loadLibrary } from "./node_modules/flowgen/src/native/loader.js";

const config = {
  generation: { max_flows: 5000, seed: 11, start_timestamp: 1704067200 },
  traffic_patterns: [
    { type: "web_traffic", percentage: 60 },
    { type: "dns_traffic", percentage: 40 },
  ],
  network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
};

strictEqual(typeof process.versions.bun, "string", "run this with bun");
strictEqual(loadLibrary().runtime, "bun");

const records = [...new FlowGenerator(config)];
strictEqual(records.length, 5000);
const first = records[0];
ok(first.source_ip.startsWith("192.168.1."));
ok(first.destination_ip.startsWith("10."));
ok([53, 80, 443].includes(first.destination_port));

let count = 0;
const generator = new FlowGenerator(config);
for (const batch of generator.batches()) {
  for (let i = 0; i < batch.length; i++, count++) {
    strictEqual(batch.sourcePort[i], records[count].source_port);
    strictEqual(batch.timestamp[i], records[count].timestamp);
  }
}
strictEqual(count, 5000);
generator.close();

const dir = mkdtempSync(`${tmpdir()}/flowgen-bun-`);
try {
  const file = `${dir}/flows.csv`;
  await exportCsv(new FlowGenerator(config), file);
  const lines = readFileSync(file, "utf8").trimEnd().split("\n");
  strictEqual(lines.length, 5001);
  strictEqual(lines[0], "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length");

  const bin = fileURLToPath(new URL("./node_modules/flowgen/bin/flowgen.js", import.meta.url));
  const cli = spawnSync(process.execPath, [bin, "generate", "-n", "100", "--seed", "3"], {
    encoding: "utf8",
  });
  strictEqual(cli.status, 0, cli.stderr);
  deepStrictEqual(cli.stdout.trimEnd().split("\n").length, 101);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log("bun smoke: ok");
