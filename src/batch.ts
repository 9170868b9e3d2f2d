/**
 * {@linkcode FlowBatch}: a batch of records as typed-array columns, the fast way to read
 * a generator's output.
 *
 * @module
 */

import { ipv4ToString, ipv6ToString } from "./ip.ts";
import { type FlowRecord, RecordImpl } from "./record.ts";
import { BATCH_FIELDS, type BatchColumns, type Columns, sliceColumns } from "./native/columns.ts";

/**
 * A batch of records as struct-of-arrays columns ({@linkcode BatchColumns}: typed arrays,
 * one element per record, 16 bytes per record for the IPv6 columns).
 *
 * Batches from {@linkcode FlowGenerator.batches} are views over the engine's memory (no
 * copy): they are valid until the generator makes the next batch, is reset or closed.
 * Use {@linkcode FlowBatch.copy} to keep one.
 *
 * @example Sum the bytes of a batch
 * ```ts
 * import { FlowGenerator } from "../mod.ts";
 *
 * using generator = new FlowGenerator({
 *   generation: { max_flows: 1000, seed: 1 },
 *   traffic_patterns: [{ type: "web_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * let total = 0;
 * for (const batch of generator.batches()) {
 *   for (let i = 0; i < batch.length; i++) total += batch.packetLength[i];
 * }
 * console.log(total);
 * ```
 */
export class FlowBatch {
  /** Number of records. */
  readonly length: number;
  /** Names of the traffic patterns, indexed by the `pattern` column. */
  readonly patternNames: readonly string[];
  readonly #columns: Columns;
  // Keeps the memory's owner (the native generator) alive while the batch is referenced.
  readonly #owner: unknown;

  /**
   * Wraps `columns` (exact-length arrays); made by the generator (`owner` is kept alive
   * with the batch), or by {@linkcode FlowBatch.copy}.
   */
  constructor(
    columns: Columns,
    length: number,
    patternNames: readonly string[],
    owner?: unknown,
  ) {
    this.#columns = columns;
    this.#owner = owner;
    this.length = length;
    this.patternNames = patternNames;
    const fields = this as Record<keyof BatchColumns, unknown>;
    for (const field of BATCH_FIELDS) fields[field] = columns[field];
  }

  /** A copy of the batch in memory of its own, valid for as long as it is referenced. */
  copy(): FlowBatch {
    return new FlowBatch(sliceColumns(this.#columns, 0, this.length, true), this.length, [
      ...this.patternNames,
    ]);
  }

  /** Source address of record `i` as text. */
  sourceIp(i: number): string {
    return this.ipVersion[i] === 6
      ? ipv6ToString(this.sourceIp6, 16 * i)
      : ipv4ToString(this.sourceIp4[i]);
  }

  /** Destination address of record `i` as text. */
  destinationIp(i: number): string {
    return this.ipVersion[i] === 6
      ? ipv6ToString(this.destinationIp6, 16 * i)
      : ipv4ToString(this.destinationIp4[i]);
  }

  /** Pattern name of record `i`. */
  patternName(i: number): string {
    return this.patternNames[this.pattern[i]];
  }

  /** Record `i` as an object (which stays valid after the batch is gone). */
  record(i: number): FlowRecord {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`Record index ${i} is out of range 0..${this.length - 1}`);
    }
    return new RecordImpl(this.#columns, i, this.patternNames);
  }

  /** The records of the batch as objects (which stay valid after the batch is gone). */
  *[Symbol.iterator](): IterableIterator<FlowRecord> {
    for (let i = 0; i < this.length; i++) yield new RecordImpl(this.#columns, i, this.patternNames);
  }
}

/** The columns of a batch: {@linkcode BatchColumns}, set by the constructor. */
export interface FlowBatch extends BatchColumns {}
