/**
 * `flowgen generate -f netflow5|netflow9|ipfix [--pcap|--pcapng] -o FILE`: the files are
 * checked with tools nobody here wrote: `tshark` decodes every record with no expert
 * warnings or malformed packets, and `ipfixDump --stats` counts IPFIX data records,
 * RFC 5103 biflows included. A tool that is not installed skips its tests.
 */
import { deepStrictEqual as assertEquals, ok } from "node:assert/strict";
import { runCli, smallConfig } from "./_helpers.ts";

const RECORDS = 3000;

function installed(tool: string): boolean {
  try {
    return new Deno.Command("sh", { args: ["-c", `command -v ${tool}`] }).outputSync().success;
  } catch {
    return false;
  }
}

async function tool(command: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`${command}: ${new TextDecoder().decode(out.stderr)}`);
  return new TextDecoder().decode(out.stdout);
}

/** Flow records tshark decodes in `path`, and the lines with expert/malformed findings. */
async function tsharkRecords(path: string): Promise<{ records: number; experts: string[] }> {
  const fields = ["-e", "cflow.protocol", "-e", "_ws.expert", "-e", "_ws.malformed"];
  const out = await tool("tshark", [
    "-r",
    path,
    "-d",
    "udp.port==2055,cflow",
    "-T",
    "fields",
    ...fields,
  ]);
  let records = 0;
  const experts: string[] = [];
  for (const line of out.split("\n").filter((l) => l !== "")) {
    const [protocols, expert, malformed] = line.split("\t");
    records += protocols ? protocols.split(",").length : 0;
    if (expert || malformed) experts.push(line);
  }
  return { records, experts };
}

/** Writes a config (bidirectional flows, optionally as IPFIX biflows) and runs generate. */
async function generate(dir: string, name: string, args: string[], biflow = false) {
  const config = smallConfig(RECORDS, 7, {
    flow_model: "flow",
    bidirectional: { probability: 0.5 },
  });
  if (biflow) config.export = { ipfix_biflow: true };
  const configPath = `${dir}/${name}.json`;
  await Deno.writeTextFile(configPath, JSON.stringify(config));
  const path = `${dir}/${name}`;
  const result = await runCli(["generate", "-c", configPath, "-q", "-o", path, ...args]);
  assertEquals(result.code, 0, result.stderr);
  return path;
}

Deno.test({
  name: "generate writes NetFlow/IPFIX files and captures that tshark decodes in full",
  ignore: !installed("tshark"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "flowgen-export-generate-" });
    try {
      const cases: [string, string[]][] = [
        ["v5.pcap", ["-f", "netflow5", "--pcap"]],
        ["v9.pcapng", ["-f", "netflow9", "--pcapng"]],
        ["ipfix.pcap", ["-f", "ipfix", "--pcap"]],
        ["flows.ipfix", ["-f", "ipfix"]],
      ];
      for (const [name, args] of cases) {
        const { records, experts } = await tsharkRecords(await generate(dir, name, args));
        assertEquals(experts, [], `${name}: expert info`);
        assertEquals(records, RECORDS, `${name}: records decoded`);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "generate with export.ipfix_biflow joins requests and responses (tshark, ipfixDump)",
  ignore: !installed("tshark") || !installed("ipfixDump"),
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "flowgen-export-biflow-" });
    try {
      const path = await generate(dir, "biflow.ipfix", ["-f", "ipfix"], true);
      const { records, experts } = await tsharkRecords(path);
      assertEquals(experts, []);
      const stats = await tool("ipfixDump", ["--stats", "-i", path]);
      const match = /(\d+) Messages, (\d+) Data Records/.exec(stats);
      ok(match, stats);
      assertEquals(Number(match[2]), records);
      // Each response joins its request: fewer records than the generator made, and at
      // least one per request (about two thirds of the records at probability 0.5).
      ok(records < RECORDS * 0.8 && records > RECORDS * 0.55, `${records} biflow records`);
      const reverse = await tool("tshark", [
        "-r",
        path,
        "-T",
        "fields",
        "-e",
        "cflow.biflow_direction",
      ]);
      ok(/\b1\b/.test(reverse), "biflowDirection initiator decoded");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("generate refuses packet formats without a file, and --pcap with text", async () => {
  const noFile = await runCli(["generate", "-n", "10", "-f", "ipfix"]);
  assertEquals(noFile.code, 2);
  ok(noFile.stderr.includes("--output"), noFile.stderr);
  const text = await runCli(["generate", "-n", "10", "-f", "csv", "--pcap", "-o", "x.pcap"]);
  assertEquals(text.code, 2);
  ok(text.stderr.includes("--pcap"), text.stderr);
});
