/**
 * FlowGen configuration: YAML/JSON parsing, validation with precise errors (key path,
 * file, line and column; did-you-mean for unknown keys), the normalized
 * {@linkcode FlowGenConfig}, the built-in default config (the brief's example), and the
 * JSON Schema of the file format (`configs/flowgen.schema.json`; in YAML files:
 * `# yaml-language-server: $schema=./flowgen.schema.json`).
 *
 * ```ts
 * import { ConfigError, defaultConfig, parseConfig } from "./mod.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(defaultConfig().generation.bandwidth_gbps, 10);
 * try {
 *   parseConfig("generation:\n  max_flow: 10\n", "x.yaml");
 * } catch (e) {
 *   assertEquals(e instanceof ConfigError, true);
 *   assertEquals((e as ConfigError).errors[0].message, 'x.yaml:2:3 generation.max_flow: unknown key (did you mean "max_flows"?)');
 * }
 * ```
 *
 * ## Keys (defaults in brackets; every key is checked, unknown keys are errors)
 *
 * - `generation`: `max_flows` [0 = unlimited; the example config says 1000000],
 *   `rate.bandwidth_gbps` [10; 0.000001..1000000], `start_timestamp` (Unix seconds) [now],
 *   `seed` (0..2^64-1, a number or a string of digits; quote seeds above 2^53) [random],
 *   `flow_model` (`packet` | `flow`) [packet], `bidirectional` (a probability, or
 *   `{probability, rtt_ms: distribution, max_pending: 1..16777216}`) [0], `shard`
 *   (`"I/N"` or `{index, count}`, 0-based), `threads` (1..64) [1], `batch_size`
 *   (1..1048576) [16384]; `threads × batch_size` ≤ 4194304 records (≈ 400 MB).
 * - `traffic_patterns` (required, 1..255 entries, percentages sum to 100 ± 1e-6): `type`
 *   (web_traffic, dns_traffic, ssh_traffic, database_traffic, smtp_traffic, ftp_traffic,
 *   random, custom), `percentage` (0..100), optional `name` (required and unique for
 *   custom), `flow_model`, `bidirectional` (probability), distributions `packet_size`,
 *   `packets`, `duration_ms`, `response_packet_size`, `response_packets`; custom only:
 *   `protocol` (0..255 or tcp, udp, icmp, icmpv6), `ports` (required for tcp/udp: numbers
 *   or `{port, weight}`).
 * - Distributions: a number (fixed), or `{distribution: fixed, value}`, `uniform {min,
 *   max}`, `normal {mean, stddev}`, `lognormal {mu, sigma}`, `pareto {scale, shape}`,
 *   `empirical {values, weights}`.
 * - `network` (required): `source_subnets`, `destination_subnets` (non-empty lists of IPv4
 *   or IPv6 CIDRs), `source_weights`, `destination_weights` (one per subnet, ≥ 0, not all
 *   0) [equal]. A CIDR with host bits set (`192.168.1.5/24`) is an error suggesting the
 *   network address; two subnets of one list may not overlap; every source family needs a
 *   destination subnet of the same family.
 * - `packets`: `min_size` [64], `max_size` [1500], `average_size` [800];
 *   20 ≤ min ≤ average ≤ max ≤ 65535.
 * - `output`: `format` (csv | json | jsonl), `fields` (list or comma-separated:
 *   timestamp, src_ip, dst_ip, src_port, dst_port, protocol, length, packets, bytes,
 *   duration, tcp_flags, flow_id, direction, pattern, ip_version), `include_header`,
 *   `pretty`.
 * - `export`: `mtu` (576..65535), `template_packets`, `template_seconds`, `domain_id`,
 *   `engine_type`, `engine_id`, `sampling_interval`, `skip_unsupported`,
 *   `ipfix_nanoseconds`, `ipfix_biflow`, `source_port`.
 *
 * @module
 */

export type {
  Distribution,
  FlowGenConfig,
  FlowModel,
  PatternConfig,
  PatternType,
} from "./types.ts";
export {
  ConfigError,
  type ConfigErrorOptions,
  type ConfigPath,
  type ConfigPathSegment,
  formatPath,
} from "./errors.ts";
export type { ConfigSource, SourcePosition } from "./checker.ts";
export { validateConfig } from "./validate.ts";
export { type ConfigSyntax, parseConfig, parseConfigText, type ParsedConfigText } from "./parse.ts";
export { type FileReader, loadConfigFile, type LoadConfigOptions } from "./load.ts";
export { defaultConfig } from "./default.ts";
export { EXAMPLE_CONFIG_YAML } from "./example_config.ts";
export { configSchema, type JsonSchema } from "./schema.ts";
export {
  BUILTIN_PATTERNS,
  MAX_BATCH,
  MAX_BATCH_RECORDS,
  MAX_PENDING_LIMIT,
  MAX_THREADS,
  OUTPUT_FIELDS,
  OUTPUT_FORMATS,
  PATTERN_TYPES,
  PROTOCOL_NAMES,
} from "./limits.ts";
