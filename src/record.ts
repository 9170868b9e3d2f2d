/**
 * Flow records as objects: what the iterator of a `FlowGenerator` yields.
 *
 * A record copies its fields from the batch when it is made (so it stays valid after the
 * batch changes); `source_ip` and `destination_ip` are formatted only when read, which
 * keeps the iterator fast.
 *
 * @module
 */

import { ipv4ToString, ipv6ToString } from "./ip.ts";
import type { Columns } from "./native/columns.ts";

/** One flow record, with the brief's field names. */
export interface FlowRecord {
  /** Source address, dotted (IPv4) or colon (IPv6) text. */
  readonly source_ip: string;
  /** Destination address, dotted (IPv4) or colon (IPv6) text. */
  readonly destination_ip: string;
  /** Source port (0 for ICMP). */
  readonly source_port: number;
  /** Destination port (ICMP: type << 8 | code). */
  readonly destination_port: number;
  /** IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6, ...). */
  readonly protocol: number;
  /** Flow start, seconds since the Unix epoch. */
  readonly timestamp: number;
  /** Flow start, nanoseconds since the Unix epoch (exact). */
  readonly timestamp_ns: bigint;
  /** Packet length in bytes (mean packet size of a multi-packet flow). */
  readonly packet_length: number;
  /** Packets in the flow (1 in the default packet model). */
  readonly packets: number;
  /** Bytes in the flow. */
  readonly bytes: number;
  /** Flow duration in seconds (0 for one-packet records). */
  readonly duration: number;
  /** OR of the flow's TCP flags (0 when not TCP). */
  readonly tcp_flags: number;
  /** Flow id, shared by a request and its response. */
  readonly flow_id: number;
  /** 0 for a request (or one-way flow), 1 for a response. */
  readonly direction: number;
  /** Name of the traffic pattern ("web_traffic", or a custom pattern's name). */
  readonly pattern: string;
  /** 4 or 6. */
  readonly ip_version: number;
  /** The record as plain data, IP addresses as text (what `JSON.stringify` writes). */
  toJSON(): FlowRecordObject;
}

/** A record as plain data (what `JSON.stringify(record)` writes). */
export interface FlowRecordObject {
  /** See {@linkcode FlowRecord.source_ip}. */
  source_ip: string;
  /** See {@linkcode FlowRecord.destination_ip}. */
  destination_ip: string;
  /** See {@linkcode FlowRecord.source_port}. */
  source_port: number;
  /** See {@linkcode FlowRecord.destination_port}. */
  destination_port: number;
  /** See {@linkcode FlowRecord.protocol}. */
  protocol: number;
  /** See {@linkcode FlowRecord.timestamp}. */
  timestamp: number;
  /** {@linkcode FlowRecord.timestamp_ns} as decimal text (JSON has no 64-bit integers). */
  timestamp_ns: string;
  /** See {@linkcode FlowRecord.packet_length}. */
  packet_length: number;
  /** See {@linkcode FlowRecord.packets}. */
  packets: number;
  /** See {@linkcode FlowRecord.bytes}. */
  bytes: number;
  /** See {@linkcode FlowRecord.duration}. */
  duration: number;
  /** See {@linkcode FlowRecord.tcp_flags}. */
  tcp_flags: number;
  /** See {@linkcode FlowRecord.flow_id}. */
  flow_id: number;
  /** See {@linkcode FlowRecord.direction}. */
  direction: number;
  /** See {@linkcode FlowRecord.pattern}. */
  pattern: string;
  /** See {@linkcode FlowRecord.ip_version}. */
  ip_version: number;
}

const TWO_32 = 4294967296;

/** What a record shares with others of its pattern, direction and IP version. */
interface Kind {
  readonly pattern: string;
  readonly direction: number;
  readonly ipVersion: number;
}

// The kinds of the last pattern-name list seen (one generator is the common case), four
// per pattern (index: pattern << 2 | direction << 1 | IPv6), and of every list by identity.
let kindNames: readonly string[] | undefined;
let kindTable: readonly Kind[] = [];
const kindTables = new WeakMap<readonly string[], readonly Kind[]>();

