/**
 * Validation of the `generation` section.
 *
 * @module
 */

import type { FlowGenConfig } from "./types.ts";
import type { ConfigPath } from "./errors.ts";
import { type Checker, describe, has, isMapping } from "./checker.ts";
import { QUANTITY_RANGES, readDistribution } from "./distribution.ts";
import {
  BATCH_RECORD_BYTES,
  FLOW_MODELS,
  MAX_BANDWIDTH_GBPS,
  MAX_BATCH,
  MAX_BATCH_RECORDS,
  MAX_PENDING_LIMIT,
  MAX_SEED,
  MAX_START_TIMESTAMP,
  MAX_THREADS,
  MIN_BANDWIDTH_GBPS,
} from "./limits.ts";

const GENERATION_KEYS = [
  "max_flows",
  "rate",
  "start_timestamp",
  "seed",
  "flow_model",
  "bidirectional",
  "shard",
  "threads",
  "batch_size",
  // the normalized form's name of rate.bandwidth_gbps (validateConfig is idempotent)
  "bandwidth_gbps",
];

type Generation = FlowGenConfig["generation"];

/**
 * Reads `generation` (absent = every default: unlimited flows, 10 Gbps, start now, random
 * seed, packet model, no bidirectional responses, one thread).
 */
export function readGeneration(c: Checker, value: unknown): Generation {
  const path: ConfigPath = ["generation"];
  const out: Generation = {
    max_flows: 0,
    bandwidth_gbps: 10,
    flow_model: "packet",
    bidirectional: { probability: 0 },
    threads: 1,
  };
  if (value === undefined || value === null) return out;
  const g = c.mapping(value, path, GENERATION_KEYS);
  if (!g) return out;
  if (has(g, "max_flows")) {
    out.max_flows = c.integer(g.max_flows, [...path, "max_flows"], { min: 0 }) ?? 0;
  }
  if (has(g, "rate") && has(g, "bandwidth_gbps")) {
    c.fail(
      [...path, "bandwidth_gbps"],
      "give either rate.bandwidth_gbps or bandwidth_gbps, not both",
      "key",
    );
  }
  if (has(g, "rate")) {
    const rate = c.mapping(g.rate, [...path, "rate"], ["bandwidth_gbps"]);
    if (rate && has(rate, "bandwidth_gbps")) {
      out.bandwidth_gbps = readBandwidth(c, rate.bandwidth_gbps, [
        ...path,
        "rate",
        "bandwidth_gbps",
      ]);
    }
  } else if (has(g, "bandwidth_gbps")) {
    out.bandwidth_gbps = readBandwidth(c, g.bandwidth_gbps, [...path, "bandwidth_gbps"]);
  }
  if (has(g, "start_timestamp")) {
    const start = c.number(g.start_timestamp, [...path, "start_timestamp"], {
      min: 0,
      max: MAX_START_TIMESTAMP,
    });
    if (start !== undefined) out.start_timestamp = start;
  }
  if (has(g, "seed")) {
    const seed = readSeed(c, g.seed, [...path, "seed"]);
    if (seed !== undefined) out.seed = seed;
  }
  if (has(g, "flow_model")) {
    out.flow_model = c.choice(g.flow_model, [...path, "flow_model"], FLOW_MODELS, "flow model") ??
      "packet";
  }
  if (has(g, "bidirectional")) {
    out.bidirectional = readBidirectional(c, g.bidirectional, [...path, "bidirectional"]);
  }
  if (has(g, "shard")) {
    const shard = readShard(c, g.shard, [...path, "shard"]);
    if (shard) out.shard = shard;
  }
  if (has(g, "threads")) {
    out.threads = c.integer(g.threads, [...path, "threads"], { min: 1, max: MAX_THREADS }) ?? 1;
  }
  if (has(g, "batch_size")) {
    const size = c.integer(g.batch_size, [...path, "batch_size"], { min: 1, max: MAX_BATCH });
    if (size !== undefined) out.batch_size = size;
  }
  const records = out.threads * (out.batch_size ?? 16384);
  if (records > MAX_BATCH_RECORDS) {
    const mb = Math.round((records * BATCH_RECORD_BYTES) / 1e6);
    c.fail(
      path,
      `threads ${out.threads} × batch_size ${
        out.batch_size ?? 16384
      } = ${records} records of batch memory (about ${mb} MB), above the limit of ${MAX_BATCH_RECORDS}; lower threads or batch_size`,
      "key",
    );
  }
  return out;
}

