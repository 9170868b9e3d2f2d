/**
 * Checkpoints of a generator: {@linkcode FlowGenerator.checkpoint} saves the generator's
 * whole state as a blob, {@linkcode FlowGenerator.resume} continues from it with exactly the
 * records an uninterrupted generator would have produced.
 *
 * A blob is an envelope around the engine's own checkpoint (which is versioned,
 * checksummed and tied to the config that made it):
 *
 * ```text
 * "FGCK" | version u32 | engine blob size u32 | engine blob
 *        | records pending u32 | their column bytes | SHA-256 of all before (32 bytes)
 * ```
 *
 * "Pending" records are those of the current batch not handed out yet (a checkpoint taken in
 * the middle of a batch read by the iterator); they are stored as they are and handed out
 * first after resuming. Also here: the raw engine calls (generator and encoder) that the
 * CLI's state file is built from.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { NativePointer } from "./native/backend.ts";
import type { NativeGenerator } from "./native/generator_handle.ts";
import type { NativeEncoder } from "./native/encoder.ts";
import { COLUMN_COUNT, COLUMN_ELEMENT_BYTES, Status } from "./native/constants.ts";
import { EngineError } from "./errors.ts";

/** Status code of a refused checkpoint (`FLOWGEN_ERR_CHECKPOINT`). */
export const CHECKPOINT_STATUS: number = Status.CHECKPOINT;

/**
 * A checkpoint blob or state file was refused: corrupt, of another format version, or made
 * from another config. The message says which.
 */
