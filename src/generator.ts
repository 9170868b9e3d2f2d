/**
 * {@linkcode FlowGenerator}: generates flow records with the native engine, as an
 * iterator of record objects or as zero-copy batches of typed-array columns.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { FlowGenConfig } from "./config/types.ts";
import { loadConfigFile, validateConfig } from "./config/mod.ts";
import { FlowBatch } from "./batch.ts";
import { type FlowRecord, RecordImpl } from "./record.ts";
import { loadLibrary } from "./native/loader.ts";
import { NativeGenerator } from "./native/generator_handle.ts";
import { sliceColumns } from "./native/columns.ts";
import { ClosedError } from "./errors.ts";
import { checkpointFlowGenerator, resumeFlowGenerator } from "./checkpoint.ts";

/**
 * A config for {@linkcode FlowGenerator.initialize}: an object with the keys of the YAML
 * file (validated like a file), or an already normalized {@linkcode FlowGenConfig}
 * (from `loadConfigFile`, `parseConfig`, `validateConfig` or `defaultConfig`).
 */
export type FlowGenConfigInput = FlowGenConfig | Record<string, unknown>;

/** Generation statistics, as in the brief (`flows_generated`, `flows_per_second`). */
export interface FlowStats {
  /** Records handed out so far (by the iterator, `next()`, batches or exporters). */
  flows_generated: number;
  /** Records per second of generation time (time spent inside the engine). */
  flows_per_second: number;
  /** Sum of the records' packets. */
  packets_generated: number;
  /** Sum of the records' bytes. */
  bytes_generated: number;
  /** Start of the simulated span, Unix seconds. */
  first_timestamp: number;
  /** Timeline position (start + bytes × 8 / bandwidth), Unix seconds. */
  last_timestamp: number;
  /** Length of the simulated span in seconds. */
  simulated_seconds: number;
  /** Seconds spent inside the engine generating. */
  wall_seconds: number;
  /** The seed in use (the configured one or the random one the engine picked). */
  seed: bigint;
  /** Bidirectional responses waiting to be emitted. */
  pending_responses: number;
}

/**
 * Validates a config object (YAML-shaped or already normalized) into a normalized config;
 * throws `ConfigError`.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./generator.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * const config = resolveConfig({
 *   traffic_patterns: [{ type: "dns_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * assertEquals(config.generation.bandwidth_gbps, 10);
 * ```
 */
export function resolveConfig(config: FlowGenConfigInput): FlowGenConfig {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new TypeError(
      `Expected a config object or a path to a config file, got ${
        config === null ? "null" : Array.isArray(config) ? "an array" : typeof config
      }`,
    );
  }
  return validateConfig(config);
}

// Set by FlowGenerator's static block: reads its private state for the module's exporters.
let nativeOf: (generator: FlowGenerator) => NativeGenerator;

/** The iterator of records: reads the generator's current batch, refills it when spent. */
class RecordIterator implements IterableIterator<FlowRecord> {
  readonly #g: NativeGenerator;

  constructor(g: NativeGenerator) {
    this.#g = g;
  }

  // Fresh result objects only: a for-of loop that inlines next() then allocates none. A
  // shared DONE object merged with the fresh one kept V8 from eliding the result, and the
  // record too in loops that only read its fields (such a loop ran 1.4-1.6x faster).
  next(): IteratorResult<FlowRecord> {
    const g = this.#g;
    if (g.cursor < g.size || g.fill() > 0) {
      return { done: false, value: new RecordImpl(g.columns, g.cursor++, g.patternNames) };
    }
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<FlowRecord> {
    return this;
  }
}

/**
 * Generates realistic network flow records with the native engine.
 *
 * Initialize it with a config (a YAML/JSON file path or an object), then read records one
 * at a time (`for … of`, {@linkcode FlowGenerator.next}) or a batch at a time
 * ({@linkcode FlowGenerator.batches}, the fast path). Close it when done (`using` does it
 * for you); a generator that is never closed is freed when it is garbage-collected.
 *
 * @example Records one at a time
 * ```ts
 * import { FlowGenerator } from "../mod.ts";
 *
 * using generator = new FlowGenerator({
 *   generation: { max_flows: 5, seed: 42, start_timestamp: 1704067200 },
 *   traffic_patterns: [{ type: "web_traffic", percentage: 60 }, { type: "dns_traffic", percentage: 40 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * for (const flow of generator) {
 *   console.log(flow.timestamp, flow.source_ip, flow.destination_ip, flow.destination_port);
 * }
 * console.log(generator.getStats().flows_generated); // 5
 * ```
 */
export class FlowGenerator implements Iterable<FlowRecord>, Disposable {
  #native: NativeGenerator | undefined;
  #closed = false;

