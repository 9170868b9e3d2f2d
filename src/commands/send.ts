/**
 * `flowgen send`: generates records and sends them as NetFlow v5/v9 or IPFIX over UDP to
 * a collector, at a fixed rate, in scaled real time, or as fast as possible; progress on
 * stderr when it is a terminal, then a summary (records, packets, bytes, achieved rate).
 *
 * @module
 */

import process from "node:process";
import { defaultConfig, loadConfigFile } from "../config/mod.ts";
import { formatOptions, type OptionSpec, parseArgs, parseCount } from "../args.ts";
import { UsageError } from "../errors.ts";
import { FlowGenerator } from "../generator.ts";
import { isPacketFormat, packetOptionsOf } from "../packet_export.ts";
import { sendFlows, type SendOptions, type SendResult } from "../send.ts";
import { formatCount, formatRate, ProgressBar } from "../progress.ts";
import { ExitCode, fail, stderrIsTerminal, writeError, writeOutput } from "./common.ts";

/** Options of `flowgen send`. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: "collector",
    kind: "string",
    value: "HOST:PORT",
    description: "where to send (127.0.0.1:2055, [::1]:4739)",
  },
  {
    name: "format",
    short: "f",
    kind: "string",
    value: "netflow5|netflow9|ipfix",
    description: "export format (default: ipfix)",
  },
  {
    name: "rate",
    kind: "string",
    value: "RECORDS_PER_S",
    description: "send at this many records per second",
  },
  {
    name: "speed",
    kind: "string",
    value: "FACTOR",
    description: "pace by the simulated timestamps: 1 = real time, 10 = ten times faster",
  },
  {
    name: "count",
    short: "n",
    kind: "string",
    value: "COUNT",
    description: "records to send (overrides generation.max_flows)",
  },
  { name: "config", short: "c", kind: "string", value: "FILE", description: "config file" },
  { name: "seed", kind: "string", value: "N", description: "random seed (default: random)" },
  {
    name: "start",
    kind: "string",
    value: "UNIX_SECONDS",
    description: "timestamp of the first record (default: the config's, else now)",
  },
  { name: "mtu", kind: "string", value: "N", description: "largest IP packet (default 1500)" },
  {
    name: "template-packets",
    kind: "string",
    value: "N",
    description: "v9/IPFIX: resend templates every N packets (default 20)",
  },
  {
    name: "template-seconds",
    kind: "string",
    value: "T",
    description: "v9/IPFIX: ... and every T seconds of export time (default 60)",
  },
  {
    name: "domain-id",
    kind: "string",
    value: "N",
    description: "IPFIX observation domain / v9 source id (default 0)",
  },
  { name: "engine-id", kind: "string", value: "N", description: "v5 engine id (default 0)" },
  { name: "engine-type", kind: "string", value: "N", description: "v5 engine type (default 0)" },
  {
    name: "source-port",
    kind: "string",
    value: "PORT",
    description: "UDP source port (default: any)",
  },
  { name: "skip-ipv6", kind: "boolean", description: "v5: skip IPv6 records instead of failing" },
  { name: "nanoseconds", kind: "boolean", description: "IPFIX: nanosecond flow times" },
  { name: "json", kind: "boolean", description: "print the summary as JSON on stdout" },
  { name: "quiet", short: "q", kind: "boolean", description: "no progress and no summary" },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `flowgen send`. */
export const HELP: string = `Usage: flowgen send --collector HOST:PORT [options]

Generates flow records and sends them as NetFlow v5, NetFlow v9 or IPFIX over UDP.
Without --rate or --speed, sends as fast as possible.

Options:
${formatOptions(OPTIONS)}

Examples:
  flowgen send --collector 127.0.0.1:2055 -f netflow9 --rate 20000 -n 200000
  flowgen send --collector 127.0.0.1:4739 -f ipfix -c configs/example_config.yaml --speed 1
`;

function integer(text: string | boolean | undefined, option: string): number | undefined {
  return typeof text === "string" ? parseCount(text, option) : undefined;
}

