/**
 * The error thrown for a bad config: what is wrong, where (key path, file, line, column).
 *
 * @module
 */

/** One step of a key path: a mapping key or a list index. */
export type ConfigPathSegment = string | number;

/** A key path into the config, e.g. `["traffic_patterns", 2, "percentage"]`. */
export type ConfigPath = readonly ConfigPathSegment[];

/** Where a config error was found, all fields optional. */
export interface ConfigErrorOptions {
  /** Key path of the offending value, e.g. `traffic_patterns[2].percentage`; "" for the file. */
  path?: string;
  /** The file the config came from. */
  file?: string;
  /** 1-based line in the file. */
  line?: number;
  /** 1-based column in the file. */
  column?: number;
  /** Every error found, in order, when there were several (this one first). */
  errors?: readonly ConfigError[];
  /** The underlying error (e.g. the file system error of an unreadable file). */
  cause?: unknown;
}

/**
 * Formats a key path the way messages show it: keys joined by dots, list indices in
 * brackets.
 *
 * @example
 * ```ts
 * import { formatPath } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(formatPath(["traffic_patterns", 2, "percentage"]), "traffic_patterns[2].percentage");
 * ```
 */
export function formatPath(path: ConfigPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}

/**
 * A config that cannot be used: a YAML/JSON syntax error, a wrong type, a value out of
 * range, an unknown key, an unreadable file. `message` is formatted
 * `file:line:column path: reason`, each part present only when known:
 * `configs/x.yaml:12:5 traffic_patterns[2].percentage: expected a number, got "ten"`.
 * When validation found several problems, `errors` lists them all (this error first).
 *
 * @example
 * ```ts
 * import { ConfigError } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const e = new ConfigError('expected a number, got "ten"', {
 *   path: "traffic_patterns[2].percentage",
 *   file: "configs/x.yaml",
 *   line: 12,
 *   column: 5,
 * });
 * assertEquals(e.message, 'configs/x.yaml:12:5 traffic_patterns[2].percentage: expected a number, got "ten"');
 * assertEquals(e.reason, 'expected a number, got "ten"');
 * ```
 */
export class ConfigError extends Error {
  /** Key path of the offending value; "" when the error is about the whole file. */
  readonly path: string;
  /** What is wrong, without the location prefix. */
  readonly reason: string;
  /** The file the config came from, if any. */
  readonly file?: string;
  /** 1-based line, when known (YAML/JSON text). */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
  /** Every error found (this one first); `[this]` when there was only one. */
  readonly errors: readonly ConfigError[];

  /** Creates an error; see the class documentation for the message format. */
  constructor(reason: string, options: ConfigErrorOptions = {}) {
    super(formatConfigMessage(reason, options), { cause: options.cause });
    this.name = "ConfigError";
    this.reason = reason;
    this.path = options.path ?? "";
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
    this.errors = options.errors && options.errors.length > 0 ? options.errors : [this];
  }
}

/**
 * Formats `file:line:column path: reason`, leaving out what is unknown.
 *
 * @example
 * ```ts
 * import { formatConfigMessage } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(formatConfigMessage("unknown key", { path: "generation.max_flow" }), "generation.max_flow: unknown key");
 * assertEquals(formatConfigMessage("the file is empty", { file: "a.yaml" }), "a.yaml: the file is empty");
 * ```
 */
export function formatConfigMessage(reason: string, where: ConfigErrorOptions): string {
  let location = where.file ?? "";
  if (where.line !== undefined) {
    location += `${location === "" ? "" : ":"}${where.line}`;
    if (where.column !== undefined) location += `:${where.column}`;
  }
  const head = [location, where.path ?? ""].filter((part) => part !== "").join(" ");
  return head === "" ? reason : `${head}: ${reason}`;
}
