/**
 * The native side of a generator: the handle, its column views (mapped once), the
 * current batch and a read cursor, and the FinalizationRegistry that frees a generator
 * its owner forgot to close. Internal to the module.
 *
 * @module
 */

import type { FlowGenConfig } from "../config/types.ts";
import type { NativeLibrary, NativePointer } from "./backend.ts";
import { ColumnViews } from "./columns.ts";
import { createNativeGenerator } from "./config.ts";
import { STATS_SIZE } from "./constants.ts";
import { ClosedError, EngineError } from "../errors.ts";

/** The engine's `flowgen_stats`, u64 fields as numbers (the seed as a bigint). */
export interface RawStats {
  /** Records produced (whole batches). */
  flowsGenerated: number;
  /** Sum of packets. */
  packetsGenerated: number;
  /** Sum of bytes. */
  bytesGenerated: number;
  /** Start of the simulated span, ns. */
  firstTimestampNs: bigint;
  /** Timeline position, ns. */
  lastTimestampNs: bigint;
  /** The seed in use. */
  seed: bigint;
  /** Bidirectional responses waiting. */
  pendingResponses: number;
  /** (last - first) / 1e9. */
  simulatedSeconds: number;
  /** Time spent inside next_batch. */
  wallSeconds: number;
  /** flowsGenerated / wallSeconds. */
  flowsPerSecond: number;
}

interface Held {
  lib: NativeLibrary;
  handle: NativePointer;
}

let live = 0;

const registry = new FinalizationRegistry<Held>((held) => {
  held.lib.symbols.flowgen_generator_free(held.handle);
  live--;
});

/**
 * Number of native generators alive (created and not yet freed, explicitly or by the
 * FinalizationRegistry). For tests.
 */
export function liveNativeGenerators(): number {
  return live;
}

/** A native generator with its mapped columns and a read cursor. */
export class NativeGenerator {
  /** The library the generator lives in. */
  readonly lib: NativeLibrary;
  /** The normalized config it was made from. */
  readonly config: FlowGenConfig;
  /** Records per batch. */
  readonly capacity: number;
  /** Names of the patterns, by pattern column value. */
  readonly patternNames: readonly string[];
  /** The columns, mapped once. */
  columns: ColumnViews;
  /** Records in the current batch. */
  size = 0;
  /** Next record of the current batch to hand out. */
  cursor = 0;
  #handle: NativePointer;
  #closed = false;
  readonly #token = {};
  readonly #statsBuffer = new Uint8Array(STATS_SIZE);

  /** Creates the engine's generator from `config` (throws ConfigError when refused). */
  constructor(lib: NativeLibrary, config: FlowGenConfig) {
    this.lib = lib;
    this.config = config;
    const s = lib.symbols;
    const handle = createNativeGenerator(lib, config);
    this.#handle = handle;
    live++;
    registry.register(this, { lib, handle }, this.#token);
    try {
      this.capacity = s.flowgen_generator_batch_capacity(handle);
      this.columns = new ColumnViews(lib, handle, this.capacity);
      const names: string[] = [];
      const count = s.flowgen_generator_pattern_count(handle);
      for (let i = 0; i < count; i++) {
        names.push(lib.cstring(s.flowgen_generator_pattern_name(handle, i)));
      }
      this.patternNames = names;
    } catch (error) {
      this.free();
      throw error;
    }
  }

  /** The handle; throws ClosedError after free(). */
  handle(what = "FlowGenerator"): NativePointer {
    if (this.#closed) throw new ClosedError(what);
    return this.#handle;
  }

  /** True once freed. */
  get closed(): boolean {
    return this.#closed;
  }

  #check(status: number, what: string): number {
    if (status >= 0) return status;
    const message = this.lib.cstring(this.lib.symbols.flowgen_generator_error(this.#handle));
    throw new EngineError(message || `${what} failed`, status);
  }

  /**
   * Makes the next batch of up to `max` records (default: the capacity); returns its size,
   * 0 when the generator is done. Resets the cursor.
   */
  fill(max: number = this.capacity): number {
    const handle = this.handle();
    const n = this.#check(this.lib.symbols.flowgen_generator_next_batch(handle, max), "next_batch");
    this.size = n;
    this.cursor = 0;
    return n;
  }

  /** True when max_flows records were made and all of them were handed out. */
  isDone(): boolean {
    const handle = this.handle();
    return this.cursor >= this.size && this.lib.symbols.flowgen_generator_is_done(handle) === 1;
  }

  /** Rewinds to the first record. */
  reset(): void {
    const handle = this.handle();
    this.#check(this.lib.symbols.flowgen_generator_reset(handle), "reset");
    this.size = 0;
    this.cursor = 0;
  }

  /** The engine's counters. */
  stats(): RawStats {
    const handle = this.handle();
    const buffer = this.#statsBuffer;
    this.#check(this.lib.symbols.flowgen_generator_stats(handle, buffer, STATS_SIZE), "stats");
    const view = new DataView(buffer.buffer);
    const u64 = (offset: number) => Number(view.getBigUint64(offset, true));
    return {
      flowsGenerated: u64(0),
      packetsGenerated: u64(8),
      bytesGenerated: u64(16),
      firstTimestampNs: view.getBigUint64(24, true),
      lastTimestampNs: view.getBigUint64(32, true),
      seed: view.getBigUint64(40, true),
      pendingResponses: u64(48),
      simulatedSeconds: view.getFloat64(56, true),
      wallSeconds: view.getFloat64(64, true),
      flowsPerSecond: view.getFloat64(72, true),
    };
  }

  /** Frees the engine's generator; harmless when already freed. */
  free(): void {
    if (this.#closed) return;
    this.#closed = true;
    registry.unregister(this.#token);
    this.columns?.detach();
    this.size = 0;
    this.cursor = 0;
    this.lib.symbols.flowgen_generator_free(this.#handle);
    this.#handle = null;
    live--;
  }
}