  /**
   * Creates a generator; with a config object it is initialized right away (use
   * {@linkcode FlowGenerator.initialize} for a config file).
   */
  constructor(config?: FlowGenConfigInput) {
    if (config !== undefined) this.#init(resolveConfig(config));
  }

  /**
   * Creates and initializes a generator from a config file path or a config object.
   *
   * @example
   * ```ts
   * import { FlowGenerator } from "../mod.ts";
   *
   * using generator = await FlowGenerator.create(
   *   new URL("../configs/example_config.yaml", import.meta.url),
   * );
   * console.log(generator.next()?.source_ip);
   * ```
   */
  static async create(config: string | URL | FlowGenConfigInput): Promise<FlowGenerator> {
    const generator = new FlowGenerator();
    await generator.initialize(config);
    return generator;
  }

  #init(config: FlowGenConfig): void {
    if (this.#closed) throw new ClosedError("FlowGenerator");
    const next = new NativeGenerator(loadLibrary(), config);
    this.#native?.free();
    this.#native = next;
  }

  /**
   * Loads a config (a YAML/JSON file path, or an object) and prepares generation; a
   * generator already initialized starts over with the new config. Resolves to `true`
   * (as in the brief); throws `ConfigError` for a bad config.
   *
   * @example
   * ```ts
   * import { FlowGenerator } from "../mod.ts";
   *
   * const generator = new FlowGenerator();
   * await generator.initialize(new URL("../configs/example_config.yaml", import.meta.url));
   * generator.close();
   * ```
   */
  async initialize(config: string | URL | FlowGenConfigInput): Promise<boolean> {
    const resolved = typeof config === "string" || config instanceof URL
      ? await loadConfigFile(config instanceof URL ? fileURLToPath(config) : config)
      : resolveConfig(config);
    this.#init(resolved);
    return true;
  }

  #state(): NativeGenerator {
    if (this.#closed) throw new ClosedError("FlowGenerator");
    const native = this.#native;
    if (native === undefined) {
      throw new Error("FlowGenerator is not initialized: call initialize(config) first");
    }
    return native;
  }

  /** The normalized config in use. */
  get config(): FlowGenConfig {
    return this.#state().config;
  }

  /** Names of the traffic patterns, indexed by a batch's `pattern` column. */
  get patternNames(): readonly string[] {
    return this.#state().patternNames;
  }

  /** Records per batch (the config's `generation.batch_size`, 16384 by default). */
  get batchCapacity(): number {
    return this.#state().capacity;
  }

