/**
 * `flowgen stats FILE...`: a realism report of flow records (CSV or JSON Lines): share per
 * pattern and protocol, packet-size, flow-size and packets-per-flow histograms, top
 * destination ports, and the request/response pairing rate when the records carry
 * flow_id and direction. Text on stdout; `--html FILE` also writes an HTML page with SVG
 * charts; `--json` prints the numbers as JSON instead of text.
 *
 * @module
 */

import { createReadStream } from "node:fs";
import { open, writeFile } from "node:fs/promises";
import process from "node:process";
import { Readable } from "node:stream";
import { formatOptions, type OptionSpec, parseArgs } from "../args.ts";
import { UsageError } from "../errors.ts";
import { formatHtml } from "../stats/html_report.ts";
import { formatOf, InputError, type InputFormat, readRecords } from "../stats/reader.ts";
import { StatsAccumulator, type StatsReport } from "../stats/summary.ts";
import { formatText } from "../stats/text_report.ts";
import { ExitCode, fail, writeError, writeOutput } from "./common.ts";

/** Options of `flowgen stats`. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: "html", kind: "string", value: "FILE", description: "also write an HTML report" },
  {
    name: "format",
    short: "f",
    kind: "string",
    value: "csv|jsonl",
    description: "input format (default: by extension)",
  },
  { name: "top", kind: "string", value: "N", description: "destination ports listed (default 10)" },
  { name: "json", kind: "boolean", description: "print the report as JSON" },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `flowgen stats`. */
export const HELP: string = `Usage: flowgen stats [options] FILE...

Realism report of flow records in CSV (the brief's columns or any --fields selection, with
a header line) or JSON Lines (.jsonl). FILE "-" reads stdin. Several files are combined.

Options:
${formatOptions(OPTIONS)}
`;

/** What the report reads from each input. */
export interface StatsInput {
  /** Path, or "-" for stdin. */
  path: string;
  /** Input format; default by extension (CSV unless .jsonl/.ndjson/.json). */
  format?: InputFormat;
}

// node:fs and node:stream so the same code runs on Deno, Node and Bun.
async function openInput(path: string): Promise<ReadableStream<Uint8Array>> {
  if (path === "-") return Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>;
  try {
    await (await open(path, "r")).close(); // a clear error before streaming starts
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") {
      throw new InputError(`${path}: no such file`);
    }
    throw error;
  }
  return Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
}

/**
 * Reads every input and returns the report.
 *
 * @example
 * ```ts ignore
 * import { statsOf } from "./stats.ts";
 * const report = await statsOf([{ path: "flows.csv" }]);
 * console.log(report.records, report.protocols);
 * ```
 */
export async function statsOf(inputs: readonly StatsInput[], topPorts = 10): Promise<StatsReport> {
  const accumulator = new StatsAccumulator(topPorts);
  for (const input of inputs) {
    const stream = await openInput(input.path);
    const format = input.format ?? formatOf(input.path);
    for await (const record of readRecords(stream, format, input.path)) accumulator.add(record);
  }
  return accumulator.report();
}

function parseFormat(value: string | boolean | undefined): InputFormat | undefined {
  if (value === undefined) return undefined;
  if (value === "csv" || value === "jsonl") return value;
  throw new UsageError(`--format must be csv or jsonl, got "${value}"`);
}

function parseTop(value: string | boolean | undefined): number {
  if (value === undefined) return 10;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new UsageError(`--top must be a positive integer, got "${value}"`);
  }
  return n;
}

/**
 * Entry point of `flowgen stats`; returns the exit code (0 ok, 2 usage or malformed input,
 * 1 runtime error).
 *
 * @example
 * ```ts ignore
 * import { run } from "./stats.ts";
 * const code = await run(["flows.csv", "--html", "report.html"]);
 * ```
 */
export async function run(args: string[]): Promise<number> {
  let inputs: StatsInput[];
  let top: number;
  let html: string | undefined;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs(args, OPTIONS);
    if (values.help) {
      writeOutput(HELP);
      return ExitCode.OK;
    }
    if (positionals.length === 0) throw new UsageError("expected a CSV or JSONL file");
    const format = parseFormat(values.format);
    inputs = positionals.map((path) => ({ path, format }));
    top = parseTop(values.top);
    if (values.html === true || values.html === "") throw new UsageError("--html needs a FILE");
    html = values.html as string | undefined;
    json = values.json === true;
  } catch (error) {
    return fail("stats", error);
  }
  try {
    const report = await statsOf(inputs, top);
    const source = inputs.map((i) => i.path).join(", ");
    writeOutput(json ? `${JSON.stringify(report, null, 2)}\n` : formatText(report, source));
    if (html !== undefined) await writeFile(html, formatHtml(report, source));
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof InputError) {
      writeError(`flowgen stats: ${error.message}\n`);
      return ExitCode.USAGE;
    }
    return fail("stats", error);
  }
}