function positive(text: string | boolean | undefined, option: string): number | undefined {
  if (typeof text !== "string") return undefined;
  const value = Number(text.replaceAll("_", ""));
  if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${option} expects a positive number, got "${text}"`);
  }
  return value;
}

/** What `flowgen send` was asked to do. */
export interface SendRequest {
  config: Awaited<ReturnType<typeof loadConfigFile>>;
  options: Omit<SendOptions, "onProgress" | "signal">;
  json: boolean;
  quiet: boolean;
}

/** Reads the command line; `undefined` for --help. Throws UsageError or ConfigError. */
export async function parseSendArgs(args: string[]): Promise<SendRequest | undefined> {
  const { values, positionals } = parseArgs(args, OPTIONS);
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (typeof values.collector !== "string") {
    throw new UsageError("--collector HOST:PORT is required");
  }
  const format = typeof values.format === "string" ? values.format : "ipfix";
  if (!isPacketFormat(format)) {
    throw new UsageError(`--format expects netflow5, netflow9 or ipfix, got "${format}"`);
  }
  const rate = positive(values.rate, "--rate");
  const speed = positive(values.speed, "--speed");
  if (rate !== undefined && speed !== undefined) {
    throw new UsageError("--rate and --speed exclude each other");
  }
  const config = typeof values.config === "string"
    ? await loadConfigFile(values.config)
    : defaultConfig();
  const count = integer(values.count, "--count");
  if (count !== undefined) config.generation.max_flows = count;
  if (typeof values.seed === "string") {
    if (!/^\d+$/.test(values.seed) || BigInt(values.seed) > 0xffff_ffff_ffff_ffffn) {
      throw new UsageError(`--seed expects an integer from 0 to 2^64-1, got "${values.seed}"`);
    }
    config.generation.seed = BigInt(values.seed);
  }
  if (typeof values.start === "string") {
    const start = Number(values.start);
    if (values.start.trim() === "" || !Number.isFinite(start) || start < 0) {
      throw new UsageError(`--start expects Unix seconds (>= 0), got "${values.start}"`);
    }
    config.generation.start_timestamp = start;
  }
  if (config.generation.max_flows === 0) {
    throw new UsageError("-n COUNT is required when the config has no generation.max_flows");
  }
  try {
    const { parseCollector } = await import("../send.ts");
    parseCollector(values.collector);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  // The config's export section gives the defaults; the command line overrides them.
  const fromConfig = packetOptionsOf(config.export);
  const given = <T>(value: T | undefined, fallback: T | undefined) => value ?? fallback;
  return {
    config,
    options: {
      ...fromConfig,
      collector: values.collector,
      format,
      rate,
      speed,
      count: config.generation.max_flows,
      mtu: given(integer(values.mtu, "--mtu"), fromConfig.mtu),
      templatePackets: given(
        integer(values["template-packets"], "--template-packets"),
        fromConfig.templatePackets,
      ),
      templateSeconds: given(
        integer(values["template-seconds"], "--template-seconds"),
        fromConfig.templateSeconds,
      ),
      domainId: given(integer(values["domain-id"], "--domain-id"), fromConfig.domainId),
      engineId: given(integer(values["engine-id"], "--engine-id"), fromConfig.engineId),
      engineType: given(integer(values["engine-type"], "--engine-type"), fromConfig.engineType),
      sourcePort: given(
        integer(values["source-port"], "--source-port"),
        config.export?.source_port,
      ),
      skipUnsupported: values["skip-ipv6"] === true ? true : fromConfig.skipUnsupported,
      ipfixNanoseconds: values.nanoseconds === true ? true : fromConfig.ipfixNanoseconds,
    },
    json: values.json === true,
    quiet: values.quiet === true,
  };
}

function summary(result: SendResult): string {
  const mb = (result.bytes / 1e6).toFixed(1);
  const skipped = result.skipped > 0 ? `, ${formatCount(result.skipped)} IPv6 skipped` : "";
  return `flowgen send: ${formatCount(result.records)} records in ${formatCount(result.packets)} ` +
    `packets (${mb} MB) in ${result.seconds.toFixed(2)} s, ${
      formatRate(result.recordsPerSecond)
    } records/s, ${result.sendErrors} send errors${skipped}${
      result.aborted ? " (interrupted)" : ""
    }\n`;
}

/** Runs `flowgen send` with `args`; resolves to the exit code. */
export async function run(args: string[]): Promise<number> {
  let request: SendRequest | undefined;
  try {
    request = await parseSendArgs(args);
  } catch (error) {
    return fail("send", error);
  }
  if (request === undefined) {
    writeOutput(HELP);
    return ExitCode.OK;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on("SIGINT", onSignal);
  const progress = !request.quiet && stderrIsTerminal()
    ? new ProgressBar({
      total: request.options.count,
      write: writeError,
      columns: process.stderr.columns,
    })
    : undefined;
  try {
    using generator = new FlowGenerator(request.config);
    const result = await sendFlows(generator, {
      ...request.options,
      signal: abort.signal,
      onProgress: progress ? (p) => progress.update(p.records) : undefined,
    });
    progress?.done();
    if (request.json) {
      writeOutput(JSON.stringify(result) + "\n");
    } else if (!request.quiet) {
      writeError(summary(result));
    }
    return result.aborted ? ExitCode.INTERRUPTED : ExitCode.OK;
  } catch (error) {
    progress?.done();
    // A value the engine refused (an MTU too small for the format) is a usage error.
    return fail("send", error instanceof RangeError ? new UsageError(error.message) : error);
  } finally {
    process.off("SIGINT", onSignal);
  }
}