  /** Iterates the records, one object each (the iterator shares the generator's position). */
  [Symbol.iterator](): IterableIterator<FlowRecord> {
    return new RecordIterator(this.#state());
  }

  /** The next record, or `null` when the generator is done. */
  next(): FlowRecord | null {
    const g = this.#state();
    if (g.cursor >= g.size && g.fill() === 0) return null;
    return new RecordImpl(g.columns, g.cursor++, g.patternNames);
  }

  /**
   * The next batch of up to `maxRecords` records (default: the batch capacity) as columns
   * over the engine's memory, or `null` when the generator is done. The batch is valid
   * until the next batch, `reset()` or `close()`.
   */
  nextBatch(maxRecords?: number): FlowBatch | null {
    const g = this.#state();
    if (g.cursor < g.size) {
      const start = g.cursor;
      const length = Math.min(g.size - start, maxRecords ?? g.size);
      g.cursor += length;
      return new FlowBatch(
        sliceColumns(g.columns, start, length, false),
        length,
        g.patternNames,
        g,
      );
    }
    const max = maxRecords === undefined
      ? g.capacity
      : Math.max(1, Math.min(maxRecords, g.capacity));
    const n = g.fill(max);
    if (n === 0) return null;
    g.cursor = n;
    return new FlowBatch(sliceColumns(g.columns, 0, n, false), n, g.patternNames, g);
  }

  /**
   * Iterates batches of up to `maxRecords` records (default: the batch capacity), the
   * fast way to read the output. Each batch is valid until the next one.
   *
   * @example
   * ```ts
   * import { FlowGenerator } from "../mod.ts";
   *
   * using generator = await FlowGenerator.create(
   *   new URL("../configs/example_config.yaml", import.meta.url),
   * );
   * let https = 0;
   * let seen = 0;
   * for (const batch of generator.batches()) {
   *   for (let i = 0; i < batch.length; i++) if (batch.destinationPort[i] === 443) https++;
   *   seen += batch.length;
   *   if (seen >= 100_000) break;
   * }
   * console.log(https);
   * ```
   */
  *batches(maxRecords?: number): IterableIterator<FlowBatch> {
    while (true) {
      const batch = this.nextBatch(maxRecords);
      if (batch === null) return;
      yield batch;
    }
  }

  /** Statistics of the generation so far. */
  getStats(): FlowStats {
    const g = this.#state();
    const raw = g.stats();
    // Records of the current batch not handed out yet do not count.
    let flows = raw.flowsGenerated;
    let packets = raw.packetsGenerated;
    let bytes = raw.bytesGenerated;
    const c = g.columns;
    for (let i = g.cursor; i < g.size; i++) {
      flows--;
      packets -= c.packets[i];
      bytes -= c.bytes32[2 * i] + c.bytes32[2 * i + 1] * 4294967296;
    }
    return {
      flows_generated: flows,
      flows_per_second: raw.wallSeconds > 0 ? flows / raw.wallSeconds : 0,
      packets_generated: packets,
      bytes_generated: bytes,
      first_timestamp: Number(raw.firstTimestampNs) / 1e9,
      last_timestamp: Number(raw.lastTimestampNs) / 1e9,
      simulated_seconds: raw.simulatedSeconds,
      wall_seconds: raw.wallSeconds,
      seed: raw.seed,
      pending_responses: raw.pendingResponses,
    };
  }

  /** Rewinds to the first record: the same seed and start replay the same records. */
  reset(): void {
    this.#state().reset();
  }

  /**
   * Saves the generator's whole state (RNG, counters, timeline, pending responses, records
   * of the current batch not handed out yet) as a versioned, checksummed blob. Give it to
   * {@linkcode FlowGenerator.resume} with the same config to continue with exactly the
   * records this generator would have produced next.
   *
   * @example
   * ```ts
   * import { FlowGenerator } from "../mod.ts";
   * import { strictEqual } from "node:assert/strict";
   *
   * const config = {
   *   generation: { max_flows: 100, seed: 1, start_timestamp: 1704067200 },
   *   traffic_patterns: [{ type: "web_traffic", percentage: 100 }],
   *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
   * };
   * using first = new FlowGenerator(config);
   * first.nextBatch(40);
   * const blob = first.checkpoint();
   * using resumed = FlowGenerator.resume(config, blob);
   * strictEqual(resumed.next()?.timestamp, first.next()?.timestamp);
   * ```
   */
  checkpoint(): Uint8Array {
    return checkpointFlowGenerator(this.#state());
  }

  /**
   * Creates a generator from `config` and restores a blob of
   * {@linkcode FlowGenerator.checkpoint}; throws `CheckpointError` for a corrupt blob, one
   * of another format version, or one made from another config.
   */
  static resume(config: FlowGenConfigInput, blob: Uint8Array): FlowGenerator {
    const generator = new FlowGenerator(config);
    try {
      resumeFlowGenerator(generator.#state(), blob);
    } catch (error) {
      generator.close();
      throw error;
    }
    return generator;
  }

  /**
   * True when `max_flows` records have been produced and handed out, or when the clock has
   * reached its end (timestamps are 64-bit nanoseconds: generation stops before a record would
   * pass 2^64 − 1 ns, in the year 2554).
   */
  isDone(): boolean {
    return this.#state().isDone();
  }

  /** True after {@linkcode FlowGenerator.close}. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Frees the native generator; batches still referenced become empty. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#native?.free();
  }

  /** Same as {@linkcode FlowGenerator.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }

  static {
    nativeOf = (generator) => generator.#state();
  }
}

/**
 * The native generator behind a {@linkcode FlowGenerator} (throws when it is closed or
 * not initialized). Internal: for the exporters and commands of this module.
 */
export function nativeGeneratorOf(generator: FlowGenerator): NativeGenerator {
  return nativeOf(generator);
}
