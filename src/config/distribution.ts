/**
 * Validation of scalar distributions (`packet_size`, `packets`, `duration_ms`,
 * `response_*`, `generation.bidirectional.rtt_ms`).
 *
 * In YAML: `{distribution: lognormal, mu: 6.2, sigma: 1.1}`, `{distribution: normal, mean,
 * stddev}`, `{distribution: uniform, min, max}`, `{distribution: pareto, scale, shape}`,
 * `{distribution: fixed, value}` or a bare number, `{distribution: empirical, values,
 * weights}`. The normalized form `{kind, a, b, values?, weights?}` is accepted too.
 *
 * @module
 */

import type { Distribution } from "./types.ts";
import type { ConfigPath } from "./errors.ts";
import { type Checker, describe, has, isMapping, listChoices } from "./checker.ts";
import { didYouMean } from "./suggest.ts";

/** Distribution kinds, in FLOWGEN_DIST_* order. */
export const DISTRIBUTION_KINDS: readonly Distribution["kind"][] = [
  "fixed",
  "uniform",
  "normal",
  "lognormal",
  "pareto",
  "empirical",
];

/** The parameter keys of each kind, mapped to the normalized `a` and `b`. */
export const DISTRIBUTION_PARAMS: Readonly<Record<Distribution["kind"], readonly string[]>> = {
  fixed: ["value"],
  uniform: ["min", "max"],
  normal: ["mean", "stddev"],
  lognormal: ["mu", "sigma"],
  pareto: ["scale", "shape"],
  empirical: ["values", "weights"],
};

/** The range that values of a quantity must lie in (fixed values, uniform bounds, ...). */
export interface QuantityRange {
  /** Inclusive minimum of a value. */
  min: number;
  /** Inclusive maximum of a value. */
  max: number;
}

/** Value ranges of each distribution-valued key. */
export const QUANTITY_RANGES: Readonly<Record<string, QuantityRange>> = {
  packet_size: { min: 20, max: 65535 },
  response_packet_size: { min: 20, max: 65535 },
  packets: { min: 1, max: 4294967295 },
  response_packets: { min: 1, max: 4294967295 },
  duration_ms: { min: 0, max: 86400000 },
  rtt_ms: { min: 0, max: 60000 },
};

/** Reads a distribution at `path`; values must lie in `range`. */
export function readDistribution(
  c: Checker,
  value: unknown,
  path: ConfigPath,
  range: QuantityRange,
): Distribution | undefined {
  if (typeof value === "number" || typeof value === "bigint") {
    const v = c.number(value, path, range);
    return v === undefined ? undefined : { kind: "fixed", a: v, b: 0 };
  }
  if (!isMapping(value)) {
    return c.fail(
      path,
      `expected a number or a mapping such as {distribution: lognormal, mu: 6.2, sigma: 1.1}, got ${
        describe(value)
      }`,
    );
  }
  if (!has(value, "distribution") && has(value, "kind")) {
    return readNormalized(c, value, path, range);
  }
  if (!has(value, "distribution")) return c.missing(path, "distribution");
  const kind = c.choice(
    value.distribution,
    [...path, "distribution"],
    DISTRIBUTION_KINDS,
    "distribution",
  );
  if (kind === undefined) return undefined;
  const params = DISTRIBUTION_PARAMS[kind];
  const allowed = ["distribution", ...params];
  const before = c.count;
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const hint = didYouMean(key, params);
    c.unknownKey(
      [...path, key],
      `unknown key for a ${kind} distribution${hint || ` (it takes ${listChoices(params)})`}`,
    );
  }
  if (kind === "empirical") {
    const empirical = readEmpirical(
      c,
      value.values,
      value.weights,
      path,
      range,
      "values",
      "weights",
    );
    return c.count === before ? empirical : undefined;
  }
  for (const key of params) {
    if (!has(value, key)) c.missing(path, key, `a ${kind} distribution needs "${key}"`);
  }
  if (c.count !== before) return undefined;
  const a = value[params[0]];
  const b = kind === "fixed" ? 0 : value[params[1]];
  const result = checkParams(c, kind, a, b, path, params, range);
  return c.count === before ? result : undefined;
}

