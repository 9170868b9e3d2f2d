/**
 * `flowgen generate`: generates records with a config (the built-in example by default)
 * and writes them as CSV, JSON or JSON Lines to a file or stdout, formatted natively.
 *
 * A file is written under a temporary name in the same directory and renamed at the end:
 * a failed or interrupted run leaves no partial file (a device or FIFO such as /dev/null is
 * written in place). A closed stdout (`| head`) ends the run quietly with exit code 0.
 *
 * @module
 */

import process from "node:process";
import { statSync } from "node:fs";
import type { FlowGenConfig } from "../config/types.ts";
import { defaultConfig, loadConfigFile } from "../config/mod.ts";
import { formatOptions, type OptionSpec, parseArgs, parseCount } from "../args.ts";
import { EngineError, UsageError } from "../errors.ts";
import { FlowGenerator, nativeGeneratorOf } from "../generator.ts";
import { loadLibrary } from "../native/loader.ts";
import { NativeEncoder, TEXT_FORMATS, writerThreadPays } from "../native/encoder.ts";
import { Param } from "../native/constants.ts";
import { OutputFile } from "../output_file.ts";
import { formatCount, formatRate, ProgressBar } from "../progress.ts";
import { ExitCode, fail, stderrIsTerminal, writeError, writeOutput } from "./common.ts";
import { applyScaleOptions, SCALE_OPTIONS, wantsCheckpoint } from "./generate_scale.ts";
import { runCheckpointed } from "./generate_checkpoint.ts";
import { isPacketFormat } from "../packet_export.ts";
import { containerOf, generatePackets, type PacketRequest } from "./generate_packets.ts";

/** Options of `flowgen generate`. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: "config",
    short: "c",
    kind: "string",
    value: "FILE",
    description: "config file, YAML or JSON (default: the built-in example config)",
  },
  {
    name: "count",
    short: "n",
    kind: "string",
    value: "COUNT",
    description: "records to generate (overrides generation.max_flows; 0 = no limit)",
  },
  {
    name: "format",
    short: "f",
    kind: "string",
    value: "csv|json|jsonl|netflow5|netflow9|ipfix",
    description: "output format (default: output.format of the config, else csv)",
  },
  {
    name: "pcap",
    kind: "boolean",
    description: "netflow5/netflow9/ipfix: a pcap of the UDP datagrams, not raw packets",
  },
  { name: "pcapng", kind: "boolean", description: "likewise, as pcapng" },
  {
    name: "output",
    short: "o",
    kind: "string",
    value: "FILE|-",
    description: "output file; - or absent: stdout",
  },
  { name: "seed", kind: "string", value: "N", description: "random seed (default: random)" },
  {
    name: "start",
    kind: "string",
    value: "UNIX_SECONDS",
    description: "timestamp of the first record (default: the config's, else now)",
  },
  {
    name: "fields",
    kind: "string",
    value: "LIST",
    description: "comma-separated fields (default: timestamp,src_ip,dst_ip,src_port," +
      "dst_port,protocol,length; also packets,bytes,duration,tcp_flags,flow_id,direction," +
      "pattern,ip_version)",
  },
  { name: "no-header", kind: "boolean", description: "CSV without the header line" },
  { name: "compact", kind: "boolean", description: "JSON on one line instead of pretty" },
  { name: "quiet", short: "q", kind: "boolean", description: "no progress bar and no summary" },
  ...SCALE_OPTIONS,
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `flowgen generate`. */
export const HELP: string = `Usage: flowgen generate [options]

Generates flow records and writes them as CSV, JSON or JSON Lines.

Options:
${formatOptions(OPTIONS)}

Examples:
  flowgen generate -n 1000000 -o flows.csv
  flowgen generate -c configs/example_config.yaml -f jsonl --seed 42 | head
  flowgen generate -c configs/netflow_export.yaml -n 100000 -f ipfix -o flows.ipfix
  flowgen generate -n 100000 -f netflow9 --pcap -o flows.pcap
`;

