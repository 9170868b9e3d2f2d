/**
 * What every `flowgen` command shares: writing to stdout/stderr, turning an error into a
 * message and an exit code (0 success, 2 usage or config errors, 1 runtime errors), and
 * the `--help` handling.
 *
 * @module
 */

import process from "node:process";
import { ConfigError } from "../config/errors.ts";
import { UsageError } from "../errors.ts";

/** Exit codes of the CLI. */
export const ExitCode = {
  /** Success. */
  OK: 0,
  /** A runtime error (I/O, engine, missing library). */
  RUNTIME: 1,
  /** Bad usage or a bad config. */
  USAGE: 2,
  /** Interrupted by SIGINT. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM. */
  TERMINATED: 143,
} as const;

function debugEnabled(): boolean {
  try {
    return Boolean(process.env.FLOWGEN_DEBUG);
  } catch {
    return false;
  }
}

/** Writes text to stderr. */
export function writeError(text: string): void {
  process.stderr.write(text);
}

/** Writes text to stdout. */
export function writeOutput(text: string): void {
  process.stdout.write(text);
}

/** True when stderr is a terminal (progress bars go there only then). */
export function stderrIsTerminal(): boolean {
  return process.stderr.isTTY === true;
}

/**
 * The exit code for an error: 2 for usage and config errors, 1 for everything else.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from "./common.ts";
 * import { UsageError } from "../errors.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(exitCodeFor(new UsageError("bad")), 2);
 * strictEqual(exitCodeFor(new Error("disk full")), 1);
 * ```
 */
export function exitCodeFor(error: unknown): number {
  return error instanceof UsageError || error instanceof ConfigError
    ? ExitCode.USAGE
    : ExitCode.RUNTIME;
}

/**
 * Reports an error on stderr as `flowgen <command>: <message>` (every problem of a
 * ConfigError on its own line; a usage hint after a UsageError; a stack trace only when
 * `FLOWGEN_DEBUG` is set) and returns the exit code.
 */
export function fail(command: string, error: unknown): number {
  const prefix = `flowgen ${command}: `;
  if (error instanceof ConfigError) {
    for (const each of error.errors) writeError(`${prefix}${each.message}\n`);
  } else if (error instanceof UsageError) {
    writeError(`${prefix}${error.message}\nRun 'flowgen ${command} --help' for usage.\n`);
  } else if (error instanceof Error) {
    writeError(`${prefix}${error.message}\n`);
    if (debugEnabled()) writeError(`${error.stack}\n`);
  } else {
    writeError(`${prefix}${String(error)}\n`);
  }
  return exitCodeFor(error);
}
