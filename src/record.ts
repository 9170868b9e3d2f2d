/**
 * Flow records as objects: what the iterator of a `FlowGenerator` yields.
 *
 * A record's numeric fields are plain properties read from the batch when the record is
 * made; `source_ip` and `destination_ip` are formatted only when read, which keeps the
 * iterator fast.
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

// Out of line, to keep the record constructor small enough to be inlined.
function copyIp6(c: Columns, i: number): Uint8Array {
  const ip6 = new Uint8Array(32);
  ip6.set(c.sourceIp6.subarray(16 * i, 16 * i + 16), 0);
  ip6.set(c.destinationIp6.subarray(16 * i, 16 * i + 16), 16);
  return ip6;
}

/**
 * The record class behind {@linkcode FlowRecord}; internal (made by the generator).
 *
 * Built for the iterator's speed: a record is one object of small-integer fields (never
 * a boxed number): small columns are packed together, 32-bit words kept as int32, and
 * every public field is a getter that decodes them. `timestamp` and `duration` are
 * computed exactly as the engine computes its seconds column (`double(ns) / 1e9`).
 */
export class RecordImpl implements FlowRecord {
  // source_port | tcp_flags << 16
  #a: number;
  // destination_port | protocol << 16
  #b: number;
  // packet_length | direction << 16 | (ip_version === 6) << 17
  #c: number;
  #packets: number;
  #bytes: number;
  #flowId: number;
  #pattern: string;
  #src4: number;
  #dst4: number;
  #tsLow: number;
  #tsHigh: number;
  #durationLow: number;
  #durationHigh: number;
  // IPv6 records only: source then destination address, 32 bytes.
  #ip6: Uint8Array | null;

  /** Copies record `i` of `c` (a batch that will change: nothing refers to it after). */
  constructor(c: Columns, i: number, patternNames: readonly string[]) {
    const lo = 2 * i;
    const hi = lo + 1;
    const v6 = c.ipVersion[i] === 6;
    this.#a = c.sourcePort[i] | (c.tcpFlags[i] << 16);
    this.#b = c.destinationPort[i] | (c.protocol[i] << 16);
    this.#c = c.packetLength[i] | (c.direction[i] << 16) | (v6 ? 0x20000 : 0);
    this.#packets = c.packets[i];
    this.#bytes = c.bytes32[lo] + c.bytes32[hi] * TWO_32;
    this.#flowId = c.flowId32[lo] + c.flowId32[hi] * TWO_32;
    this.#pattern = patternNames[c.pattern[i]];
    this.#src4 = c.sourceIp4[i] | 0;
    this.#dst4 = c.destinationIp4[i] | 0;
    this.#tsLow = c.timestampNs32[lo] | 0;
    this.#tsHigh = c.timestampNs32[hi] | 0;
    this.#durationLow = c.durationNs32[lo] | 0;
    this.#durationHigh = c.durationNs32[hi] | 0;
    this.#ip6 = v6 ? copyIp6(c, i) : null;
  }

  get source_port(): number {
    return this.#a & 0xffff;
  }

  get destination_port(): number {
    return this.#b & 0xffff;
  }

  get protocol(): number {
    return this.#b >>> 16;
  }

  get tcp_flags(): number {
    return this.#a >>> 16;
  }

  get packet_length(): number {
    return this.#c & 0xffff;
  }

  get direction(): number {
    return (this.#c >>> 16) & 1;
  }

  get ip_version(): number {
    return this.#c & 0x20000 ? 6 : 4;
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
    return this.#pattern;
  }

  get timestamp(): number {
    return ((this.#tsHigh >>> 0) * TWO_32 + (this.#tsLow >>> 0)) / 1e9;
  }

  get timestamp_ns(): bigint {
    return (BigInt(this.#tsHigh >>> 0) << 32n) | BigInt(this.#tsLow >>> 0);
  }

  get duration(): number {
    return ((this.#durationHigh >>> 0) * TWO_32 + (this.#durationLow >>> 0)) / 1e9;
  }

  get source_ip(): string {
    return this.#ip6 === null ? ipv4ToString(this.#src4 >>> 0) : ipv6ToString(this.#ip6, 0);
  }

  get destination_ip(): string {
    return this.#ip6 === null ? ipv4ToString(this.#dst4 >>> 0) : ipv6ToString(this.#ip6, 16);
  }

  /**
   * Writes this record into row `j` of `c` (every column, exactly as read), with
   * `patternIndex` in the pattern column.
   */
  writeTo(c: Columns, j: number, patternIndex: number): void {
    const lo = 2 * j;
    const hi = lo + 1;
    c.timestampNs32[lo] = this.#tsLow;
    c.timestampNs32[hi] = this.#tsHigh;
    c.timestamp[j] = this.timestamp;
    c.durationNs32[lo] = this.#durationLow;
    c.durationNs32[hi] = this.#durationHigh;
    c.ipVersion[j] = this.ip_version;
    c.sourceIp4[j] = this.#src4;
    c.destinationIp4[j] = this.#dst4;
    if (this.#ip6 !== null) {
      c.sourceIp6.set(this.#ip6.subarray(0, 16), 16 * j);
      c.destinationIp6.set(this.#ip6.subarray(16, 32), 16 * j);
    } else {
      c.sourceIp6.fill(0, 16 * j, 16 * j + 16);
      c.destinationIp6.fill(0, 16 * j, 16 * j + 16);
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
