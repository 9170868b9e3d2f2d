/**
 * Validation of the `traffic_patterns` list.
 *
 * @module
 */

import type { PatternConfig } from "./types.ts";
import type { ConfigPath } from "./errors.ts";
import { type Checker, describe, has, isMapping } from "./checker.ts";
import { QUANTITY_RANGES, readDistribution } from "./distribution.ts";
import {
  BUILTIN_PATTERNS,
  FLOW_MODELS,
  MAX_PATTERNS,
  PATTERN_NAME_RE,
  PATTERN_TYPES,
  PERCENTAGE_TOLERANCE,
  PROTOCOL_NAMES,
} from "./limits.ts";
import { didYouMean } from "./suggest.ts";

const DISTRIBUTION_KEYS = [
  "packet_size",
  "packets",
  "duration_ms",
  "response_packet_size",
  "response_packets",
] as const;

const PATTERN_KEYS = [
  "type",
  "name",
  "percentage",
  "protocol",
  "ports",
  "flow_model",
  "bidirectional",
  ...DISTRIBUTION_KEYS,
];

/** Reads `traffic_patterns`: a non-empty list whose percentages sum to 100. */
export function readPatterns(c: Checker, value: unknown): PatternConfig[] {
  const path: ConfigPath = ["traffic_patterns"];
  const list = c.list(value, path);
  if (!list) return [];
  if (list.length === 0) {
    c.fail(path, "empty, at least one pattern is required");
    return [];
  }
  if (list.length > MAX_PATTERNS) {
    c.fail(path, `${list.length} patterns, at most ${MAX_PATTERNS} are supported`);
    return [];
  }
  const before = c.count;
  const patterns: PatternConfig[] = [];
  const names = new Map<string, number>();
  list.forEach((item, i) => {
    const pattern = readPattern(c, item, [...path, i]);
    if (!pattern) return;
    const first = names.get(pattern.name);
    if (first !== undefined) {
      const key = pattern.type === "custom" || has(item as Record<string, unknown>, "name")
        ? "name"
        : "type";
      c.fail(
        [...path, i, key],
        `duplicate pattern name "${pattern.name}" (also traffic_patterns[${first}]); give each pattern a distinct name`,
      );
    } else {
      names.set(pattern.name, i);
    }
    patterns.push(pattern);
  });
  if (c.count === before) {
    const sum = patterns.reduce((total, p) => total + p.percentage, 0);
    if (Math.abs(sum - 100) > PERCENTAGE_TOLERANCE) {
      c.fail(path, `percentages sum to ${Number(sum.toFixed(6))}, expected 100`, "key");
    }
  }
  return patterns;
}

function readPattern(c: Checker, value: unknown, path: ConfigPath): PatternConfig | undefined {
  const before = c.count;
  const p = c.mapping(value, path, PATTERN_KEYS);
  if (!p) return undefined;
  if (!has(p, "type")) c.missing(path, "type");
  if (!has(p, "percentage")) c.missing(path, "percentage");
  const type = has(p, "type")
    ? c.choice(p.type, [...path, "type"], PATTERN_TYPES, "pattern type")
    : undefined;
  const percentage = has(p, "percentage")
    ? c.number(p.percentage, [...path, "percentage"], { min: 0, max: 100 })
    : undefined;
  let name: string | undefined = type;
  if (has(p, "name")) {
    name = readName(c, p.name, [...path, "name"], type);
  } else if (type === "custom") {
    c.missing(path, "name");
  }
  const pattern: Partial<PatternConfig> = { type, name, percentage };
  if (type === "custom") {
    readProtocolAndPorts(c, p, path, pattern);
  } else if (type !== undefined) {
    for (const key of ["protocol", "ports"]) {
      if (has(p, key)) {
        c.fail([...path, key], `only custom patterns take "${key}" (this one is ${type})`, "key");
      }
    }
  }
  if (has(p, "flow_model")) {
    pattern.flow_model = c.choice(p.flow_model, [...path, "flow_model"], FLOW_MODELS, "flow model");
  }
  if (has(p, "bidirectional")) {
    pattern.bidirectional = readProbability(c, p.bidirectional, [...path, "bidirectional"]);
  }
  for (const key of DISTRIBUTION_KEYS) {
    if (!has(p, key)) continue;
    const d = readDistribution(c, p[key], [...path, key], QUANTITY_RANGES[key]);
    if (d) pattern[key] = d;
  }
  if (c.count !== before) return undefined;
  return pattern as PatternConfig;
}