function readBandwidth(c: Checker, value: unknown, path: ConfigPath): number {
  return c.number(value, path, { min: MIN_BANDWIDTH_GBPS, max: MAX_BANDWIDTH_GBPS }) ?? 10;
}

/**
 * A seed: a non-negative integer up to 2^64 - 1, as a number (exact only up to 2^53 - 1),
 * a bigint, or a string of decimal digits.
 */
export function readSeed(c: Checker, value: unknown, path: ConfigPath): bigint | undefined {
  const range = `an integer in 0..${MAX_SEED}`;
  let seed: bigint;
  if (typeof value === "bigint") {
    seed = value;
  } else if (typeof value === "number") {
    if (!Number.isInteger(value) || value < 0) {
      return c.fail(path, `expected ${range}, got ${describe(value)}`);
    }
    if (!Number.isSafeInteger(value)) {
      return c.fail(
        path,
        `${value} is above 2^53 and cannot be read exactly; write the seed as a string ("12345678901234567890")`,
      );
    }
    seed = BigInt(value);
  } else if (typeof value === "string") {
    if (!/^\s*[0-9]+\s*$/.test(value)) {
      return c.fail(path, `expected ${range}, got ${describe(value)}`);
    }
    seed = BigInt(value.trim());
  } else {
    return c.fail(path, `expected ${range}, got ${describe(value)}`);
  }
  if (seed < 0n || seed > MAX_SEED) return c.fail(path, `expected ${range}, got ${seed}`);
  return seed;
}

function readBidirectional(
  c: Checker,
  value: unknown,
  path: ConfigPath,
): Generation["bidirectional"] {
  const out: Generation["bidirectional"] = { probability: 0 };
  if (!isMapping(value)) {
    out.probability = c.number(value, path, { min: 0, max: 1 }) ?? 0;
    return out;
  }
  const b = c.mapping(value, path, ["probability", "rtt_ms", "max_pending"]);
  if (!b) return out;
  if (has(b, "probability")) {
    out.probability = c.number(b.probability, [...path, "probability"], { min: 0, max: 1 }) ?? 0;
  }
  if (has(b, "rtt_ms")) {
    const rtt = readDistribution(c, b.rtt_ms, [...path, "rtt_ms"], QUANTITY_RANGES.rtt_ms);
    if (rtt) out.rtt_ms = rtt;
  }
  if (has(b, "max_pending")) {
    const max = c.integer(b.max_pending, [...path, "max_pending"], {
      min: 1,
      max: MAX_PENDING_LIMIT,
    });
    if (max !== undefined) out.max_pending = max;
  }
  return out;
}

/** `{index, count}` or `"I/N"`, 0 <= index < count. */
function readShard(c: Checker, value: unknown, path: ConfigPath): Generation["shard"] {
  let index: number | undefined;
  let count: number | undefined;
  const u32 = { min: 0, max: 0xffff_ffff };
  if (typeof value === "string") {
    const match = /^\s*([0-9]+)\s*\/\s*([0-9]+)\s*$/.exec(value);
    if (!match) {
      return c.fail(
        path,
        `expected "INDEX/COUNT" (e.g. "0/4") or {index, count}, got ${describe(value)}`,
      );
    }
    index = c.integer(Number(match[1]), path, u32);
    count = c.integer(Number(match[2]), path, { min: 1, max: 0xffff_ffff });
  } else {
    const s = c.mapping(value, path, ["index", "count"]);
    if (!s) return undefined;
    if (!has(s, "index")) c.missing(path, "index");
    if (!has(s, "count")) c.missing(path, "count");
    index = has(s, "index") ? c.integer(s.index, [...path, "index"], u32) : undefined;
    count = has(s, "count")
      ? c.integer(s.count, [...path, "count"], { min: 1, max: 0xffff_ffff })
      : undefined;
  }
  if (index === undefined || count === undefined) return undefined;
  if (index >= count) {
    return c.fail(
      path,
      `index ${index} is out of range for count ${count} (indices are 0..${count - 1})`,
    );
  }
  return { index, count };
}
