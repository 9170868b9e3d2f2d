/**
 * Error types of the FlowGen module, by meaning:
 *
 * - {@linkcode LibraryError}: libflowgen is missing, cannot be loaded, or has another ABI
 *   version (the message says what to run);
 * - {@linkcode EngineError}: the engine refused a call at run time (I/O, state, memory);
 * - {@linkcode ClosedError}: a generator or encoder was used after `close()`;
 * - {@linkcode UsageError}: bad command-line usage (exit code 2).
 *
 * Config problems are reported as `ConfigError` (from `src/config/`).
 *
 * @module
 */

/**
 * libflowgen could not be found or loaded, or is not the version this module needs.
 *
 * @example
 * ```ts
 * import { LibraryError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new LibraryError("libflowgen not found: run `deno task build`");
 * assert(error instanceof Error);
 * ```
 */
export class LibraryError extends Error {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "LibraryError";
  }
}

/** Names of the engine's status codes (`FLOWGEN_ERR_*`). */
const STATUS_NAMES: Record<number, string> = {
  [-1]: "INVALID_ARGUMENT",
  [-2]: "INVALID_CONFIG",
  [-3]: "IO",
  [-4]: "STATE",
  [-5]: "NO_MEMORY",
  [-6]: "CHECKPOINT",
  [-7]: "UNSUPPORTED",
  [-8]: "BUFFER_TOO_SMALL",
  [-99]: "INTERNAL",
};

/**
 * The name of an engine status code: `-3` is `"IO"`.
 *
 * @example
 * ```ts
 * import { statusName } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(statusName(-3), "IO");
 * ```
 */
export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `STATUS_${status}`;
}

/**
 * A call into the engine failed at run time; `status` is the negative `FLOWGEN_ERR_*`
 * code and `code` its name (`"IO"`, `"STATE"`, ...).
 *
 * @example
 * ```ts
 * import { EngineError } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const error = new EngineError("write failed: No space left on device", -3);
 * assertEquals(error.code, "IO");
 * ```
 */
export class EngineError extends Error {
  /** The negative status code returned by the engine. */
  readonly status: number;
  /** The status code's name, e.g. `"IO"`. */
  readonly code: string;

  /** Creates the error from the engine's message and status code. */
  constructor(message: string, status: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "EngineError";
    this.status = status;
    this.code = statusName(status);
  }
}

/**
 * An object was used after `close()` (or after its `using` block ended).
 *
 * @example
 * ```ts
 * import { ClosedError } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(new ClosedError("FlowGenerator").message,
 *   "FlowGenerator is closed: create a new one instead of using it after close()");
 * ```
 */
export class ClosedError extends Error {
  /** Creates the error for an object of the given kind ("FlowGenerator"). */
  constructor(what: string) {
    super(`${what} is closed: create a new one instead of using it after close()`);
    this.name = "ClosedError";
  }
}

/**
 * Bad command-line usage: an unknown option, a missing or malformed value.
 *
 * @example
 * ```ts
 * import { UsageError } from "./errors.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(new UsageError("unknown option --foo").name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
