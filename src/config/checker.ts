/**
 * Internal helpers of the validator: a collector of errors that knows where each key path
 * sits in the source text, and typed readers for mappings, lists, numbers and enums, each
 * recording a precise message on failure.
 *
 * @module
 */

import { ConfigError, type ConfigPath, formatPath } from "./errors.ts";
import { didYouMean } from "./suggest.ts";

/** A 1-based line and column. */
export interface SourcePosition {
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/**
 * Where the value being validated came from: a file name for messages and, for text,
 * a way to find the line and column of a key path (`"key"` the key itself, `"value"` its
 * value; the nearest enclosing node when the path does not exist, e.g. a missing key).
 */
export interface ConfigSource {
  /** The file name shown in messages. */
  file?: string;
  /** Finds the position of a key path in the source text. */
  locate?: (path: ConfigPath, target: "key" | "value") => SourcePosition | undefined;
}

/** A plain mapping read from the config. */
export type Mapping = Record<string, unknown>;

/** Options for numeric readers. */
export interface NumberRange {
  /** Inclusive minimum. */
  min?: number;
  /** Inclusive maximum. */
  max?: number;
  /** Exclusive minimum (e.g. bandwidth > 0). */
  above?: number;
}

/** Collects errors with their locations; see the module documentation. */
export class Checker {
  /** Errors found so far, in order. */
  readonly errors: ConfigError[] = [];
  readonly #source: ConfigSource;
  // How ordered() ranks an error: unknown keys 0, missing keys 2, the rest 1.
  readonly #rank = new Map<ConfigError, number>();

  /** A checker reporting positions through `source`. */
  constructor(source: ConfigSource = {}) {
    this.#source = source;
  }

  /** Records an error at `path`; returns undefined so readers can `return c.fail(...)`. */
  fail(path: ConfigPath, reason: string, target: "key" | "value" = "value"): undefined {
    const position = this.#source.locate?.(path, target);
    this.errors.push(
      new ConfigError(reason, {
        path: formatPath(path),
        file: this.#source.file,
        line: position?.line,
        column: position?.column,
      }),
    );
    return undefined;
  }

  /** The number of errors so far (to tell whether a sub-check added any). */
  get count(): number {
    return this.errors.length;
  }

