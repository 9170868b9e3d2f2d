/**
 * The numbers of the `flowgen stats` realism report, accumulated one record at a time
 * (memory: one counter per pattern, protocol and port, plus the flow ids still waiting for
 * their other direction).
 *
 * @module
 */

import type { StatRecord } from "./reader.ts";

/** A count under a label. */
export interface Share {
  label: string;
  count: number;
}

/** One bar of a histogram: values in [min, max) (max = Infinity for the last). */
export interface Bin {
  label: string;
  min: number;
  max: number;
  count: number;
}

/** Request/response pairing by flow id (present when the input has flow_id and direction). */
export interface Pairing {
  requests: number;
  responses: number;
  /** Requests whose response is in the input. */
  paired: number;
  /** Responses whose request is not in the input. */
  orphanResponses: number;
}

/** The report. Shares are sorted by count (then label); histograms by bin. */
export interface StatsReport {
  records: number;
  /** Undefined when the input has no pattern column. */
  patterns?: Share[];
  protocols: Share[];
  packetSizes: Bin[];
  /** Bytes per record (bytes column, else length x packets, else length). */
  flowSizes: Bin[];
  /** Undefined when the input has no packets column. */
  packetsPerFlow?: Bin[];
  /** Top destination ports as "port/PROTO" (ICMP: "type/code ICMP"). */
  topPorts: Share[];
  pairing?: Pairing;
}

const PROTOCOL_NAMES: Record<number, string> = { 1: "ICMP", 6: "TCP", 17: "UDP", 58: "ICMPv6" };

/** "TCP (6)", "proto 47". */
export function protocolName(protocol: number): string {
  const name = PROTOCOL_NAMES[protocol];
  return name === undefined ? `proto ${protocol}` : `${name} (${protocol})`;
}

function portLabel(protocol: number, port: number): string {
  if (protocol === 1 || protocol === 58) {
    return `type ${port >> 8} code ${port & 0xff} ${PROTOCOL_NAMES[protocol]}`;
  }
  return `${port}/${PROTOCOL_NAMES[protocol] ?? `proto ${protocol}`}`;
}

/** Packet-size bins: powers of two up to 1 KiB, then up to the Ethernet MTU. */
export const PACKET_SIZE_EDGES: readonly number[] = [0, 64, 128, 256, 512, 1024, 1500, 1501];
/** Flow-size bins: decades of bytes. */
export const FLOW_SIZE_EDGES: readonly number[] = [0, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];
/** Packets-per-flow bins. */
export const PACKETS_EDGES: readonly number[] = [1, 2, 3, 10, 100, 1e3, 1e4, 1e5];

function compact(n: number): string {
  if (n >= 1e9 && n % 1e9 === 0) return `${n / 1e9}G`;
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 1e3 === 0) return `${n / 1e3}K`;
  return String(n);
}

function makeBins(edges: readonly number[]): Bin[] {
  return edges.map((min, i) => {
    const max = i + 1 < edges.length ? edges[i + 1] : Infinity;
    const label = max === Infinity
      ? `>= ${compact(min)}`
      : max === min + 1
      ? compact(min)
      : `${compact(min)}-${compact(max - 1)}`;
    return { label, min, max, count: 0 };
  });
}

function addToBins(bins: Bin[], value: number): void {
  // Few bins: a linear scan from the top is as fast as a binary search.
  for (let i = bins.length - 1; i >= 0; i--) {
    if (value >= bins[i].min) {
      bins[i].count++;
      return;
    }
  }
  bins[0].count++;
}

function sortedShares(counts: Map<string, number>, limit = Infinity): Share[] {
  return [...counts].map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))
    .slice(0, limit);
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Accumulates records into a {@linkcode StatsReport}.
 *
 * @example
 * ```ts
 * import { StatsAccumulator } from "./summary.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * const stats = new StatsAccumulator();
 * stats.add({ protocol: 17, dst_port: 53, length: 72, flow_id: 7, response: false });
 * stats.add({ protocol: 17, dst_port: 40001, length: 140, flow_id: 7, response: true });
 * const report = stats.report();
 * deepStrictEqual(report.protocols, [{ label: "UDP (17)", count: 2 }]);
 * deepStrictEqual(report.pairing, { requests: 1, responses: 1, paired: 1, orphanResponses: 0 });
 * ```
 */
export class StatsAccumulator {
  #records = 0;
  #patterns = new Map<string, number>();
  #sawPattern = false;
  #protocols = new Map<string, number>();
  #ports = new Map<string, number>();
  #packetSizes = makeBins(PACKET_SIZE_EDGES);
  #flowSizes = makeBins(FLOW_SIZE_EDGES);
  #packets = makeBins(PACKETS_EDGES);
  #sawPackets = false;
  #sawPairing = false;
  #requests = 0;
  #responses = 0;
  #paired = 0;
  // Flow ids seen in one direction only: true = request waiting, false = response waiting.
  #waiting = new Map<number, boolean>();

  /** Number of top ports reported. */
  constructor(readonly topPortCount = 10) {}

  /** Adds one record. */
  add(r: StatRecord): void {
    this.#records++;
    if (r.pattern !== undefined) {
      this.#sawPattern = true;
      bump(this.#patterns, r.pattern);
    }
    bump(this.#protocols, protocolName(r.protocol));
    bump(this.#ports, portLabel(r.protocol, r.dst_port));
    addToBins(this.#packetSizes, r.length);
    if (r.packets !== undefined) {
      this.#sawPackets = true;
      addToBins(this.#packets, r.packets);
    }
    addToBins(this.#flowSizes, r.bytes ?? r.length * (r.packets ?? 1));
    if (r.flow_id !== undefined && r.response !== undefined) this.#pair(r.flow_id, r.response);
  }

  #pair(flowId: number, response: boolean): void {
    this.#sawPairing = true;
    if (response) this.#responses++;
    else this.#requests++;
    const waiting = this.#waiting.get(flowId);
    if (waiting === response) {
      // The other direction was waiting: one request/response pair.
      this.#paired++;
      this.#waiting.delete(flowId);
    } else if (waiting === undefined) {
      this.#waiting.set(flowId, !response);
    }
  }

  /** The report of the records added so far. */
  report(): StatsReport {
    const report: StatsReport = {
      records: this.#records,
      protocols: sortedShares(this.#protocols),
      packetSizes: this.#packetSizes.map((b) => ({ ...b })),
      flowSizes: this.#flowSizes.map((b) => ({ ...b })),
      topPorts: sortedShares(this.#ports, this.topPortCount),
    };
    if (this.#sawPattern) report.patterns = sortedShares(this.#patterns);
    if (this.#sawPackets) report.packetsPerFlow = this.#packets.map((b) => ({ ...b }));
    if (this.#sawPairing) {
      let orphans = 0;
      for (const requestWaiting of this.#waiting.values()) if (!requestWaiting) orphans++;
      report.pairing = {
        requests: this.#requests,
        responses: this.#responses,
        paired: this.#paired,
        orphanResponses: orphans,
      };
    }
    return report;
  }
}
