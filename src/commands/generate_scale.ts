/**
 * Options of `flowgen generate` for large runs: `--shard I/N` and `--threads T` (mapped to
 * the config's `generation.shard` and `generation.threads`), and `--checkpoint STATE`,
 * `--checkpoint-every N`, `--resume STATE` (run by `generate_checkpoint.ts`).
 *
 * @module
 */

import type { OptionSpec } from "../args.ts";
import type { FlowGenConfig } from "../config/types.ts";
import { MAX_THREADS } from "../config/limits.ts";
import { UsageError } from "../errors.ts";

/** The option specs, appended to those of `flowgen generate`. */
export const SCALE_OPTIONS: readonly OptionSpec[] = [
  {
    name: "shard",
    kind: "string",
    value: "I/N",
    description: "generate shard I of N (0-based): its own 1/N share of the traffic " +
      "(bandwidth/N) over the same time span; merge the N outputs with flowgen merge",
  },
  {
    name: "threads",
    kind: "string",
    value: "T",
    description: "generate T shards in parallel and merge them in order into one output " +
      "(deterministic for a given T and seed)",
  },
  {
    name: "checkpoint",
    kind: "string",
    value: "STATE",
    description: "with -o FILE: save the state every --checkpoint-every records and on " +
      "SIGINT/SIGTERM (exit 130/143), in step with the data written",
  },
  {
    name: "checkpoint-every",
    kind: "string",
    value: "N",
    description: "records between checkpoints (default 1000000)",
  },
  {
    name: "resume",
    kind: "string",
    value: "STATE",
    description: "continue the run saved in STATE: truncate its output file to the " +
      "checkpoint and go on (other options must match the original run's, or be omitted)",
  },
];

/**
 * Parses `--shard` text: `"I/N"` with 0 <= I < N.
 *
 * @example
 * ```ts
 * import { parseShard } from "./generate_scale.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(parseShard("2/8"), { index: 2, count: 8 });
 * ```
 */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (
    !match || !Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 ||
    count > 0xffff_ffff || index >= count
  ) {
    throw new UsageError(
      `--shard expects I/N with 0 <= I < N (shard I of N, 0-based), got "${text}"`,
    );
  }
  return { index, count };
}

/**
 * Parses `--threads` text: an integer from 1 to the config's limit.
 *
 * @example
 * ```ts
 * import { parseThreads } from "./generate_scale.ts";
 * import { strictEqual } from "node:assert/strict";
 *
 * strictEqual(parseThreads("4"), 4);
 * ```
 */
export function parseThreads(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || value < 1 || value > MAX_THREADS) {
    throw new UsageError(`--threads expects an integer from 1 to ${MAX_THREADS}, got "${text}"`);
  }
  return value;
}

/** Applies `--shard` and `--threads` (parsed option values) to a config. */
export function applyScaleOptions(
  values: Record<string, string | boolean | undefined>,
  config: FlowGenConfig,
): void {
  if (typeof values.shard === "string") config.generation.shard = parseShard(values.shard);
  if (typeof values.threads === "string") {
    config.generation.threads = parseThreads(values.threads);
  }
}

/** The checkpoint options found in `args`, and the other arguments. */
export interface CheckpointArgs {
  /** `--checkpoint STATE`. */
  checkpoint?: string;
  /** `--checkpoint-every N`, as given. */
  every?: string;
  /** `--resume STATE`. */
  resume?: string;
  /** Every other argument, in order. */
  rest: string[];
}

const CHECKPOINT_NAMES = ["checkpoint", "checkpoint-every", "resume"] as const;

/**
 * Takes the checkpoint options out of a `flowgen generate` command line.
 *
 * @example
 * ```ts
 * import { splitCheckpointArgs } from "./generate_scale.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(splitCheckpointArgs(["-n", "5", "--checkpoint=s", "-o", "f"]), {
 *   checkpoint: "s",
 *   rest: ["-n", "5", "-o", "f"],
 * });
 * ```
 */
export function splitCheckpointArgs(args: readonly string[]): CheckpointArgs {
  const out: CheckpointArgs = { rest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      out.rest.push(...args.slice(i));
      break;
    }
    const name = CHECKPOINT_NAMES.find((each) =>
      arg === `--${each}` || arg.startsWith(`--${each}=`)
    );
    if (name === undefined) {
      out.rest.push(arg);
      continue;
    }
    let value: string;
    if (arg.includes("=")) {
      value = arg.slice(arg.indexOf("=") + 1);
    } else {
      if (i + 1 >= args.length) throw new UsageError(`option --${name} needs a value`);
      value = args[++i];
    }
    if (name === "checkpoint") out.checkpoint = value;
    else if (name === "checkpoint-every") out.every = value;
    else out.resume = value;
  }
  return out;
}

/** True when `args` asks for a checkpointed or resumed run (and not for `--help`). */
export function wantsCheckpoint(args: readonly string[]): boolean {
  if (args.some((arg) => arg === "-h" || arg === "--help")) return false;
  const split = splitCheckpointArgs(args);
  return split.checkpoint !== undefined || split.resume !== undefined ||
    split.every !== undefined;
}
