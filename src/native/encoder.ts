/**
 * A native encoder (`flowgen_encoder`): turns the engine's batches into CSV, JSON, JSON
 * Lines or flow-export packets, writing to a file, a descriptor, or its own buffer.
 *
 * @module
 */

import { availableParallelism } from "node:os";
import { cstr, type NativeLibrary, type NativePointer, pointerCell } from "./backend.ts";
import { ENCODER_STATS_SIZE, Format, Status } from "./constants.ts";
import { ClosedError, EngineError } from "../errors.ts";

/** Text formats by name. */
export const TEXT_FORMATS: Readonly<Record<"csv" | "json" | "jsonl", number>> = {
  csv: Format.CSV,
  json: Format.JSON,
  jsonl: Format.JSONL,
};

/** Counters of an encoder. */
export interface EncoderStats {
  /** Records written (or buffered). */
  recordsEncoded: number;
  /** IPv6 records skipped in NetFlow v5. */
  recordsSkipped: number;
  /** Export packets produced (packet formats). */
  packets: number;
  /** Bytes produced. */
  bytes: number;
}

interface Held {
  lib: NativeLibrary;
  handle: NativePointer;
}

let live = 0;

const registry = new FinalizationRegistry<Held>((held) => {
  held.lib.symbols.flowgen_encoder_free(held.handle);
  live--;
});

/**
 * Number of native encoders alive (created and not yet freed, explicitly or by the
 * FinalizationRegistry). For tests.
 */
export function liveNativeEncoders(): number {
  return live;
}

/**
 * Whether an encoder streaming from a generator should write from a second thread
 * (`Param.WRITER_THREAD`): it overlaps write(2) of one buffer with formatting the next,
 * which pays when a second core is free for it, not when the generator's own worker
 * threads already use the cores.
 */
export function writerThreadPays(generatorThreads: number): boolean {
  return generatorThreads <= 1 && availableParallelism() > 1;
}

/** A native encoder handle; `free()` it when done (a forgotten one is freed by GC). */
export class NativeEncoder {
  /** The library the encoder lives in. */
  readonly lib: NativeLibrary;
  #handle: NativePointer;
  readonly #token = {};

  /** Creates an encoder for a `FLOWGEN_FORMAT_*` value. */
  constructor(lib: NativeLibrary, format: number) {
    this.lib = lib;
    const cell = pointerCell();
    const status = lib.symbols.flowgen_encoder_new(format, cell);
    if (status < 0) {
      const message = lib.cstring(lib.symbols.flowgen_status_string(status));
      throw new EngineError(`cannot create an encoder for format ${format}: ${message}`, status);
    }
    this.#handle = lib.readPointer(cell);
    live++;
    registry.register(this, { lib, handle: this.#handle }, this.#token);
  }

  #live(): NativePointer {
    if (this.#handle === null) throw new ClosedError("Encoder");
    return this.#handle;
  }

  #check(status: number, what: string): number {
    if (status >= 0) return status;
    const message = this.lib.cstring(this.lib.symbols.flowgen_encoder_error(this.#handle));
    if (status === Status.INVALID_ARGUMENT || status === Status.INVALID_CONFIG) {
      throw new RangeError(message || `${what}: invalid argument`);
    }
    throw new EngineError(message || `${what} failed`, status);
  }

  /** Sets a `FLOWGEN_PARAM_*` parameter (before the first encode). */
  setParam(param: number, value: number | boolean): void {
    const v = typeof value === "boolean" ? (value ? 1 : 0) : value;
    this.#check(this.lib.symbols.flowgen_encoder_set_param(this.#live(), param, v), "set_param");
  }

  /** Sets the fields of a text format (comma-separated names, in order). */
  setFields(fields: string): void {
    this.#check(
      this.lib.symbols.flowgen_encoder_set_fields(this.#live(), cstr(fields)),
      "set_fields",
    );
  }

  /** Writes to the file at `path` (created or truncated; appended to when `append`). */
  open(path: string, append = false): void {
    this.#check(
      this.lib.symbols.flowgen_encoder_open(this.#live(), cstr(path), append ? 1 : 0),
      "open",
    );
  }

  /** Writes to a descriptor the caller owns (1 = stdout). */
  setFd(fd: number): void {
    this.#check(this.lib.symbols.flowgen_encoder_set_fd(this.#live(), fd), "set_fd");
  }

  /** Encodes every record of the current batch of the native generator `generator`. */
  encode(generator: NativePointer): void {
    this.#check(this.lib.symbols.flowgen_encoder_encode(this.#live(), generator), "encode");
  }

  /**
   * Makes the next batch of the native generator `generator` (up to `max` records) and
   * encodes it; returns the number of records, 0 when the generator is done. With worker
   * threads the workers encode their own records; the generator's batch is unspecified after.
   */
  encodeNext(generator: NativePointer, max: number): number {
    return this.#check(
      this.lib.symbols.flowgen_encoder_encode_next(this.#live(), generator, max),
      "encode_next",
    );
  }

  /** Ends the output (JSON array close, last packet, flush). */
  finish(): void {
    this.#check(this.lib.symbols.flowgen_encoder_finish(this.#live()), "finish");
  }

  /** Flushes buffered bytes to the sink. */
  flush(): void {
    this.#check(this.lib.symbols.flowgen_encoder_flush(this.#live()), "flush");
  }

  /** The buffered bytes (no sink), copied out; then drops them from the encoder. */
  take(): Uint8Array {
    const handle = this.#live();
    const s = this.lib.symbols;
    const size = s.flowgen_encoder_size(handle);
    const data = size === 0
      ? new Uint8Array(0)
      : new Uint8Array(this.lib.view(s.flowgen_encoder_data(handle), size)).slice();
    this.#check(s.flowgen_encoder_consume(handle), "consume");
    return data;
  }

  /** The encoder's counters. */
  stats(): EncoderStats {
    const buffer = new Uint8Array(ENCODER_STATS_SIZE);
    this.#check(
      this.lib.symbols.flowgen_encoder_stats(this.#live(), buffer, ENCODER_STATS_SIZE),
      "stats",
    );
    const view = new DataView(buffer.buffer);
    const u64 = (offset: number) => Number(view.getBigUint64(offset, true));
    return { recordsEncoded: u64(0), recordsSkipped: u64(8), packets: u64(16), bytes: u64(24) };
  }

  /** The raw handle (for `flowgen_udp_send_encoded`). */
  get handle(): NativePointer {
    return this.#live();
  }

  /** Frees the encoder (closing a file it opened); harmless when already freed. */
  free(): void {
    if (this.#handle === null) return;
    registry.unregister(this.#token);
    this.lib.symbols.flowgen_encoder_free(this.#handle);
    this.#handle = null;
    live--;
  }
}
