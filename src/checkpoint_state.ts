/**
 * The state file of `flowgen generate --checkpoint STATE`: what a resumed run needs to
 * continue the output file exactly where the checkpoint left it.
 *
 * ```text
 * "FGSTATE\0" | version u32 | output bytes u64 | records u64 | fingerprint (32 bytes)
 *   | request size u32 | request (JSON, UTF-8)
 *   | generator blob size u32 | generator blob | encoder blob size u32 | encoder blob
 *   | SHA-256 of everything before (32 bytes)
 * ```
 *
 * - `output bytes`: the length of the output file when the checkpoint was taken (the data
 *   was flushed and synced first); a resume truncates the file to it.
 * - `fingerprint`: SHA-256 of the options that shape the bytes (config, format, fields,
 *   header, pretty); a resume with other options is refused.
 * - `request`: those options and the output path, so `--resume STATE` alone continues.
 * - the blobs: the engine's generator and encoder checkpoints (each versioned and
 *   checksummed by the engine, and tied to its config and encoder parameters).
 *
 * The file is replaced atomically (written to a temporary file, synced, renamed).
 *
 * @module
 */

import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { CheckpointError, sha256 } from "./checkpoint.ts";

const MAGIC = new TextEncoder().encode("FGSTATE\0");
/** Version of the state file format. */
export const STATE_VERSION = 1;
const DIGEST_BYTES = 32;

/** What a state file holds. */
export interface CheckpointState {
  /** The options of the run (JSON-safe; see {@linkcode toJsonValue}). */
  request: Record<string, unknown>;
  /** SHA-256 of the options that shape the output bytes. */
  fingerprint: Uint8Array;
  /** Length of the output file at the checkpoint. */
  outputBytes: number;
  /** Records written at the checkpoint. */
  records: number;
  /** The engine's generator checkpoint. */
  generator: Uint8Array;
  /** The engine's encoder checkpoint. */
  encoder: Uint8Array;
}

/**
 * Converts a value to plain JSON data: bigints become `{ "$bigint": "123" }`
 * ({@linkcode fromJsonValue} converts back).
 *
 * @example
 * ```ts
 * import { fromJsonValue, toJsonValue } from "./checkpoint_state.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const value = { seed: 12345678901234567890n, n: [1, "a"] };
 * deepStrictEqual(fromJsonValue(JSON.parse(JSON.stringify(toJsonValue(value)))), value);
 * ```
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, each] of Object.entries(value)) {
      if (each !== undefined) out[key] = toJsonValue(each);
    }
    return out;
  }
  return value;
}

/** The inverse of {@linkcode toJsonValue}. */
export function fromJsonValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonValue);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && keys[0] === "$bigint" && typeof record.$bigint === "string") {
      return BigInt(record.$bigint);
    }
    const out: Record<string, unknown> = {};
    for (const [key, each] of Object.entries(record)) out[key] = fromJsonValue(each);
    return out;
  }
  return value;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 of a value's canonical JSON (keys sorted, bigints tagged): equal for equal data.
 *
 * @example
 * ```ts
 * import { fingerprintOf } from "./checkpoint_state.ts";
 * import { deepStrictEqual, notDeepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(fingerprintOf({ a: 1, b: 2n }), fingerprintOf({ b: 2n, a: 1 }));
 * notDeepStrictEqual(fingerprintOf({ a: 1 }), fingerprintOf({ a: 2 }));
 * ```
 */
export function fingerprintOf(value: unknown): Uint8Array {
  return sha256(new TextEncoder().encode(canonicalJson(toJsonValue(value))));
}

/** Serializes a state (see the module documentation for the layout). */
export function encodeState(state: CheckpointState): Uint8Array<ArrayBuffer> {
  const request = new TextEncoder().encode(JSON.stringify(toJsonValue(state.request)));
  const size = 8 + 4 + 8 + 8 + DIGEST_BYTES + 4 + request.length + 4 + state.generator.length +
    4 + state.encoder.length + DIGEST_BYTES;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let offset = 0;
  const bytes = (data: Uint8Array) => {
    out.set(data, offset);
    offset += data.length;
  };
  const u32 = (value: number) => {
    view.setUint32(offset, value, true);
    offset += 4;
  };
  const u64 = (value: number) => {
    view.setBigUint64(offset, BigInt(value), true);
    offset += 8;
  };
  bytes(MAGIC);
  u32(STATE_VERSION);
  u64(state.outputBytes);
  u64(state.records);
  bytes(state.fingerprint);
  for (const part of [request, state.generator, state.encoder]) {
    u32(part.length);
    bytes(part);
  }
  bytes(sha256(out.subarray(0, offset)));
  return out;
}

/** Parses a state file's bytes; throws {@linkcode CheckpointError} naming `name`. */
export function decodeState(data: Uint8Array, name = "state file"): CheckpointState {
  const refuse = (why: string) => new CheckpointError(`${name}: ${why}`);
  if (data.length < MAGIC.length + 4 || !MAGIC.every((byte, i) => data[i] === byte)) {
    throw refuse("not a flowgen checkpoint state file (bad magic)");
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const version = view.getUint32(MAGIC.length, true);
  if (version !== STATE_VERSION) {
    throw refuse(
      `state file format version ${version}, this flowgen reads version ${STATE_VERSION}`,
    );
  }
  if (data.length < 8 + 4 + 16 + 2 * DIGEST_BYTES + 12) {
    throw refuse(`truncated (${data.length} bytes)`);
  }
  const body = data.subarray(0, data.length - DIGEST_BYTES);
  const digest = sha256(body);
  const stored = data.subarray(data.length - DIGEST_BYTES);
  if (!digest.every((byte, i) => byte === stored[i])) {
    throw refuse("checksum mismatch (the file is corrupt or truncated)");
  }
  let offset = MAGIC.length + 4;
  const u64 = () => {
    const value = Number(view.getBigUint64(offset, true));
    offset += 8;
    return value;
  };
  const part = () => {
    if (offset + 4 > body.length) throw refuse("truncated");
    const length = view.getUint32(offset, true);
    offset += 4;
    if (offset + length > body.length) throw refuse("truncated");
    const slice = data.slice(offset, offset + length);
    offset += length;
    return slice;
  };
  const outputBytes = u64();
  const records = u64();
  const fingerprint = data.slice(offset, offset + DIGEST_BYTES);
  offset += DIGEST_BYTES;
  let request: Record<string, unknown>;
  try {
    request = fromJsonValue(JSON.parse(new TextDecoder().decode(part()))) as Record<
      string,
      unknown
    >;
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw refuse("the stored options are not valid JSON");
  }
  const generator = part();
  const encoder = part();
  if (offset !== body.length) throw refuse("trailing bytes");
  return { request, fingerprint, outputBytes, records, generator, encoder };
}

/**
 * Syncs a file's data to disk (any descriptor of the file will do); files that cannot be
 * synced (`/dev/null`, pipes) are left alone.
 */
export function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== "EINVAL" && code !== "ENOTSUP" && code !== "EROFS") throw error;
  } finally {
    closeSync(fd);
  }
}

/** Writes a state file atomically: a temporary file next to it, synced, then renamed. */
export function writeState(path: string, state: CheckpointState): void {
  const data = encodeState(state);
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  const fd = openSync(temporary, "w");
  try {
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}

/** Reads and checks a state file (throws CheckpointError, or the file system's error). */
export function readState(path: string): CheckpointState {
  return decodeState(new Uint8Array(readFileSync(path)), `state file ${path}`);
}
