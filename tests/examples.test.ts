import { ok, strictEqual } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { ROOT, runDeno } from "./_helpers.ts";

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-examples-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("examples/basic_usage.ts runs as written", () =>
  inTempDir(async (dir) => {
    const { code, stdout, stderr } = await runDeno(`${ROOT}examples/basic_usage.ts`, [], {
      cwd: dir,
    });
    strictEqual(code, 0, stderr);
    ok(stdout.includes("Generated 100,000 flows"), stdout);
    ok(/Rate: [\d,]+ flows\/sec/.test(stdout), stdout);
    const rows: string[][] = parse(await Deno.readTextFile(`${dir}/output.csv`));
    strictEqual(rows.length, 100_001);
    strictEqual(rows[0].join(","), "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length");
  }));

Deno.test("examples/streaming_usage.ts runs as written", () =>
  inTempDir(async (dir) => {
    const { code, stdout, stderr } = await runDeno(`${ROOT}examples/streaming_usage.ts`, [], {
      cwd: dir,
    });
    strictEqual(code, 0, stderr);
    ok(stdout.includes("Read 1,000,000 records in batches"), stdout);
    ok(stdout.includes("(40.00 Gbps measured)"), stdout);
    ok(stdout.includes("Streamed 1,000,000 records to flows.jsonl"), stdout);
    const text = await Deno.readTextFile(`${dir}/flows.jsonl`);
    const lines = text.trimEnd().split("\n");
    strictEqual(lines.length, 1_000_000);
    ok(typeof JSON.parse(lines[999_999]).src_ip === "string");
  }));