export class CheckpointError extends EngineError {
  /** Creates the error. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, CHECKPOINT_STATUS, options);
    this.name = "CheckpointError";
  }
}

const MAGIC = [0x46, 0x47, 0x43, 0x4b]; // "FGCK"
/** Version of the envelope written by {@linkcode checkpointFlowGenerator}. */
export const CHECKPOINT_VERSION = 1;
const DIGEST_BYTES = 32;

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type BlobCall = (
  handle: NativePointer,
  buffer: Uint8Array<ArrayBuffer> | null,
  capacity: number,
  needed: Uint32Array<ArrayBuffer>,
) => number;

function readBlob(
  handle: NativePointer,
  call: BlobCall,
  error: () => string,
): Uint8Array<ArrayBuffer> {
  const needed = new Uint32Array(1);
  let status = call(handle, null, 0, needed);
  if (status !== Status.BUFFER_TOO_SMALL && status < 0) {
    throw new EngineError(error() || "checkpoint failed", status);
  }
  const buffer = new Uint8Array(needed[0]);
  status = call(handle, buffer, buffer.length, needed);
  if (status < 0) throw new EngineError(error() || "checkpoint failed", status);
  return buffer.subarray(0, status);
}

function restoreError(message: string, status: number): EngineError {
  return status === CHECKPOINT_STATUS
    ? new CheckpointError(message)
    : new EngineError(message, status);
}

/** The engine's checkpoint of a native generator (its state after its current batch). */
export function engineGeneratorCheckpoint(g: NativeGenerator): Uint8Array<ArrayBuffer> {
  const lib = g.lib;
  const handle = g.handle();
  return readBlob(
    handle,
    lib.symbols.flowgen_generator_checkpoint as BlobCall,
    () => lib.cstring(lib.symbols.flowgen_generator_error(handle)),
  );
}

/** Restores an engine checkpoint into a native generator (throws CheckpointError). */
export function engineGeneratorRestore(g: NativeGenerator, blob: Uint8Array): void {
  const lib = g.lib;
  const handle = g.handle();
  const copy = new Uint8Array(blob);
  const status = lib.symbols.flowgen_generator_restore(handle, copy, copy.length);
  if (status < 0) {
    throw restoreError(lib.cstring(lib.symbols.flowgen_generator_error(handle)), status);
  }
  g.size = 0;
  g.cursor = 0;
}

/** The engine's checkpoint of an encoder; flush it first so it matches the bytes written. */
export function engineEncoderCheckpoint(encoder: NativeEncoder): Uint8Array<ArrayBuffer> {
  const lib = encoder.lib;
  const handle = encoder.handle;
  return readBlob(
    handle,
    lib.symbols.flowgen_encoder_checkpoint as BlobCall,
    () => lib.cstring(lib.symbols.flowgen_encoder_error(handle)),
  );
}

/** Restores an encoder checkpoint (before the first encode; throws CheckpointError). */
export function engineEncoderRestore(encoder: NativeEncoder, blob: Uint8Array): void {
  const lib = encoder.lib;
  const handle = encoder.handle;
  const copy = new Uint8Array(blob);
  const status = lib.symbols.flowgen_encoder_restore(handle, copy, copy.length);
  if (status < 0) {
    throw restoreError(lib.cstring(lib.symbols.flowgen_encoder_error(handle)), status);
  }
}

/** Byte views of every column of the generator's batch memory (capacity records each). */
function columnBytes(g: NativeGenerator): Uint8Array[] {
  const lib = g.lib;
  const handle = g.handle();
  const views: Uint8Array[] = [];
  for (let column = 0; column < COLUMN_COUNT; column++) {
    const pointer = lib.symbols.flowgen_generator_column(handle, column);
    views.push(new Uint8Array(lib.view(pointer, g.capacity * COLUMN_ELEMENT_BYTES[column])));
  }
  return views;
}

/**
 * Saves a native generator's state: the engine's blob plus the records of the current batch
 * not handed out yet.
 */
export function checkpointFlowGenerator(g: NativeGenerator): Uint8Array {
  const engine = engineGeneratorCheckpoint(g);
  const pending = Math.max(0, g.size - g.cursor);
  const parts: Uint8Array[] = [];
  if (pending > 0) {
    const columns = columnBytes(g);
    for (let column = 0; column < COLUMN_COUNT; column++) {
      const width = COLUMN_ELEMENT_BYTES[column];
      parts.push(columns[column].slice(g.cursor * width, g.size * width));
    }
  }
  const columnsSize = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(16 + engine.length + columnsSize + DIGEST_BYTES);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(4, CHECKPOINT_VERSION, true);
  view.setUint32(8, engine.length, true);
  out.set(engine, 12);
  let offset = 12 + engine.length;
  view.setUint32(offset, pending, true);
  offset += 4;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  out.set(sha256(out.subarray(0, offset)), offset);
  return out;
}

/**
 * Restores a blob of {@linkcode checkpointFlowGenerator} into a native generator made from
 * the same config; throws {@linkcode CheckpointError} when the blob is refused.
 */
export function resumeFlowGenerator(g: NativeGenerator, blob: Uint8Array): void {
  if (!(blob instanceof Uint8Array)) {
    throw new TypeError("FlowGenerator.resume expects the Uint8Array of checkpoint()");
  }
  if (blob.length < 16 + DIGEST_BYTES || !MAGIC.every((byte, i) => blob[i] === byte)) {
    throw new CheckpointError(
      `not a FlowGenerator checkpoint (${blob.length} bytes, bad magic or too short)`,
    );
  }
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const body = blob.subarray(0, blob.length - DIGEST_BYTES);
  if (!equalBytes(sha256(body), blob.subarray(blob.length - DIGEST_BYTES))) {
    throw new CheckpointError("FlowGenerator checkpoint: checksum mismatch (corrupt blob)");
  }
  const version = view.getUint32(4, true);
  if (version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(
      `FlowGenerator checkpoint: format version ${version}, this version reads ${CHECKPOINT_VERSION}`,
    );
  }
  const engineSize = view.getUint32(8, true);
  if (12 + engineSize + 4 > body.length) {
    throw new CheckpointError("FlowGenerator checkpoint: truncated");
  }
  const engine = blob.subarray(12, 12 + engineSize);
  let offset = 12 + engineSize;
  const pending = view.getUint32(offset, true);
  offset += 4;
  const recordBytes = COLUMN_ELEMENT_BYTES.reduce((sum, width) => sum + width, 0);
  if (pending > g.capacity || offset + pending * recordBytes !== body.length) {
    throw new CheckpointError(
      `FlowGenerator checkpoint: ${pending} pending records do not fit this generator's batch`,
    );
  }
  engineGeneratorRestore(g, engine);
  if (pending > 0) {
    const columns = columnBytes(g);
    for (let column = 0; column < COLUMN_COUNT; column++) {
      const size = pending * COLUMN_ELEMENT_BYTES[column];
      columns[column].set(blob.subarray(offset, offset + size), 0);
      offset += size;
    }
    g.size = pending;
    g.cursor = 0;
  }
}
