/**
 * End-to-end checks of the export formats against tools nobody here wrote (Debian
 * packages nfdump, tshark, libfixbuf-tools), on 127.0.0.1 only:
 * - `flowgen send` to `nfcapd`: `nfdump -o json` shows every record with the addresses,
 *   ports, protocol, packets, bytes, start/end times (ms) and TCP flags of the generator's
 *   own CSV for the same seed, and `nfdump -E` shows no sequence failures;
 * - pcap, pcapng and IPFIX files: `tshark` decodes them with no expert warnings or
 *   malformed packets and the same record count; `ipfixDump --stats` counts the records.
 * A tool that is not installed skips its tests.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import dgram from "node:dgram";
import { FlowGenerator } from "../../mod.ts";
import { exportPackets, type PacketFormat } from "../../src/packet_export.ts";
import { runCli } from "../_helpers.ts";

const RECORDS = 4000;
const SEED = 4242;

function installed(tool: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).outputSync().success;
  } catch {
    return false;
  }
}

async function run(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, {
    args,
    env: { TZ: "UTC" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${command} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

/** Whole flows (durations, several packets, TCP flags), IPv4 and optionally IPv6. */
function config(ipv6: boolean): Record<string, unknown> {
  return {
    generation: {
      max_flows: RECORDS,
      seed: SEED,
      start_timestamp: 1704067200,
      flow_model: "flow",
      rate: { bandwidth_gbps: 0.05 },
    },
    traffic_patterns: [
      { type: "web_traffic", percentage: 50 },
      { type: "dns_traffic", percentage: 20 },
      { type: "ssh_traffic", percentage: 15 },
      { type: "database_traffic", percentage: 15 },
    ],
    network: {
      source_subnets: ipv6 ? ["192.168.1.0/24", "2001:db8:1::/48"] : ["192.168.1.0/24"],
      destination_subnets: ipv6 ? ["10.0.0.0/8", "2001:db8:2::/48"] : ["10.0.0.0/8"],
    },
  };
}

async function writeConfig(dir: string, ipv6: boolean): Promise<string> {
  const path = `${dir}/config.json`;
  await Deno.writeTextFile(path, JSON.stringify(config(ipv6)));
  return path;
}

/** A record as both sides give it; times in microseconds as the CSV has them. */
interface Expected {
  key: string;
  startUs: number;
  durationUs: number;
}

const canonical = (ip: string) => ip.includes(":") ? new URL(`http://[${ip}]`).hostname : ip;
const keyOf = (f: (string | number)[]) => f.join("|");

/** The generator's own CSV for the same config and seed. */
async function generatorRecords(configPath: string, dir: string): Promise<Expected[]> {
  const csv = `${dir}/flows.csv`;
  const fields = "timestamp,duration,src_ip,dst_ip,src_port,dst_port,protocol,packets,bytes," +
    "tcp_flags";
  const result = await runCli([
    "generate",
    "-c",
    configPath,
    "-f",
    "csv",
    "--fields",
    fields,
    "-o",
    csv,
    "-q",
  ]);
  assertEquals(result.code, 0, result.stderr);
  const lines = (await Deno.readTextFile(csv)).trim().split("\n").slice(1);
  return lines.map((line) => {
    const [ts, duration, src, dst, sp, dp, proto, packets, bytes, flags] = line.split(",");
    const micros = (text: string) => {
      const [s, f] = text.split(".");
      return Number(s) * 1e6 + Number(f.padEnd(6, "0"));
    };
    return {
      key: keyOf([canonical(src), canonical(dst), sp, dp, proto, packets, bytes, Number(flags)]),
      startUs: micros(ts),
      durationUs: micros(duration),
    };
  });
}

const FLAG_BITS: Record<string, number> = {
  C: 0x80,
  E: 0x40,
  U: 0x20,
  A: 0x10,
  P: 0x08,
  R: 0x04,
  S: 0x02,
  F: 0x01,
};

/**
 * True when nfdump's millisecond `ms` can be the floor of an instant the CSV gives
 * rounded to `us` microseconds (± 0.5 µs; `slack` more µs for a sum of two roundings).
 */
