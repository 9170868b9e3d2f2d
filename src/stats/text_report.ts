/**
 * The terminal rendering of a {@linkcode StatsReport}: tables with percentages and bars.
 *
 * @module
 */

import type { Bin, Share, StatsReport } from "./summary.ts";

const BAR_WIDTH = 40;

/** `count` as a percentage of `total` with two decimals ("66.67%"). */
export function percent(count: number, total: number): string {
  return `${total > 0 ? (100 * count / total).toFixed(2) : "0.00"}%`;
}

function table(rows: readonly Share[], total: number): string[] {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const labelWidth = Math.max(8, ...rows.map((r) => r.label.length));
  const countWidth = Math.max(5, ...rows.map((r) => String(r.count).length));
  return rows.map((r) =>
    `  ${r.label.padEnd(labelWidth)}  ${String(r.count).padStart(countWidth)}  ${
      percent(r.count, total).padStart(7)
    }  ${"#".repeat(Math.round(BAR_WIDTH * r.count / max))}`.trimEnd()
  );
}

function histogram(bins: readonly Bin[], total: number): string[] {
  return table(bins.map((b) => ({ label: b.label, count: b.count })), total);
}

/** The report as text (lines end with \n). */
export function formatText(report: StatsReport, source: string): string {
  const total = report.records;
  const out: string[] = [`flowgen stats: ${source}: ${total} records`];
  const section = (title: string, body: string[]) => out.push("", title, ...body);
  if (report.patterns) section("Traffic patterns", table(report.patterns, total));
  section("Protocols", table(report.protocols, total));
  section("Packet size (bytes, length column)", histogram(report.packetSizes, total));
  section("Flow size (bytes per record)", histogram(report.flowSizes, total));
  if (report.packetsPerFlow) section("Packets per flow", histogram(report.packetsPerFlow, total));
  section(`Top ${report.topPorts.length} destination ports`, table(report.topPorts, total));
  if (report.pairing) {
    const p = report.pairing;
    section("Request/response pairing (flow_id + direction)", [
      `  requests ${p.requests}, responses ${p.responses}`,
      `  answered requests ${p.paired} (${percent(p.paired, p.requests)})`,
      `  responses without their request ${p.orphanResponses}`,
    ]);
  }
  return out.join("\n") + "\n";
}