// Out of line, to keep the record constructor small enough to be inlined.
function kindOf(names: readonly string[], key: number): Kind {
  let table = kindTables.get(names);
  if (table === undefined) {
    table = names.flatMap((pattern) =>
      [0, 1].flatMap((direction) => [4, 6].map((ipVersion) => ({ pattern, direction, ipVersion })))
    );
    kindTables.set(names, table);
  }
  kindNames = names;
  kindTable = table;
  return table[key];
}

// A u64 column value as a number (u32 pair at `lo`): a plain u32 when the high word is 0,
// which keeps the common values small integers (a float sum costs a conversion each).
function u64(pairs: Uint32Array, lo: number): number {
  const high = pairs[lo + 1];
  return high === 0 ? pairs[lo] : pairs[lo] + high * TWO_32;
}

// Out of line too: source then destination address, 32 bytes.
function copyIp6(c: Columns, i: number): Uint8Array {
  const ip6 = new Uint8Array(32);
  ip6.set(c.sourceIp6.subarray(16 * i, 16 * i + 16), 0);
  ip6.set(c.destinationIp6.subarray(16 * i, 16 * i + 16), 16);
  return ip6;
}

/**
 * The record class behind {@linkcode FlowRecord}; internal (made by the generator).
 *
 * Built for the iterator's speed, where reading the columns and allocating the record
 * cost the most: a record is one object of eleven small fields (small integers where
 * they can be, never a boxed number for the common values), every public field a getter
 * decoding them. Columns of a few values share a field (ports, length|protocol|flags), the pattern
 * name, direction and IP version are one shared {@linkcode Kind}, and an IPv6 record
 * keeps its addresses in `#src`. `timestamp` and `duration` are computed exactly as the
 * engine computes its seconds column (`double(ns) / 1e9`).
 */
export class RecordImpl implements FlowRecord {
  // source_port | destination_port << 16
  #ports: number;
  // packet_length | protocol << 16 | tcp_flags << 24
  #misc: number;
  #packets: number;
  #bytes: number;
  #flowId: number;
  #kind: Kind;
  // IPv4: the address as an int32; IPv6: both addresses (source then destination).
  #src: number | Uint8Array;
  #dst: number;
  #tsLow: number;
  #tsHigh: number;
  // Exact: the engine's durations stay far below 2^53 ns (at most a day).
  #durationNs: number;

  /** Copies record `i` of `c` (a batch that will change: nothing refers to it after). */
  constructor(c: Columns, i: number, patternNames: readonly string[]) {
    const lo = 2 * i;
    const hi = lo + 1;
    const version = c.ipVersion[i];
    this.#ports = c.sourcePort[i] | (c.destinationPort[i] << 16);
    this.#misc = c.packetLength[i] | (c.protocol[i] << 16) | (c.tcpFlags[i] << 24);
    this.#packets = c.packets[i];
    this.#bytes = u64(c.bytes32, lo);
    this.#flowId = u64(c.flowId32, lo);
    // direction is 0 or 1, the IP version 4 or 6 (the ABI's columns)
    const key = (c.pattern[i] << 2) | (c.direction[i] << 1) | (version === 6 ? 1 : 0);
    this.#kind = patternNames === kindNames ? kindTable[key] : kindOf(patternNames, key);
    this.#src = version === 6 ? copyIp6(c, i) : c.sourceIp4[i] | 0;
    this.#dst = c.destinationIp4[i] | 0;
    this.#tsLow = c.timestampNs32[lo] | 0;
    this.#tsHigh = c.timestampNs32[hi] | 0;
    this.#durationNs = u64(c.durationNs32, lo);
  }

  get source_port(): number {
    return this.#ports & 0xffff;
  }

  get destination_port(): number {
    return this.#ports >>> 16;
  }

