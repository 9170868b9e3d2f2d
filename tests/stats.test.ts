// `flowgen stats`: reader (CSV with or without header, extended --fields CSV, JSON Lines),
// report numbers, text and HTML rendering, exit codes. Inputs are written by the tests.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { run, statsOf } from "../src/commands/stats.ts";
import { splitCsv } from "../src/stats/reader.ts";
import { formatText } from "../src/stats/text_report.ts";

const BRIEF_HEADER = "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length";

// [dst_port, protocol, length]: 6 TCP, 3 UDP, 1 ICMP echo request (type 8 << 8).
const BRIEF_ROWS: [number, number, number][] = [
  [443, 6, 40],
  [443, 6, 1500],
  [443, 6, 1500],
  [80, 6, 600],
  [22, 6, 90],
  [3306, 6, 200],
  [53, 17, 72],
  [53, 17, 140],
  [53, 17, 1300],
  [2048, 1, 84],
];

function briefCsv(header: boolean): string {
  const lines = BRIEF_ROWS.map(([port, proto, len], i) =>
    `1704067200.${String(i).padStart(6, "0")},10.0.0.1,10.0.0.2,5000${i},${port},${proto},${len}`
  );
  return (header ? [BRIEF_HEADER, ...lines] : lines).join("\n") + "\n";
}