function readNormalized(
  c: Checker,
  value: Record<string, unknown>,
  path: ConfigPath,
  range: QuantityRange,
): Distribution | undefined {
  const before = c.count;
  const m = c.mapping(value, path, ["kind", "a", "b", "values", "weights"]);
  const kind = c.choice(value.kind, [...path, "kind"], DISTRIBUTION_KINDS, "distribution");
  if (!m || kind === undefined || c.count !== before) return undefined;
  if (kind === "empirical") {
    return readEmpirical(c, m.values, m.weights, path, range, "values", "weights");
  }
  const b = kind === "fixed" ? (m.b ?? 0) : m.b;
  return checkParams(c, kind, m.a, b, path, ["a", "b"], range);
}

function checkParams(
  c: Checker,
  kind: Exclude<Distribution["kind"], "empirical">,
  rawA: unknown,
  rawB: unknown,
  path: ConfigPath,
  names: readonly string[],
  range: QuantityRange,
): Distribution | undefined {
  const pathA = [...path, names[0]];
  const pathB = [...path, names[1] ?? "b"];
  const before = c.count;
  let a: number | undefined;
  let b: number | undefined;
  switch (kind) {
    case "fixed":
      a = c.number(rawA, pathA, range);
      b = c.number(rawB, pathB);
      break;
    case "uniform":
      a = c.number(rawA, pathA, range);
      b = c.number(rawB, pathB, range);
      if (a !== undefined && b !== undefined && a > b) {
        c.fail(path, `uniform ${names[0]} ${a} > ${names[1]} ${b}`);
      }
      break;
    case "normal":
      a = c.number(rawA, pathA);
      b = c.number(rawB, pathB, { min: 0 });
      break;
    case "lognormal":
      a = c.number(rawA, pathA, { min: -50, max: 50 });
      b = c.number(rawB, pathB, { min: 0, max: 20 });
      break;
    case "pareto":
      a = c.number(rawA, pathA, { above: 0, max: range.max });
      b = c.number(rawB, pathB, { above: 0 });
      break;
  }
  if (c.count !== before || a === undefined || b === undefined) return undefined;
  return { kind, a, b };
}

function readEmpirical(
  c: Checker,
  rawValues: unknown,
  rawWeights: unknown,
  path: ConfigPath,
  range: QuantityRange,
  valuesKey: string,
  weightsKey: string,
): Distribution | undefined {
  const before = c.count;
  if (rawValues === undefined || rawValues === null) {
    return c.missing(path, valuesKey, 'an empirical distribution needs "values"');
  }
  const list = c.list(rawValues, [...path, valuesKey]);
  if (!list) return undefined;
  if (list.length === 0) return c.fail([...path, valuesKey], "expected at least one value");
  const values = list.map((v, i) => c.number(v, [...path, valuesKey, i], range) ?? 0);
  let weights: number[] | undefined;
  if (rawWeights !== undefined && rawWeights !== null) {
    const wl = c.list(rawWeights, [...path, weightsKey]);
    if (wl) {
      weights = wl.map((w, i) => c.number(w, [...path, weightsKey, i], { min: 0 }) ?? 0);
      if (wl.length !== list.length) {
        c.fail(
          [...path, weightsKey],
          `${wl.length} weights for ${list.length} values (one weight per value expected)`,
        );
      } else if (c.count === before && weights.every((w) => w === 0)) {
        c.fail([...path, weightsKey], "all weights are zero");
      }
    }
  }
  if (c.count !== before) return undefined;
  return { kind: "empirical", a: 0, b: 0, values, weights: weights ?? values.map(() => 1) };
}
