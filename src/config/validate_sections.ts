/**
 * Validation of the `packets`, `output` and `export` sections.
 *
 * @module
 */

import type { FlowGenConfig } from "./types.ts";
import type { ConfigPath } from "./errors.ts";
import { type Checker, has } from "./checker.ts";
import { OUTPUT_FIELDS, OUTPUT_FORMATS } from "./limits.ts";

type Packets = FlowGenConfig["packets"];
type Output = FlowGenConfig["output"];
type Export = FlowGenConfig["export"];

/** Reads `packets` (defaults 64 / 1500 / 800); 20 <= min <= average <= max <= 65535. */
export function readPackets(c: Checker, value: unknown): Packets {
  const out: Packets = { min_size: 64, max_size: 1500, average_size: 800 };
  if (value === undefined || value === null) return out;
  const path: ConfigPath = ["packets"];
  const p = c.mapping(value, path, ["min_size", "max_size", "average_size"]);
  if (!p) return out;
  const before = c.count;
  const size = { min: 20, max: 65535 };
  for (const key of ["min_size", "max_size", "average_size"] as const) {
    if (has(p, key)) out[key] = c.integer(p[key], [...path, key], size) ?? out[key];
  }
  if (c.count !== before) return out;
  const { min_size: min, max_size: max, average_size: average } = out;
  if (min > max) {
    c.fail(path, `min_size ${min} > max_size ${max}`);
  } else if (average < min || average > max) {
    c.fail([...path, "average_size"], `${average} is outside [min_size ${min}, max_size ${max}]`);
  }
  return out;
}

/** Reads `output` (every key optional, nothing filled in). */
export function readOutput(c: Checker, value: unknown): Output {
  const out: Output = {};
  if (value === undefined || value === null) return out;
  const path: ConfigPath = ["output"];
  const o = c.mapping(value, path, ["format", "fields", "include_header", "pretty"]);
  if (!o) return out;
  if (has(o, "format")) {
    const format = c.choice(o.format, [...path, "format"], OUTPUT_FORMATS, "output format");
    if (format) out.format = format;
  }
  if (has(o, "fields")) {
    const fields = readFields(c, o.fields, [...path, "fields"]);
    if (fields) out.fields = fields;
  }
  for (const key of ["include_header", "pretty"] as const) {
    if (!has(o, key)) continue;
    const flag = c.boolean(o[key], [...path, key]);
    if (flag !== undefined) out[key] = flag;
  }
  return out;
}

/** A list of field names, or one comma-separated string of them; no repeats. */
function readFields(c: Checker, value: unknown, path: ConfigPath): string[] | undefined {
  const list = typeof value === "string"
    ? value.split(",").map((f) => f.trim())
    : c.list(value, path);
  if (!list) return undefined;
  if (list.length === 0) return c.fail(path, "expected at least one field");
  const before = c.count;
  const fields: string[] = [];
  list.forEach((item, i) => {
    const itemPath = typeof value === "string" ? path : [...path, i];
    const field = c.choice(item, itemPath, OUTPUT_FIELDS, "field");
    if (field === undefined) return;
    if (fields.includes(field)) c.fail(itemPath, `field "${field}" is listed twice`);
    fields.push(field);
  });
  return c.count === before ? fields : undefined;
}

/** Integer keys of `export` with their ranges. */
const EXPORT_INTEGERS: Readonly<Record<string, { min: number; max: number }>> = {
  mtu: { min: 576, max: 65535 },
  template_packets: { min: 1, max: 1_000_000 },
  template_seconds: { min: 1, max: 86_400 },
  domain_id: { min: 0, max: 0xffff_ffff },
  engine_type: { min: 0, max: 255 },
  engine_id: { min: 0, max: 255 },
  sampling_interval: { min: 0, max: 16383 },
  source_port: { min: 1, max: 65535 },
};

/** Boolean keys of `export`. */
const EXPORT_BOOLEANS = ["skip_unsupported", "ipfix_nanoseconds", "ipfix_biflow"] as const;

/** Reads `export` (NetFlow/IPFIX options; every key optional, nothing filled in). */
export function readExport(c: Checker, value: unknown): Export {
  const out: Export = {};
  if (value === undefined || value === null) return out;
  const path: ConfigPath = ["export"];
  const e = c.mapping(value, path, [...Object.keys(EXPORT_INTEGERS), ...EXPORT_BOOLEANS]);
  if (!e) return out;
  for (const [key, range] of Object.entries(EXPORT_INTEGERS)) {
    if (!has(e, key)) continue;
    const n = c.integer(e[key], [...path, key], range);
    if (n !== undefined) (out as Record<string, number>)[key] = n;
  }
  for (const key of EXPORT_BOOLEANS) {
    if (!has(e, key)) continue;
    const flag = c.boolean(e[key], [...path, key]);
    if (flag !== undefined) out[key] = flag;
  }
  return out;
}
