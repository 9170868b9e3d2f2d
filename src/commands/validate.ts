/**
 * `flowgen validate FILE...`: checks config files the way `generate` would use them: the
 * YAML/JSON syntax and every key and value (with file, line and column), then the engine's
 * own checks. Prints `FILE: ok` per valid file; exit code 2 when any file is invalid.
 *
 * @module
 */

import { loadConfigFile } from "../config/mod.ts";
import { formatOptions, type OptionSpec, parseArgs } from "../args.ts";
import { UsageError } from "../errors.ts";
import { FlowGenerator } from "../generator.ts";
import { ExitCode, fail, writeOutput } from "./common.ts";

/** Options of `flowgen validate`. */
export const OPTIONS: readonly OptionSpec[] = [
  { name: "quiet", short: "q", kind: "boolean", description: "print nothing for valid files" },
  { name: "help", short: "h", kind: "boolean", description: "show this help" },
];

/** The help text of `flowgen validate`. */
export const HELP: string = `Usage: flowgen validate [options] FILE...

Checks config files (YAML or JSON): syntax, keys, types, ranges, and the engine's checks.
Exit code 0 when every file is valid, 2 otherwise.

Options:
${formatOptions(OPTIONS)}
`;

/** Validates one file; throws ConfigError (or a runtime error). */
export async function validateFile(path: string): Promise<string> {
  const config = await loadConfigFile(path);
  // The engine checks again (e.g. subnets of each family); creating a generator runs them.
  new FlowGenerator(config).close();
  const patterns = config.traffic_patterns.map((p) => `${p.name} ${p.percentage}%`).join(", ");
  return `${path}: ok (${patterns})`;
}

/**
 * Entry point of `flowgen validate`; returns the exit code.
 *
 * @example
 * ```ts ignore
 * import { run } from "./validate.ts";
 *
 * const code = await run(["configs/example_config.yaml"]);
 * ```
 */
export async function run(args: string[]): Promise<number> {
  let files: string[];
  let quiet: boolean;
  try {
    const { values, positionals } = parseArgs(args, OPTIONS);
    if (values.help) {
      writeOutput(HELP);
      return ExitCode.OK;
    }
    if (positionals.length === 0) throw new UsageError("expected at least one config file");
    files = positionals;
    quiet = values.quiet === true;
  } catch (error) {
    return fail("validate", error);
  }
  let code: number = ExitCode.OK;
  for (const file of files) {
    try {
      const line = await validateFile(file);
      if (!quiet) writeOutput(`${line}\n`);
    } catch (error) {
      code = Math.max(code, fail("validate", error));
    }
  }
  return code;
}
