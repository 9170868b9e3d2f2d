/**
 * A small command-line parser for the `flowgen` commands: declared options only (an
 * unknown option is a {@linkcode UsageError}), `--name value`, `--name=value`, `-x value`,
 * `-xvalue`, boolean flags, `--` to end options; plus the help text of the options.
 *
 * @module
 */

import { UsageError } from "./errors.ts";

/** One option of a command. */
export interface OptionSpec {
  /** Long name, without dashes (`"config"`). */
  name: string;
  /** One-letter short name, without the dash (`"c"`). */
  short?: string;
  /** A flag (no value) or an option taking a value. */
  kind: "boolean" | "string";
  /** Name of the value in the help (`FILE`). */
  value?: string;
  /** One-line description for the help. */
  description: string;
}

/** Parsed arguments: option values by long name, and the positional arguments. */
export interface ParsedArgs {
  /** Values of the options given (flags are `true`). */
  values: Record<string, string | boolean | undefined>;
  /** Arguments that are not options, in order. */
  positionals: string[];
}

/**
 * Parses `args` against `specs`.
 *
 * @example
 * ```ts
 * import { parseArgs } from "./args.ts";
 * import { deepStrictEqual } from "node:assert";
 *
 * const parsed = parseArgs(["-n", "10", "--seed=5", "-q", "x"], [
 *   { name: "count", short: "n", kind: "string", description: "records" },
 *   { name: "seed", kind: "string", description: "seed" },
 *   { name: "quiet", short: "q", kind: "boolean", description: "no summary" },
 * ]);
 * deepStrictEqual(parsed, { values: { count: "10", seed: "5", quiet: true }, positionals: ["x"] });
 * ```
 */
export function parseArgs(args: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  const byLong = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(
    specs.filter((spec) => spec.short).map((spec) => [spec.short!, spec]),
  );
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    let shown = arg;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      if (eq >= 0) inline = arg.slice(eq + 1);
      shown = `--${name}`;
      spec = byLong.get(name);
    } else if (arg.startsWith("-") && arg.length > 1 && arg !== "-") {
      shown = arg.slice(0, 2);
      spec = byShort.get(arg[1]);
      if (arg.length > 2) inline = arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    if (spec === undefined) throw new UsageError(`unknown option ${shown}`);
    if (spec.kind === "boolean") {
      if (inline !== undefined) throw new UsageError(`option ${shown} takes no value`);
      values[spec.name] = true;
      continue;
    }
    if (inline === undefined) {
      if (i + 1 >= args.length) throw new UsageError(`option ${shown} needs a value`);
      inline = args[++i];
    }
    values[spec.name] = inline;
  }
  return { values, positionals };
}

/**
 * The help lines of `specs`, aligned.
 *
 * @example
 * ```ts
 * import { formatOptions } from "./args.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(
 *   formatOptions([{ name: "config", short: "c", kind: "string", value: "FILE", description: "config file" }]),
 *   "  -c, --config FILE  config file",
 * );
 * ```
 */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const heads = specs.map((spec) =>
    `${spec.short ? `-${spec.short}, ` : "    "}--${spec.name}${
      spec.kind === "string" ? ` ${spec.value ?? "VALUE"}` : ""
    }`
  );
  const width = Math.max(...heads.map((head) => head.length));
  return specs.map((spec, i) => `  ${heads[i].padEnd(width)}  ${spec.description}`).join("\n");
}

/**
 * Parses a non-negative integer option value.
 *
 * @example
 * ```ts
 * import { parseCount } from "./args.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(parseCount("1_000", "-n"), 1000);
 * strictEqual(parseCount("2e6", "-n"), 2000000);
 * ```
 */
export function parseCount(text: string, option: string): number {
  const value = Number(text.replaceAll("_", ""));
  if (text.trim() === "" || !Number.isSafeInteger(value) || value < 0) {
    throw new UsageError(`${option} expects a non-negative integer, got "${text}"`);
  }
  return value;
}