  get protocol(): number {
    return (this.#misc >>> 16) & 0xff;
  }

  get tcp_flags(): number {
    return this.#misc >>> 24;
  }

  get packet_length(): number {
    return this.#misc & 0xffff;
  }

  get direction(): number {
    return this.#kind.direction;
  }

  get ip_version(): number {
    return this.#kind.ipVersion;
  }

  get packets(): number {
    return this.#packets;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get flow_id(): number {
    return this.#flowId;
  }

  get pattern(): string {
    return this.#kind.pattern;
  }

  get timestamp(): number {
    return ((this.#tsHigh >>> 0) * TWO_32 + (this.#tsLow >>> 0)) / 1e9;
  }

  get timestamp_ns(): bigint {
    return (BigInt(this.#tsHigh >>> 0) << 32n) | BigInt(this.#tsLow >>> 0);
  }

  get duration(): number {
    return this.#durationNs / 1e9;
  }

  get source_ip(): string {
    const src = this.#src;
    return typeof src === "number" ? ipv4ToString(src >>> 0) : ipv6ToString(src, 0);
  }

  get destination_ip(): string {
    const src = this.#src;
    return typeof src === "number" ? ipv4ToString(this.#dst >>> 0) : ipv6ToString(src, 16);
  }

  /**
   * Writes this record into row `j` of `c` (every column, exactly as read), with
   * `patternIndex` in the pattern column.
   */
  writeTo(c: Columns, j: number, patternIndex: number): void {
    const lo = 2 * j;
    const hi = lo + 1;
    const src = this.#src;
    c.timestampNs32[lo] = this.#tsLow;
    c.timestampNs32[hi] = this.#tsHigh;
    c.timestamp[j] = this.timestamp;
    c.durationNs32[lo] = this.#durationNs % TWO_32;
    c.durationNs32[hi] = Math.floor(this.#durationNs / TWO_32);
    c.ipVersion[j] = this.ip_version;
    if (typeof src === "number") {
      c.sourceIp4[j] = src;
      c.destinationIp4[j] = this.#dst;
      c.sourceIp6.fill(0, 16 * j, 16 * j + 16);
      c.destinationIp6.fill(0, 16 * j, 16 * j + 16);
    } else {
      c.sourceIp4[j] = 0;
      c.destinationIp4[j] = this.#dst;
      c.sourceIp6.set(src.subarray(0, 16), 16 * j);
      c.destinationIp6.set(src.subarray(16, 32), 16 * j);
    }
    c.sourcePort[j] = this.source_port;
    c.destinationPort[j] = this.destination_port;
    c.protocol[j] = this.protocol;
    c.tcpFlags[j] = this.tcp_flags;
    c.packetLength[j] = this.packet_length;
    c.packets[j] = this.packets;
    c.bytes32[lo] = this.bytes % TWO_32;
    c.bytes32[hi] = Math.floor(this.bytes / TWO_32);
    c.flowId32[lo] = this.flow_id % TWO_32;
    c.flowId32[hi] = Math.floor(this.flow_id / TWO_32);
    c.direction[j] = this.direction;
    c.pattern[j] = patternIndex;
  }

  /** The record as plain data, IP addresses as text. */
  toJSON(): FlowRecordObject {
    return {
      source_ip: this.source_ip,
      destination_ip: this.destination_ip,
      source_port: this.source_port,
      destination_port: this.destination_port,
      protocol: this.protocol,
      timestamp: this.timestamp,
      timestamp_ns: this.timestamp_ns.toString(),
      packet_length: this.packet_length,
      packets: this.packets,
      bytes: this.bytes,
      duration: this.duration,
      tcp_flags: this.tcp_flags,
      flow_id: this.flow_id,
      direction: this.direction,
      pattern: this.pattern,
      ip_version: this.ip_version,
    };
  }

  /** Shows the record's fields (IP text included) in `console.log` on Deno. */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    return `FlowRecord ${inspect(this.toJSON(), options)}`;
  }

  /** Shows the record's fields (IP text included) in `console.log` on Node. */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    return `FlowRecord ${inspect(this.toJSON(), options)}`;
  }
}