async function withFile(
  name: string,
  text: string,
  fn: (path: string, dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-stats-" });
  try {
    const path = `${dir}/${name}`;
    await Deno.writeTextFile(path, text);
    await fn(path, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function counts(shares: { label: string; count: number }[]): Record<string, number> {
  return Object.fromEntries(shares.map((s) => [s.label, s.count]));
}

Deno.test("brief CSV: protocol shares, packet-size bins and top ports are exact", async () => {
  for (const header of [true, false]) {
    await withFile("flows.csv", briefCsv(header), async (path) => {
      const r = await statsOf([{ path }]);
      strictEqual(r.records, 10);
      strictEqual(r.patterns, undefined);
      strictEqual(r.pairing, undefined);
      strictEqual(r.packetsPerFlow, undefined);
      deepStrictEqual(r.protocols, [
        { label: "TCP (6)", count: 6 },
        { label: "UDP (17)", count: 3 },
        { label: "ICMP (1)", count: 1 },
      ]);
      // Bins: 0-63, 64-127, 128-255, 256-511, 512-1023, 1024-1499, 1500, >= 1501.
      deepStrictEqual(r.packetSizes.map((b) => b.count), [1, 3, 2, 0, 1, 1, 2, 0]);
      deepStrictEqual(r.packetSizes.map((b) => b.label), [
        "0-63",
        "64-127",
        "128-255",
        "256-511",
        "512-1023",
        "1024-1499",
        "1500",
        ">= 1501",
      ]);
      // Without bytes/packets columns a record's flow size is its length.
      deepStrictEqual(r.flowSizes.slice(0, 3).map((b) => b.count), [4, 3, 3]);
      deepStrictEqual(r.topPorts.slice(0, 2), [
        { label: "443/TCP", count: 3 },
        { label: "53/UDP", count: 3 },
      ]);
      ok(r.topPorts.some((p) => p.label === "type 8 code 0 ICMP" && p.count === 1));
    });
  }
});

// Extended CSV: pattern, packets, bytes, flow_id and direction.
const EXTENDED_HEADER =
  "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,packets,bytes,flow_id,direction,pattern";
const EXTENDED_ROWS: [number, number, number, number, number, number, string, string][] = [
  // dst_port, protocol, length, packets, bytes, flow_id, direction, pattern
  [443, 6, 500, 10, 5000, 1, "request", "web_traffic"],
  [50001, 6, 1400, 100, 140000, 1, "response", "web_traffic"],
  [443, 6, 60, 1, 60, 2, "request", "web_traffic"],
  [53, 17, 72, 1, 72, 3, "request", "dns_traffic"],
  [50003, 17, 140, 1, 140, 3, "response", "dns_traffic"],
  [53, 17, 70, 2, 140, 4, "request", "dns_traffic"],
  [50009, 17, 200, 1, 200, 9, "response", "dns_traffic"], // its request is not in the file
  [9000, 17, 300, 3, 900, 5, "request", 'my, "quoted" app'],
];

function extendedCsv(): string {
  const lines = EXTENDED_ROWS.map(([port, proto, len, pk, by, id, dir, pat], i) => {
    const quoted = pat.includes(",") ? `"${pat.replaceAll('"', '""')}"` : pat;
    return `1704067200.${i},10.0.0.1,10.0.0.2,40000,${port},${proto},${len},${pk},${by},${id},${dir},${quoted}`;
  });
  return [EXTENDED_HEADER, ...lines].join("\n") + "\n";
}

function extendedJsonl(): string {
  return EXTENDED_ROWS.map(([port, proto, len, pk, by, id, dir, pat]) =>
    JSON.stringify({
      timestamp: 1704067200,
      src_ip: "10.0.0.1",
      dst_ip: "10.0.0.2",
      src_port: 40000,
      dst_port: port,
      protocol: proto,
      length: len,
      packets: pk,
      bytes: by,
      flow_id: id,
      direction: dir,
      pattern: pat,
    })
  ).join("\n") + "\n";
}

function checkExtended(r: Awaited<ReturnType<typeof statsOf>>): void {
  strictEqual(r.records, 8);
  deepStrictEqual(counts(r.patterns!), {
    web_traffic: 3,
    dns_traffic: 4,
    'my, "quoted" app': 1,
  });
  deepStrictEqual(r.patterns![0], { label: "dns_traffic", count: 4 });
  // Bytes bins: 0-99 (60, 72), 100-999 (140, 140, 200, 900), 1K-9999 (5000), 10K-99999 (none),
  // 100K-999999 (140000).
  deepStrictEqual(r.flowSizes.slice(0, 5).map((b) => b.count), [2, 4, 1, 0, 1]);
  // Packets bins: 1, 2, 3-9, 10-99, 100-999.
  deepStrictEqual(r.packetsPerFlow!.slice(0, 5).map((b) => b.count), [4, 1, 1, 1, 1]);
  // Requests: flows 1, 2, 3, 4, 5; responses: 1, 3, 9 (orphan).
  deepStrictEqual(r.pairing, { requests: 5, responses: 3, paired: 2, orphanResponses: 1 });
}

Deno.test("extended CSV: pattern shares, flow sizes, packets and pairing are exact", async () => {
  await withFile("flows.csv", extendedCsv(), async (path) => {
    checkExtended(await statsOf([{ path }]));
  });
});

Deno.test("JSON Lines gives the same report as the same records in CSV", async () => {
  await withFile("flows.jsonl", extendedJsonl(), async (path) => {
    checkExtended(await statsOf([{ path }]));
  });
  // Numeric direction (1 = response) is accepted too.
  const numeric = extendedJsonl().replaceAll('"response"', "1").replaceAll('"request"', "0");
  await withFile("flows.ndjson", numeric, async (path) => {
    checkExtended(await statsOf([{ path }]));
  });
});

Deno.test("text report prints counts, percentages and the pairing rate", async () => {
  await withFile("flows.csv", extendedCsv(), async (path) => {
    const text = formatText(await statsOf([{ path }]), "flows.csv");
    ok(text.startsWith("flowgen stats: flows.csv: 8 records\n"), text);
    ok(/^ {2}dns_traffic\s+4\s+50\.00%\s+#{40}$/m.test(text), text);
    ok(/^ {2}web_traffic\s+3\s+37\.50%\s+#{30}$/m.test(text), text);
    ok(text.includes("  answered requests 2 (40.00%)\n"), text);
    ok(text.includes("  responses without their request 1\n"), text);
  });
});

Deno.test("run: --html writes a self-contained page with SVG charts", async () => {
  await withFile("flows.csv", extendedCsv(), async (path, dir) => {
    const html = `${dir}/report.html`;
    strictEqual(await run([path, "--html", html, "--json"]), 0);
    const page = await Deno.readTextFile(html);
    ok(page.startsWith("<!DOCTYPE html>"));
    strictEqual((page.match(/<svg /g) ?? []).length, 6);
    ok(page.includes("my, &quot;quoted&quot; app"), "labels are escaped");
    ok(page.includes(">4 (50.00%)<"), "dns_traffic bar label");
    ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(page), "no scripts, no external resources");
  });
});

Deno.test("run: usage and input errors exit with 2", async () => {
  strictEqual(await run([]), 2);
  strictEqual(await run(["--top", "0", "x.csv"]), 2);
  strictEqual(await run(["--format", "xml", "x.csv"]), 2);
  strictEqual(await run(["/nonexistent/flows.csv"]), 2);
  await withFile("bad.csv", `${BRIEF_HEADER}\n1.0,a,b,1,2,6\n`, async (path) => {
    strictEqual(await run([path]), 2);
  });
  await withFile("bad.csv", `${BRIEF_HEADER}\n1.0,a,b,1,80,6,big\n`, async (path) => {
    strictEqual(await run([path]), 2);
  });
  await withFile("bad.csv", `timestamp,src_ip,protocol\n1.0,a,6\n`, async (path) => {
    strictEqual(await run([path]), 2);
    await statsOf([{ path }]).then(
      () => ok(false, "no error"),
      (e) => strictEqual(e.message, `${path}:1: the header has no dst_port, length column`),
    );
  });
  await withFile("bad.jsonl", `{"protocol": 6}\n`, async (path) => {
    strictEqual(await run([path]), 2);
  });
});

Deno.test("splitCsv handles quoted fields", () => {
  deepStrictEqual(splitCsv('a,"b,c",d'), ["a", "b,c", "d"]);
  deepStrictEqual(splitCsv('"x ""y""",2'), ['x "y"', "2"]);
  deepStrictEqual(splitCsv("1,2,3"), ["1", "2", "3"]);
});
