import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { exportCsv, exportJson, exportJsonLines, FlowGenerator, type FlowRecord } from "../mod.ts";
import { listDir, smallConfig } from "./_helpers.ts";

const BRIEF_HEADER = [
  "timestamp",
  "src_ip",
  "dst_ip",
  "src_port",
  "dst_port",
  "protocol",
  "length",
];
const ALL_FIELDS = "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,packets,bytes," +
  "duration,tcp_flags,flow_id,direction,pattern,ip_version";

function records(n: number, seed = 3, extra: Record<string, unknown> = {}): FlowRecord[] {
  using generator = new FlowGenerator(smallConfig(n, seed, extra));
  return [...generator];
}

async function withDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-export-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("exportCsv streams a generator: the brief's header, rows matching the records", () =>
  withDir(async (dir) => {
    const expected = records(30_000);
    using generator = new FlowGenerator(smallConfig(30_000, 3));
    const result = exportCsv(generator, `${dir}/flows.csv`);
    strictEqual(result.records, 30_000);
    const text = await Deno.readTextFile(`${dir}/flows.csv`);
    strictEqual(result.bytes, new TextEncoder().encode(text).length);
    const rows: string[][] = parse(text);
    deepStrictEqual(rows[0], BRIEF_HEADER);
    strictEqual(rows.length, 30_001);
    rows.slice(1).forEach((row, i) => {
      const r = expected[i];
      ok(/^\d+\.\d{6}$/.test(row[0]), row[0]);
      ok(Math.abs(Number(row[0]) - r.timestamp) < 1e-6);
      deepStrictEqual(row.slice(1), [
        r.source_ip,
        r.destination_ip,
        String(r.source_port),
        String(r.destination_port),
        String(r.protocol),
        String(r.packet_length),
      ]);
    });
    deepStrictEqual(listDir(dir), ["flows.csv"]);
  }));

Deno.test("exportCsv without header, with extra fields", () =>
  withDir(async (dir) => {
    const flows = records(100);
    exportCsv(flows, `${dir}/a.csv`, {
      includeHeader: false,
      fields: ["src_ip", "bytes", "pattern"],
    });
    const rows: string[][] = parse(await Deno.readTextFile(`${dir}/a.csv`));
    strictEqual(rows.length, 100);
    deepStrictEqual(rows[0], [flows[0].source_ip, String(flows[0].bytes), flows[0].pattern]);
  }));

Deno.test("arrays of records and plain objects export the same bytes as the generator", () =>
  withDir(async (dir) => {
    const extra = { batch_size: 1000 };
    const config = smallConfig(5000, 11, extra);
    const network = {
      source_subnets: ["192.168.1.0/24", "2001:db8::/64"],
      destination_subnets: ["10.0.0.0/8", "2001:db8:1::/48"],
    };
    const mixed = { ...config, network };
    const kinds = [
      ["csv", exportCsv],
      ["json", exportJson],
      ["jsonl", exportJsonLines],
    ] as const;
    for (const [name, exporter] of kinds) {
      for (const fields of [undefined, ALL_FIELDS]) {
        using generator = new FlowGenerator(mixed);
        exporter(generator, `${dir}/gen.${name}`, { fields });
        generator.reset();
        const flows = [...generator];
        exporter(flows, `${dir}/array.${name}`, { fields });
        exporter(flows.map((flow) => flow.toJSON()), `${dir}/plain.${name}`, { fields });
        const gen = await Deno.readFile(`${dir}/gen.${name}`);
        deepStrictEqual(await Deno.readFile(`${dir}/array.${name}`), gen, `${name} array`);
        deepStrictEqual(await Deno.readFile(`${dir}/plain.${name}`), gen, `${name} plain`);
      }
    }
  }));

Deno.test("exportJson writes an array JSON.parse reads, pretty or compact", () =>
  withDir(async (dir) => {
    const flows = records(500);
    exportJson(flows, `${dir}/pretty.json`);
    exportJson(flows, `${dir}/compact.json`, { pretty: false });
    const pretty = await Deno.readTextFile(`${dir}/pretty.json`);
    const compact = await Deno.readTextFile(`${dir}/compact.json`);
    ok(pretty.includes('\n  {\n    "'), "2-space indent");
    ok(compact.length < pretty.length);
    const data = JSON.parse(pretty);
    deepStrictEqual(JSON.parse(compact), data);
    strictEqual(data.length, 500);
    deepStrictEqual(Object.keys(data[0]).sort(), [...BRIEF_HEADER].sort());
    strictEqual(data[0].src_ip, flows[0].source_ip);
    strictEqual(data[0].dst_port, flows[0].destination_port);
    strictEqual(data[499].length, flows[499].packet_length);
  }));

Deno.test("exportJsonLines writes one object per line", () =>
  withDir(async (dir) => {
    const flows = records(300);
    exportJsonLines(flows, `${dir}/flows.jsonl`);
    const lines = (await Deno.readTextFile(`${dir}/flows.jsonl`)).split("\n");
    strictEqual(lines.pop(), "");
    strictEqual(lines.length, 300);
    lines.forEach((line, i) => {
      const row = JSON.parse(line);
      strictEqual(row.src_ip, flows[i].source_ip);
      strictEqual(row.protocol, flows[i].protocol);
    });
  }));

Deno.test("exporting a generator continues where the iterator stopped", () =>
  withDir(async (dir) => {
    const all = records(1000);
    using generator = new FlowGenerator(smallConfig(1000, 3));
    for (let i = 0; i < 10; i++) generator.next();
    const result = exportJsonLines(generator, `${dir}/rest.jsonl`);
    strictEqual(result.records, 990);
    const rows = (await Deno.readTextFile(`${dir}/rest.jsonl`)).trim().split("\n").map((line) =>
      JSON.parse(line)
    );
    strictEqual(rows[0].src_ip, all[10].source_ip);
    strictEqual(rows[989].src_port, all[999].source_port);
    strictEqual(generator.isDone(), true);
  }));

Deno.test("an unlimited generator needs maxRecords", () =>
  withDir(async (dir) => {
    using generator = new FlowGenerator(smallConfig(0));
    throws(() => exportCsv(generator, `${dir}/x.csv`), RangeError);
    strictEqual(exportCsv(generator, `${dir}/x.csv`, { maxRecords: 2500 }).records, 2500);
    strictEqual((await Deno.readTextFile(`${dir}/x.csv`)).trim().split("\n").length, 2501);
  }));

Deno.test("a failed export leaves no file behind", () =>
  withDir((dir) => {
    const flows = records(10);
    throws(() => exportCsv(flows, `${dir}/x.csv`, { fields: "src_ip,nope" }), RangeError);
    throws(() => exportCsv(flows, `${dir}/missing/x.csv`), /missing/);
    throws(
      () => exportCsv([{ ...flows[0].toJSON(), source_ip: "not an ip" }], `${dir}/y.csv`),
      SyntaxError,
    );
    deepStrictEqual(listDir(dir), []);
  }));