function msMatches(ms: number, us: number, slack = 0): boolean {
  const low = Math.floor((us - 0.5 - slack) / 1000);
  const high = Math.floor((us + 0.5 + slack) / 1000);
  return ms >= low && ms <= high;
}

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  const port = socket.address().port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function collectorTest(format: PacketFormat, ipv6: boolean): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: `flowgen-${format}-` });
  const flows = `${dir}/flows`;
  await Deno.mkdir(flows);
  const configPath = await writeConfig(dir, ipv6);
  const port = await freeUdpPort();
  const nfcapd = new Deno.Command("nfcapd", {
    args: ["-b", "127.0.0.1", "-p", String(port), "-w", flows, "-t", "3600", "-B", "4194304"],
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // until it listens
    const sent = await runCli([
      "send",
      "--collector",
      `127.0.0.1:${port}`,
      "-f",
      format,
      "-c",
      configPath,
      "--rate",
      "20000",
      "--template-packets",
      "10",
      "--json",
    ]);
    assertEquals(sent.code, 0, sent.stderr);
    const summary = JSON.parse(sent.stdout);
    assertEquals(summary.records, RECORDS);
    assertEquals(summary.sendErrors, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
  } finally {
    nfcapd.kill("SIGTERM");
    await nfcapd.status;
  }
  try {
    const files = [...Deno.readDirSync(flows)].map((e) => `${flows}/${e.name}`)
      .filter((name) => /nfcapd\.\d+$/.test(name));
    assertEquals(files.length, 1, `nfcapd files: ${files}`);

    const exporters = await run("nfdump", ["-E", files[0]]);
    ok(/Sequence failures: 0/.test(exporters), exporters);
    ok(!/Sequence failures: [1-9]/.test(exporters), exporters);

    const received = JSON.parse(await run("nfdump", ["-r", files[0], "-o", "json"])) as Record<
      string,
      string | number
    >[];
    assertEquals(received.length, RECORDS);

    const expected = await generatorRecords(configPath, dir);
    assertEquals(expected.length, RECORDS);
    const byKey = new Map<string, Expected[]>();
    for (const e of expected) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
    for (const r of received) {
      let flags = 0;
      for (const c of String(r.tcp_flags)) flags |= FLAG_BITS[c] ?? 0;
      const src = String(r.src4_addr ?? r.src6_addr);
      const dst = String(r.dst4_addr ?? r.dst6_addr);
      const dp = r.icmp_type !== undefined
        ? Number(r.icmp_type) * 256 + Number(r.icmp_code)
        : r.dst_port;
      const key = keyOf([
        canonical(src),
        canonical(dst),
        r.src_port,
        dp,
        r.proto,
        r.in_packets,
        r.in_bytes,
        flags,
      ]);
      const first = Date.parse(`${r.first}Z`);
      const last = Date.parse(`${r.last}Z`);
      const candidates = byKey.get(key) ?? [];
      const at = candidates.findIndex((e) =>
        msMatches(first, e.startUs) && msMatches(last, e.startUs + e.durationUs, 0.5)
      );
      ok(
        at >= 0,
        `no generated record matches ${
          JSON.stringify(r)
        } (key ${key}, ${candidates.length} with that key)`,
      );
      candidates.splice(at, 1);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const nfdumpReady = installed("nfcapd") && installed("nfdump");

Deno.test({
  name: "nfcapd receives NetFlow v5 from flowgen send: every record, no sequence failure",
  ignore: !nfdumpReady,
  fn: () => collectorTest("netflow5", false),
});

Deno.test({
  name: "nfcapd receives NetFlow v9 (IPv4 + IPv6) from flowgen send: every record",
  ignore: !nfdumpReady,
  fn: () => collectorTest("netflow9", true),
});

Deno.test({
  name: "nfcapd receives IPFIX (IPv4 + IPv6) from flowgen send: every record",
  ignore: !nfdumpReady,
  fn: () => collectorTest("ipfix", true),
});

/** Records tshark decodes in a file, and its expert/malformed findings. */
async function tsharkCheck(path: string): Promise<{ records: number; experts: string[] }> {
  const args = [
    "-r",
    path,
    "-d",
    "udp.port==2055,cflow",
    "-T",
    "fields",
    "-e",
    "cflow.protocol",
    "-e",
    "_ws.expert",
    "-e",
    "_ws.malformed",
  ];
  const lines = (await run("tshark", args)).split("\n").filter((line) => line !== "");
  let records = 0;
  const experts: string[] = [];
  for (const line of lines) {
    const [protocols, expert, malformed] = line.split("\t");
    records += protocols ? protocols.split(",").length : 0;
    if (expert || malformed) experts.push(line);
  }
  return { records, experts };
}

function writeFile(
  format: PacketFormat,
  name: string,
  container: "none" | "pcap" | "pcapng",
  dir: string,
) {
  using generator = new FlowGenerator(config(format !== "netflow5"));
  const path = `${dir}/${name}`;
  const result = exportPackets(generator, path, { format, container, templatePackets: 10 });
  return { path, result };
}

Deno.test({
  name: "tshark decodes pcap/pcapng captures and IPFIX files with no expert warnings",
  ignore: !installed("tshark"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "flowgen-tshark-" });
    try {
      const cases: [PacketFormat, string, "none" | "pcap" | "pcapng"][] = [
        ["netflow5", "v5.pcap", "pcap"],
        ["netflow9", "v9.pcapng", "pcapng"],
        ["netflow9", "v9.pcap", "pcap"],
        ["ipfix", "ipfix.pcap", "pcap"],
        ["ipfix", "flows.ipfix", "none"],
      ];
      for (const [format, name, container] of cases) {
        const { path, result } = writeFile(format, name, container, dir);
        assertEquals(result.records, RECORDS);
        const { records, experts } = await tsharkCheck(path);
        assertEquals(experts, [], `${name}: expert info`);
        assertEquals(records, RECORDS, `${name}: records decoded`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "ipfixDump --stats counts every record of an IPFIX file",
  ignore: !installed("ipfixDump"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "flowgen-ipfixdump-" });
    try {
      const { path, result } = writeFile("ipfix", "flows.ipfix", "none", dir);
      const stats = await run("ipfixDump", ["--stats", "-i", path]);
      const match = /(\d+) Messages, (\d+) Data Records/.exec(stats);
      ok(match, stats);
      assertEquals(Number(match[2]), RECORDS);
      assertEquals(Number(match[1]), result.packets);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
