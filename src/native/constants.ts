/**
 * Constants of the C ABI (`#define`s of `native/include/flowgen/flowgen.h`).
 *
 * @module
 */

/** Status codes returned by the fallible functions of the ABI. */
export const Status = {
  OK: 0,
  INVALID_ARGUMENT: -1,
  INVALID_CONFIG: -2,
  IO: -3,
  STATE: -4,
  NO_MEMORY: -5,
  CHECKPOINT: -6,
  UNSUPPORTED: -7,
  BUFFER_TOO_SMALL: -8,
  INTERNAL: -99,
} as const;

/** Column identifiers (`FLOWGEN_COL_*`). */
export const Column = {
  TIMESTAMP_NS: 0,
  TIMESTAMP_S: 1,
  DURATION_NS: 2,
  IP_VERSION: 3,
  SRC_IP4: 4,
  DST_IP4: 5,
  SRC_IP6: 6,
  DST_IP6: 7,
  SRC_PORT: 8,
  DST_PORT: 9,
  PROTOCOL: 10,
  TCP_FLAGS: 11,
  LENGTH: 12,
  PACKETS: 13,
  BYTES: 14,
  FLOW_ID: 15,
  DIRECTION: 16,
  PATTERN: 17,
} as const;

/** Number of columns (`FLOWGEN_COLUMN_COUNT`). */
export const COLUMN_COUNT = 18;

/** Bytes per record of each column, indexed by column id. */
export const COLUMN_ELEMENT_BYTES: readonly number[] = [
  8, // timestamp_ns
  8, // timestamp_s
  8, // duration_ns
  1, // ip_version
  4, // src_ip4
  4, // dst_ip4
  16, // src_ip6
  16, // dst_ip6
  2, // src_port
  2, // dst_port
  1, // protocol
  1, // tcp_flags
  2, // length
  4, // packets
  8, // bytes
  8, // flow_id
  1, // direction
  1, // pattern
];

/** Output formats (`FLOWGEN_FORMAT_*`). */
export const Format = {
  CSV: 1,
  JSON: 2,
  JSONL: 3,
  NETFLOW5: 4,
  NETFLOW9: 5,
  IPFIX: 6,
} as const;

/** Encoder parameters (`FLOWGEN_PARAM_*`). */
export const Param = {
  CSV_HEADER: 1,
  JSON_PRETTY: 2,
  CONTAINER: 3,
  MTU: 4,
  TEMPLATE_PACKETS: 5,
  TEMPLATE_SECONDS: 6,
  DOMAIN_ID: 7,
  ENGINE_TYPE: 8,
  ENGINE_ID: 9,
  SAMPLING_INTERVAL: 10,
  SKIP_UNSUPPORTED: 11,
  IPFIX_NANOSECONDS: 12,
  IPFIX_BIFLOW: 13,
  SOURCE_PORT: 14,
  DESTINATION_PORT: 15,
  WRITER_THREAD: 16,
  BUFFER_BYTES: 17,
} as const;

/** Containers of packet formats (`FLOWGEN_CONTAINER_*`). */
export const Container = { NONE: 0, PCAP: 1, PCAPNG: 2 } as const;

/** Record shapes (`FLOWGEN_MODEL_*`). */
export const Model = { PACKET: 0, FLOW: 1 } as const;

/** Distributions (`FLOWGEN_DIST_*`). */
export const Dist = {
  fixed: 0,
  uniform: 1,
  normal: 2,
  lognormal: 3,
  pareto: 4,
  empirical: 5,
} as const;

/** Quantities a pattern distribution describes (`FLOWGEN_Q_*`). */
export const Quantity = {
  PACKET_SIZE: 0,
  PACKETS: 1,
  DURATION_MS: 2,
  RESPONSE_PACKET_SIZE: 3,
  RESPONSE_PACKETS: 4,
} as const;

/** `sizeof(flowgen_stats)`: seven u64 then three f64. */
export const STATS_SIZE = 80;
/** `sizeof(flowgen_encoder_stats)`: four u64. */
export const ENCODER_STATS_SIZE = 32;
