/**
 * `flowgen merge FILES… [-o OUT]`: merges shard outputs (CSV or JSON Lines) by timestamp
 * into one trace, streaming (constant memory, whatever the sizes). CSV headers must match
 * and are written once. A file output is written under a temporary name and renamed at the
 * end.
 *
 * @module
 */

import { closeSync, openSync } from "node:fs";
import { formatOptions, type OptionSpec, parseArgs } from "../args.ts";
import { UsageError } from "../errors.ts";
import { OutputFile } from "../output_file.ts";
import { mergeFlowFiles } from "../merge.ts";
import { formatCount } from "../progress.ts";
import { ExitCode, fail, writeError, writeOutput } from "./common.ts";

/** Options of `flowgen merge`. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: "output",
    short: "o",
    kind: "string",
    value: "FILE|-",
    description: "output file; - or absent: stdout",
  },
  { name: "quiet", short: "q", kind: "boolean", description: "no summary" },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `flowgen merge`. */
export const HELP: string = `Usage: flowgen merge FILES... [options]

Merges CSV or JSON Lines files (e.g. the outputs of flowgen generate --shard I/N) by
timestamp into one file, streaming. Records with equal timestamps keep the order of the
files given. CSV files must have the same header (or none).

Options:
${formatOptions(OPTIONS)}

Example:
  flowgen merge shard-*.csv -o flows.csv
`;

/**
 * Entry point of `flowgen merge`; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./merge.ts";
 *
 * const code = await run(["shard-0.csv", "shard-1.csv", "-o", "flows.csv"]);
 * ```
 */
export function run(args: string[]): Promise<number> {
  let file: OutputFile | undefined;
  try {
    const { values, positionals } = parseArgs(args, OPTIONS);
    if (values.help) {
      writeOutput(HELP);
      return Promise.resolve(ExitCode.OK);
    }
    if (positionals.length === 0) throw new UsageError("give the files to merge");
    const output = typeof values.output === "string" && values.output !== "-"
      ? values.output
      : undefined;
    if (output !== undefined && positionals.includes(output)) {
      throw new UsageError(`the output ${output} is also an input`);
    }
    let fd = 1;
    if (output !== undefined) {
      file = new OutputFile(output);
      fd = file.open((path) => openSync(path, "w"));
    }
    let result;
    try {
      result = mergeFlowFiles(positionals, fd);
    } finally {
      if (fd !== 1) closeSync(fd);
    }
    file?.commit();
    if (!values.quiet) {
      writeError(
        `flowgen merge: ${formatCount(result.records)} ${result.format} records from ` +
          `${positionals.length} files` + (output ? `, written to ${output}` : "") + "\n",
      );
    }
    return Promise.resolve(ExitCode.OK);
  } catch (error) {
    file?.discard();
    return Promise.resolve(fail("merge", error));
  }
}
