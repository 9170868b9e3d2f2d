/**
 * Names and limits of the config, mirroring `native/include/flowgen/flowgen.h` (the engine
 * checks the same limits again).
 *
 * @module
 */

import type { FlowModel, PatternType } from "./types.ts";

/** `FLOWGEN_MAX_PENDING_LIMIT`: the largest `generation.bidirectional.max_pending`. */
export const MAX_PENDING_LIMIT = 1 << 24;
/** `FLOWGEN_MAX_BATCH`: the largest `generation.batch_size`. */
export const MAX_BATCH = 1 << 20;
/**
 * The most records of batch memory a generator may ask for: `threads × batch_size` (each
 * thread fills its own batch; a record takes about 96 bytes in the columns), so at most
 * about 400 MB. A resource limit: such a config is refused instead of allocated.
 */
export const MAX_BATCH_RECORDS = 1 << 22;
/** Bytes per record of the batch columns (the sum of the FLOWGEN_COL_* element sizes). */
export const BATCH_RECORD_BYTES = 96;
/** The most worker threads `generation.threads` may ask for. */
export const MAX_THREADS = 64;
/** The most traffic patterns the engine supports (the pattern column is a byte). */
export const MAX_PATTERNS = 255;
/** The smallest `generation.rate.bandwidth_gbps` the engine accepts (1 kbit/s). */
export const MIN_BANDWIDTH_GBPS = 1e-6;
/** The largest `generation.rate.bandwidth_gbps` the engine accepts. */
export const MAX_BANDWIDTH_GBPS = 1e6;
/** The largest `generation.start_timestamp` (seconds) whose nanoseconds fit in 64 bits. */
export const MAX_START_TIMESTAMP = 18446744073;
/** The largest seed, 2^64 - 1. */
export const MAX_SEED = 0xffff_ffff_ffff_ffffn;
/** Allowed tolerance when checking that percentages sum to 100. */
export const PERCENTAGE_TOLERANCE = 1e-6;

/** The built-in traffic pattern types of the brief. */
export const BUILTIN_PATTERNS: readonly Exclude<PatternType, "custom">[] = [
  "web_traffic",
  "dns_traffic",
  "ssh_traffic",
  "database_traffic",
  "smtp_traffic",
  "ftp_traffic",
  "random",
];

/** Every `traffic_patterns[].type`. */
export const PATTERN_TYPES: readonly PatternType[] = [...BUILTIN_PATTERNS, "custom"];

/** `generation.flow_model` and per-pattern `flow_model`. */
export const FLOW_MODELS: readonly FlowModel[] = ["packet", "flow"];

/** Protocol names accepted for custom patterns, with their IP protocol numbers. */
export const PROTOCOL_NAMES: Readonly<Record<string, number>> = {
  tcp: 6,
  udp: 17,
  icmp: 1,
  icmpv6: 58,
};

/** `output.format`. */
export const OUTPUT_FORMATS: readonly ("csv" | "json" | "jsonl")[] = ["csv", "json", "jsonl"];

/** Record fields available to text outputs (`output.fields`), the brief's seven first. */
export const OUTPUT_FIELDS: readonly string[] = [
  "timestamp",
  "src_ip",
  "dst_ip",
  "src_port",
  "dst_port",
  "protocol",
  "length",
  "packets",
  "bytes",
  "duration",
  "tcp_flags",
  "flow_id",
  "direction",
  "pattern",
  "ip_version",
];

/** A custom pattern name: a letter, digit or `_`, then up to 63 of those or `.`/`-`. */
export const PATTERN_NAME_RE: RegExp = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;