  /**
   * Reads a mapping whose keys must be among `keys` (others are errors with a
   * did-you-mean). `undefined`/`null` count as absent when `optional`.
   */
  mapping(value: unknown, path: ConfigPath, keys: readonly string[]): Mapping | undefined {
    if (!isMapping(value)) return this.fail(path, `expected a mapping, got ${describe(value)}`);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        this.unknownKey([...path, key], `unknown key${didYouMean(key, keys)}`);
      }
    }
    return value;
  }

  /** Reports the key at `path` as unknown (`reason` says why, with a did-you-mean). */
  unknownKey(path: ConfigPath, reason: string): undefined {
    this.fail(path, reason, "key");
    this.#rank.set(this.errors[this.errors.length - 1], 0);
    return undefined;
  }

  /** Reports `key` of the mapping at `path` as missing (`reason` says so by default). */
  missing(path: ConfigPath, key: string, reason = "required key is missing"): undefined {
    this.fail([...path, key], reason);
    this.#rank.set(this.errors[this.errors.length - 1], 2);
    return undefined;
  }

  /**
   * Every error, unknown keys first, missing keys last, each group in file order (when
   * positions are known). A misspelt key is the likely cause of the rest: its key is
   * missing, or a default stands in for its value (`min_siz: 40` leaves min_size 64 >
   * max_size 60), so its "unknown key (did you mean ...)" is what to fix first.
   */
  ordered(): ConfigError[] {
    const rank = (e: ConfigError) => this.#rank.get(e) ?? 1;
    return [...this.errors].sort((x, y) =>
      rank(x) - rank(y) || (x.line ?? 0) - (y.line ?? 0) || (x.column ?? 0) - (y.column ?? 0)
    );
  }

  /** Reads a list. */
  list(value: unknown, path: ConfigPath): unknown[] | undefined {
    if (!Array.isArray(value)) return this.fail(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  /** Reads a finite number within `range` (bigints are accepted and converted). */
  number(value: unknown, path: ConfigPath, range: NumberRange = {}): number | undefined {
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number") return this.fail(path, `expected a number, got ${describe(value)}`);
    if (!Number.isFinite(n)) return this.fail(path, `expected a finite number, got ${describe(n)}`);
    return this.#inRange(n, path, range, "a number");
  }

  /** Reads an integer within `range` (at most 2^53 - 1 unless `range.max` says less). */
  integer(value: unknown, path: ConfigPath, range: NumberRange = {}): number | undefined {
    const n = typeof value === "bigint" ? Number(value) : value;
    if (typeof n !== "number") {
      return this.fail(path, `expected an integer, got ${describe(value)}`);
    }
    if (!Number.isFinite(n) || !Number.isInteger(n)) {
      return this.fail(path, `expected an integer, got ${describe(value)}`);
    }
    const max = range.max ?? Number.MAX_SAFE_INTEGER;
    if (typeof value === "bigint" && !Number.isSafeInteger(n)) {
      return this.fail(path, `expected an integer in ${range.min ?? 0}..${max}, got ${value}`);
    }
    return this.#inRange(n, path, { ...range, max }, "an integer");
  }

  #inRange(n: number, path: ConfigPath, range: NumberRange, what: string): number | undefined {
    const { min, max, above } = range;
    const tooLow = (min !== undefined && n < min) || (above !== undefined && n <= above);
    const tooHigh = max !== undefined && n > max;
    if (!tooLow && !tooHigh) return n;
    const low = above !== undefined ? `> ${above}` : min !== undefined ? `>= ${min}` : "";
    let want: string;
    if (min !== undefined && max !== undefined) want = `${what} in ${min}..${max}`;
    else if (low && max !== undefined) want = `${what} ${low} and <= ${max}`;
    else if (low) want = `${what} ${low}`;
    else want = `${what} <= ${max}`;
    return this.fail(path, `expected ${want}, got ${describe(n)}`);
  }

  /** Reads a boolean. */
  boolean(value: unknown, path: ConfigPath): boolean | undefined {
    if (typeof value !== "boolean") {
      return this.fail(path, `expected true or false, got ${describe(value)}`);
    }
    return value;
  }

  /** Reads a string. */
  string(value: unknown, path: ConfigPath): string | undefined {
    if (typeof value !== "string") {
      return this.fail(path, `expected a string, got ${describe(value)}`);
    }
    return value;
  }

  /** Reads one of `choices` (with a did-you-mean for a near miss). */
  choice<T extends string>(
    value: unknown,
    path: ConfigPath,
    choices: readonly T[],
    what = "value",
  ): T | undefined {
    if (typeof value !== "string") {
      return this.fail(path, `expected one of ${listChoices(choices)}, got ${describe(value)}`);
    }
    if ((choices as readonly string[]).includes(value)) return value as T;
    const hint = didYouMean(value, choices);
    return this.fail(
      path,
      `unknown ${what} ${describe(value)}${hint || `, expected one of ${listChoices(choices)}`}`,
    );
  }
}

/** Whether `value` is a plain mapping (not a list, not null). */
export function isMapping(value: unknown): value is Mapping {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether `mapping` has `key` with a value other than undefined (null counts: a YAML
 * key without a value is reported as such rather than silently defaulted). */
export function has(mapping: Mapping, key: string): boolean {
  return Object.hasOwn(mapping, key) && mapping[key] !== undefined;
}

/** `a, b or c`, each quoted. */
export function listChoices(choices: readonly string[]): string {
  const quoted = choices.map((c) => `"${c}"`);
  return quoted.length <= 1
    ? quoted.join("")
    : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
}

/**
 * How a value is shown in "got ..." messages: strings quoted (and shortened), numbers as
 * written, lists and mappings by kind.
 */
export function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (typeof value === "string") {
    const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === "number") return Number.isNaN(value) ? "NaN" : String(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return "a list";
  if (isMapping(value)) return "a mapping";
  return `a ${typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value}`;
}