/** What `flowgen generate` was asked to do. */
export interface GenerateRequest {
  /** The config, overrides applied. */
  config: FlowGenConfig;
  /** Output format. */
  format: "csv" | "json" | "jsonl";
  /** Set for netflow5/netflow9/ipfix, which `format` then does not describe. */
  packets?: PacketRequest;
  /** Output file, or undefined for stdout. */
  output?: string;
  /** Fields, comma-separated (undefined: the encoder's default). */
  fields?: string;
  /** CSV header line. */
  header: boolean;
  /** Pretty JSON. */
  pretty: boolean;
  /** No progress, no summary. */
  quiet: boolean;
}

/**
 * Reads the command line of `flowgen generate` into a {@linkcode GenerateRequest}
 * (throws UsageError or ConfigError); `undefined` when `--help` was asked.
 */
export async function parseGenerateArgs(args: string[]): Promise<GenerateRequest | undefined> {
  const { values, positionals } = parseArgs(args, OPTIONS);
  if (values.help) return undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const config = typeof values.config === "string"
    ? await loadConfigFile(values.config)
    : defaultConfig();
  if (typeof values.count === "string") {
    config.generation.max_flows = parseCount(values.count, "--count");
  }
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
  applyScaleOptions(values, config);
  const format = (values.format ?? config.output.format ?? "csv") as string;
  if (format !== "csv" && format !== "json" && format !== "jsonl" && !isPacketFormat(format)) {
    throw new UsageError(
      `--format expects csv, json, jsonl, netflow5, netflow9 or ipfix, got "${format}"`,
    );
  }
  const container = containerOf(values, format);
  if (isPacketFormat(format) && wantsCheckpoint(args)) {
    throw new UsageError(`checkpoints are for csv, json and jsonl, not ${format}`);
  }
  const output = typeof values.output === "string" && values.output !== "-"
    ? values.output
    : undefined;
  if (output === "") throw new UsageError("--output expects a file name or -");
  const fields = typeof values.fields === "string"
    ? values.fields
    : config.output.fields?.join(",");
  return {
    config,
    output,
    fields,
    header: values["no-header"] ? false : config.output.include_header ?? true,
    pretty: values.compact ? false : config.output.pretty ?? true,
    quiet: values.quiet === true,
    // A packet format leaves `format` at a placeholder: generate() looks at `packets` first.
    ...(isPacketFormat(format) ? { format: "csv" as const, packets: { format, container } } : {
      format,
    }),
  };
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof EngineError && /broken pipe/i.test(error.message);
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Summary of a finished run. */
export interface GenerateSummary {
  /** Records written. */
  records: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** The seed used. */
  seed: bigint;
  /** True when SIGINT stopped the run. */
  interrupted: boolean;
  /** True when the reader of stdout went away. */
  brokenPipe: boolean;
  /** The signal that stopped the run (with `interrupted`); SIGINT when absent. */
  signal?: "SIGINT" | "SIGTERM";
  /** True when generation stopped at the end of the clock (2^64 − 1 ns) before `max_flows`. */
  clockEnded?: boolean;
}

/** The engine's timeline position once it has passed the end of the clock. */
const CLOCK_END_NS = 0xffff_ffff_ffff_ffffn;

/** Throws when `output` names a directory (checked before generating anything). */
function checkOutputPath(output: string | undefined): void {
  if (output === undefined) return;
  let directory = false;
  try {
    directory = statSync(output).isDirectory();
  } catch {
    return; // absent: the encoder reports a bad path when it opens the file
  }
  if (directory) throw new Error(`cannot write to "${output}": "${output}" is a directory`);
}

/** Listens to SIGINT and SIGTERM until the returned function is called. */
function onStopSignals(stop: (signal: "SIGINT" | "SIGTERM") => void): () => void {
  const listeners: Array<[string, () => void]> = [];
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    const listener = () => stop(signal);
    try {
      process.on(signal, listener);
      listeners.push([signal, listener]);
    } catch {
      // a signal this platform cannot listen to (SIGTERM on Windows)
    }
  }
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}

/**
 * Runs a {@linkcode GenerateRequest}: streams the generator's batches through a native
 * encoder into the output.
 */