function readName(
  c: Checker,
  value: unknown,
  path: ConfigPath,
  type: string | undefined,
): string | undefined {
  const name = c.string(value, path);
  if (name === undefined) return undefined;
  if (!PATTERN_NAME_RE.test(name)) {
    return c.fail(
      path,
      `${
        describe(name)
      } is not a pattern name (1 to 64 letters, digits, "_", "." or "-", not starting with "." or "-")`,
    );
  }
  if (name !== type && (BUILTIN_PATTERNS as readonly string[]).includes(name)) {
    return c.fail(path, `"${name}" is the name of a built-in pattern type; choose another name`);
  }
  return name;
}

function readProbability(c: Checker, value: unknown, path: ConfigPath): number | undefined {
  if (isMapping(value)) {
    const b = c.mapping(value, path, ["probability"]);
    if (!b) return undefined;
    if (!has(b, "probability")) return c.missing(path, "probability");
    return c.number(b.probability, [...path, "probability"], { min: 0, max: 1 });
  }
  return c.number(value, path, { min: 0, max: 1 });
}

function readProtocolAndPorts(
  c: Checker,
  p: Record<string, unknown>,
  path: ConfigPath,
  pattern: Partial<PatternConfig>,
): void {
  if (!has(p, "protocol")) {
    c.missing(path, "protocol");
    return;
  }
  const protocolPath = [...path, "protocol"];
  let protocol: number | undefined;
  if (typeof p.protocol === "string") {
    const key = p.protocol;
    protocol = Object.hasOwn(PROTOCOL_NAMES, key) ? PROTOCOL_NAMES[key] : undefined;
    if (protocol === undefined) {
      const names = Object.keys(PROTOCOL_NAMES);
      c.fail(
        protocolPath,
        `unknown protocol ${describe(p.protocol)}${
          didYouMean(key, names) || `, expected ${names.join(", ")} or a number 0..255`
        }`,
      );
    }
  } else {
    protocol = c.integer(p.protocol, protocolPath, { min: 0, max: 255 });
  }
  if (protocol === undefined) return;
  pattern.protocol = protocol;
  const takesPorts = protocol === 6 || protocol === 17;
  if (!has(p, "ports")) {
    if (takesPorts) {
      c.fail(
        [...path, "ports"],
        `a ${protocol === 6 ? "tcp" : "udp"} pattern needs destination ports`,
      );
    }
    return;
  }
  if (!takesPorts) {
    c.fail(
      [...path, "ports"],
      `ports apply only to tcp (6) and udp (17) patterns, not protocol ${protocol}`,
      "key",
    );
    return;
  }
  const portsPath = [...path, "ports"];
  const list = c.list(p.ports, portsPath);
  if (!list) return;
  if (list.length === 0) {
    c.fail(portsPath, "expected at least one destination port");
    return;
  }
  const before = c.count;
  const ports = list.map((item, i) => readPort(c, item, [...portsPath, i]));
  if (c.count !== before) return;
  if (ports.every((port) => port!.weight === 0)) {
    c.fail(portsPath, "all port weights are zero");
    return;
  }
  pattern.ports = ports as { port: number; weight: number }[];
}

function readPort(
  c: Checker,
  value: unknown,
  path: ConfigPath,
): { port: number; weight: number } | undefined {
  if (!isMapping(value)) {
    const port = c.integer(value, path, { min: 1, max: 65535 });
    return port === undefined ? undefined : { port, weight: 1 };
  }
  const m = c.mapping(value, path, ["port", "weight"]);
  if (!m) return undefined;
  if (!has(m, "port")) return c.missing(path, "port");
  const port = c.integer(m.port, [...path, "port"], { min: 1, max: 65535 });
  const weight = has(m, "weight") ? c.number(m.weight, [...path, "weight"], { min: 0 }) : 1;
  return port === undefined || weight === undefined ? undefined : { port, weight };
}
