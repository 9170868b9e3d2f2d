/**
 * The `--html` rendering of a {@linkcode StatsReport}: one self-contained page (inline CSS
 * and SVG bar charts, no scripts, no external resources).
 *
 * @module
 */

import type { Share, StatsReport } from "./summary.ts";
import { percent } from "./text_report.ts";

/** Escapes text for HTML and SVG. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

const ROW = 22;
const LABEL = 190;
const BAR = 360;

/** A horizontal bar chart of `rows` as an SVG element. */
export function barChart(title: string, rows: readonly Share[], total: number): string {
  const max = Math.max(1, ...rows.map((r) => r.count));
  const height = ROW * rows.length + 8;
  const bars = rows.map((r, i) => {
    const y = 4 + i * ROW;
    const width = Math.round(BAR * r.count / max);
    return `<text x="${LABEL - 6}" y="${y + 15}" text-anchor="end">${escapeHtml(r.label)}</text>` +
      `<rect x="${LABEL}" y="${y + 2}" width="${width}" height="${ROW - 6}" fill="#3b6ea8"/>` +
      `<text x="${LABEL + width + 6}" y="${y + 15}">${r.count} (${percent(r.count, total)})</text>`;
  }).join("");
  return `<section><h2>${escapeHtml(title)}</h2>` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${LABEL + BAR + 160}" height="${height}" ` +
    `role="img" aria-label="${escapeHtml(title)}">${bars}</svg></section>`;
}

/** The report as a complete HTML document. */
export function formatHtml(report: StatsReport, source: string): string {
  const total = report.records;
  const charts: string[] = [];
  const bins = (b: StatsReport["packetSizes"]) =>
    b.map((x) => ({ label: x.label, count: x.count }));
  if (report.patterns) charts.push(barChart("Traffic patterns", report.patterns, total));
  charts.push(barChart("Protocols", report.protocols, total));
  charts.push(barChart("Packet size (bytes)", bins(report.packetSizes), total));
  charts.push(barChart("Flow size (bytes per record)", bins(report.flowSizes), total));
  if (report.packetsPerFlow) {
    charts.push(barChart("Packets per flow", bins(report.packetsPerFlow), total));
  }
  charts.push(barChart("Top destination ports", report.topPorts, total));
  if (report.pairing) {
    const p = report.pairing;
    charts.push(
      `<section><h2>Request/response pairing</h2><p>requests ${p.requests}, responses ` +
        `${p.responses}; answered requests ${p.paired} (${percent(p.paired, p.requests)}); ` +
        `responses without their request ${p.orphanResponses}</p></section>`,
    );
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>flowgen stats: ${escapeHtml(source)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}svg text{font:12px monospace}
h2{font-size:16px;margin:1.5em 0 .3em}</style></head>
<body><h1>flowgen stats</h1><p>${escapeHtml(source)}: ${total} records</p>
${charts.join("\n")}
</body></html>
`;
}