export async function generate(request: GenerateRequest): Promise<GenerateSummary> {
  if (request.packets) return generatePackets(request, request.packets);
  checkOutputPath(request.output);
  using generator = new FlowGenerator(request.config);
  const g = nativeGeneratorOf(generator);
  const lib = loadLibrary();
  const encoder = new NativeEncoder(lib, TEXT_FORMATS[request.format]);
  const file = request.output === undefined ? undefined : new OutputFile(request.output);
  let interrupted = false;
  let signal: "SIGINT" | "SIGTERM" | undefined;
  const stopListening = onStopSignals((received) => {
    interrupted = true;
    signal ??= received;
  });
  const started = performance.now();
  const maxFlows = request.config.generation.max_flows;
  // No bar when the records themselves go to the same terminal.
  const toTerminal = request.output === undefined && process.stdout.isTTY === true;
  const progress = !request.quiet && !toTerminal && stderrIsTerminal()
    ? new ProgressBar({
      total: maxFlows,
      write: writeError,
      columns: process.stderr.columns,
    })
    : undefined;
  let records = 0;
  let brokenPipe = false;
  try {
    encoder.setParam(Param.CSV_HEADER, request.header);
    encoder.setParam(Param.JSON_PRETTY, request.pretty);
    if (writerThreadPays(request.config.generation.threads)) {
      encoder.setParam(Param.WRITER_THREAD, true);
    }
    if (request.fields !== undefined) {
      try {
        encoder.setFields(request.fields);
      } catch (error) {
        throw new UsageError(`--fields: ${(error as Error).message}`);
      }
    }
    if (file) {
      file.open((path) => encoder.open(path));
    } else {
      encoder.setFd(1);
    }
    const handle = g.handle();
    let lastTick = started;
    try {
      while (true) {
        const n = encoder.encodeNext(handle, g.capacity);
        if (n === 0) break;
        records += n;
        const now = performance.now();
        if (now - lastTick >= 50) {
          progress?.update(records);
          await tick(); // lets SIGINT/SIGTERM be noticed
          lastTick = performance.now();
          if (interrupted) break;
        }
      }
      if (!interrupted) encoder.finish();
    } catch (error) {
      if (file !== undefined || !isBrokenPipe(error)) throw error;
      brokenPipe = true;
    }
    progress?.done();
    encoder.free();
    if (!interrupted) file?.commit();
    return {
      records,
      seconds: (performance.now() - started) / 1000,
      seed: generator.getStats().seed,
      interrupted,
      brokenPipe,
      signal,
      clockEnded: !interrupted && g.stats().lastTimestampNs === CLOCK_END_NS,
    };
  } finally {
    progress?.done();
    stopListening();
    encoder.free();
    file?.discard();
  }
}

/**
 * Entry point of `flowgen generate`; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./generate.ts";
 *
 * const code = await run(["-n", "1000", "-o", "flows.csv", "--seed", "1"]);
 * ```
 */
export async function run(args: string[]): Promise<number> {
  try {
    if (wantsCheckpoint(args)) return await runCheckpointed(args, parseGenerateArgs);
    const request = await parseGenerateArgs(args);
    if (request === undefined) {
      writeOutput(HELP);
      return ExitCode.OK;
    }
    const summary = await generate(request);
    if (summary.interrupted) {
      writeError(
        `flowgen generate: interrupted after ${formatCount(summary.records)} records` +
          (request.output ? "; no output file written\n" : "\n"),
      );
      return summary.signal === "SIGTERM" ? ExitCode.TERMINATED : ExitCode.INTERRUPTED;
    }
    if (summary.clockEnded) {
      writeError(
        `flowgen generate: the clock ended (timestamps stop at 2^64 - 1 ns, in the year 2554) ` +
          `after ${formatCount(summary.records)} records\n`,
      );
    }
    if (!request.quiet && !summary.brokenPipe) {
      const rate = summary.seconds > 0 ? summary.records / summary.seconds : 0;
      writeError(
        `flowgen: ${formatCount(summary.records)} records in ${summary.seconds.toFixed(2)} s ` +
          `(${formatRate(rate)} records/s), seed ${summary.seed}` +
          (request.output ? `, written to ${request.output}` : "") + "\n",
      );
    }
    return ExitCode.OK;
  } catch (error) {
    return fail("generate", error);
  }
}
