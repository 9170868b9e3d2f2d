/**
 * Feeds record objects to a native encoder, so that arrays of records are formatted by
 * the engine too (byte-identical to streaming from a generator, with no formatting code
 * in TypeScript): the records are written into the columns of a scratch generator, a batch
 * at a time, and that batch is encoded.
 *
 * @module
 */

import type { FlowGenConfig, PatternConfig } from "../config/types.ts";
import { BUILTIN_PATTERNS, defaultConfig } from "../config/mod.ts";
import type { NativeLibrary } from "./backend.ts";
import type { NativeEncoder } from "./encoder.ts";
import { NativeGenerator } from "./generator_handle.ts";
import type { Columns } from "./columns.ts";
import { RecordImpl } from "../record.ts";
import { parseIpv4, parseIpv6 } from "../ip.ts";
import { secondsToNs } from "./config.ts";

/**
 * A record to export: the brief's fields, and optionally the others. Every
 * {@linkcode FlowRecord} is one; plain objects work too.
 */
export interface FlowRecordInput {
  /** Source address as text (IPv4 or IPv6). */
  source_ip: string;
  /** Destination address as text, same family as the source. */
  destination_ip: string;
  /** Source port. */
  source_port: number;
  /** Destination port. */
  destination_port: number;
  /** IP protocol number. */
  protocol: number;
  /** Flow start, Unix seconds. */
  timestamp: number;
  /** Packet length in bytes. */
  packet_length: number;
  /**
   * Flow start in Unix nanoseconds (exact; a bigint or its decimal text); wins over
   * `timestamp`, which is taken to the microsecond.
   */
  timestamp_ns?: bigint | string;
  /** Packets (default 1). */
  packets?: number;
  /** Bytes (default `packet_length × packets`). */
  bytes?: number;
  /** Duration in seconds (default 0). */
  duration?: number;
  /** TCP flags (default 0). */
  tcp_flags?: number;
  /** Flow id (default 0). */
  flow_id?: number;
  /** 0 request, 1 response (default 0). */
  direction?: number;
  /** Pattern name (default "random"). */
  pattern?: string;
}

const TWO_32 = 4294967296;
const CHUNK = 4096;

function scratchConfig(names: readonly string[]): FlowGenConfig {
  const config = defaultConfig();
  const builtin = new Set<string>(BUILTIN_PATTERNS as readonly string[]);
  const share = Math.floor(100_000 / names.length) / 1000;
  config.generation = {
    ...config.generation,
    max_flows: 0,
    seed: 1n,
    start_timestamp: 1_700_000_000,
    flow_model: "packet",
    bidirectional: { probability: 0 },
    threads: 1,
    batch_size: CHUNK,
  };
  delete config.generation.shard;
  config.traffic_patterns = names.map((name, i): PatternConfig => {
    const percentage = i === names.length - 1 ? 100 - share * (names.length - 1) : share;
    return builtin.has(name)
      ? { type: name as PatternConfig["type"], name, percentage }
      : { type: "custom", name, percentage, protocol: 6, ports: [{ port: 80, weight: 1 }] };
  });
  return config;
}

function writePlain(c: Columns, j: number, r: FlowRecordInput, pattern: number): void {
  const lo = 2 * j;
  const hi = lo + 1;
  if (r.timestamp_ns !== undefined) {
    c.timestampNs[j] = BigInt(r.timestamp_ns);
  } else {
    const whole = Math.floor(r.timestamp);
    const micros = Math.round((r.timestamp - whole) * 1e6);
    c.timestampNs[j] = secondsToNs(whole) + BigInt(micros) * 1000n;
  }
  c.timestamp[j] = r.timestamp;
  c.durationNs[j] = BigInt(Math.round((r.duration ?? 0) * 1e9));
  const v6 = r.source_ip.includes(":");
  c.ipVersion[j] = v6 ? 6 : 4;
  if (v6) {
    c.sourceIp4[j] = 0;
    c.destinationIp4[j] = 0;
    c.sourceIp6.set(parseIpv6(r.source_ip), 16 * j);
    c.destinationIp6.set(parseIpv6(r.destination_ip), 16 * j);
  } else {
    c.sourceIp4[j] = parseIpv4(r.source_ip);
    c.destinationIp4[j] = parseIpv4(r.destination_ip);
    c.sourceIp6.fill(0, 16 * j, 16 * j + 16);
    c.destinationIp6.fill(0, 16 * j, 16 * j + 16);
  }
  c.sourcePort[j] = r.source_port;
  c.destinationPort[j] = r.destination_port;
  c.protocol[j] = r.protocol;
  c.tcpFlags[j] = r.tcp_flags ?? 0;
  c.packetLength[j] = r.packet_length;
  const packets = r.packets ?? 1;
  c.packets[j] = packets;
  const bytes = r.bytes ?? r.packet_length * packets;
  c.bytes32[lo] = bytes % TWO_32;
  c.bytes32[hi] = Math.floor(bytes / TWO_32);
  const flowId = r.flow_id ?? 0;
  c.flowId32[lo] = flowId % TWO_32;
  c.flowId32[hi] = Math.floor(flowId / TWO_32);
  c.direction[j] = r.direction ?? 0;
  c.pattern[j] = pattern;
}

/** Writes records through a native encoder, a batch at a time. */
export class RecordFeed {
  readonly #lib: NativeLibrary;
  readonly #encoder: NativeEncoder;
  #scratch: NativeGenerator | undefined;
  #index = new Map<string, number>();

  /** Feeds `encoder` (which keeps its own sink and options). */
  constructor(lib: NativeLibrary, encoder: NativeEncoder) {
    this.#lib = lib;
    this.#encoder = encoder;
  }

  #prepare(chunk: readonly FlowRecordInput[]): NativeGenerator {
    let missing = false;
    for (const record of chunk) {
      if (!this.#index.has(record.pattern ?? "random")) {
        missing = true;
        break;
      }
    }
    if (this.#scratch && !missing) return this.#scratch;
    const names = [...this.#index.keys()];
    for (const record of chunk) {
      const name = record.pattern ?? "random";
      if (!names.includes(name)) names.push(name);
    }
    this.#scratch?.free();
    this.#scratch = new NativeGenerator(this.#lib, scratchConfig(names));
    this.#index = new Map(this.#scratch.patternNames.map((name, i) => [name, i]));
    return this.#scratch;
  }

  #flush(chunk: FlowRecordInput[]): void {
    let done = 0;
    while (done < chunk.length) {
      const scratch = this.#prepare(chunk);
      const n = scratch.fill(Math.min(chunk.length - done, scratch.capacity));
      const c = scratch.columns;
      for (let j = 0; j < n; j++) {
        const record = chunk[done + j];
        const pattern = this.#index.get(record.pattern ?? "random")!;
        if (record instanceof RecordImpl) record.writeTo(c, j, pattern);
        else writePlain(c, j, record, pattern);
      }
      this.#encoder.encode(scratch.handle("Encoder"));
      done += n;
    }
    chunk.length = 0;
  }

  /** Encodes every record of `records`; returns how many. */
  write(records: Iterable<FlowRecordInput>): number {
    let count = 0;
    const chunk: FlowRecordInput[] = [];
    for (const record of records) {
      chunk.push(record);
      count++;
      if (chunk.length === CHUNK) this.#flush(chunk);
    }
    if (chunk.length > 0) this.#flush(chunk);
    return count;
  }

  /** Frees the scratch generator. */
  free(): void {
    this.#scratch?.free();
    this.#scratch = undefined;
  }
}
