/**
 * The typed symbol table of libflowgen: every function of
 * `native/include/flowgen/flowgen.h`, in the format of `Deno.dlopen`.
 *
 * This table is the single description of the C ABI on the TypeScript side. The Deno
 * backend passes it to `Deno.dlopen` as is; the Node (koffi) and Bun (`bun:ffi`) backends
 * translate the same table. Parameter conventions:
 *
 * - `"pointer"`: an opaque handle (`flowgen_config*`, `flowgen_generator*`, ...).
 * - `"buffer"`: memory the caller owns: a NUL-terminated string (`const char*`, see
 *   {@linkcode cstr} in `backend.ts`), an array (`const double*`), an out-pointer cell
 *   (`flowgen_generator**`, 8 bytes) or a struct to fill (`flowgen_stats*`).
 * - `"u64"` / `"i64"`: only on cold functions (config setters); hot functions take and
 *   return 32-bit integers and pointers only, since a 64-bit value becomes a BigInt.
 *
 * @module
 */

/** The ABI version this module was written for (`FLOWGEN_ABI_VERSION` of flowgen.h). */
export const FLOWGEN_ABI_VERSION = 1;

/**
 * Every function of flowgen.h with its parameter and result types (`Deno.dlopen` format).
 *
 * @example Count the functions of the ABI
 * ```ts
 * import { SYMBOLS } from "./ffi.ts";
 * import assert from "node:assert/strict";
 *
 * assert(Object.keys(SYMBOLS).length > 50);
 * ```
 */
export const SYMBOLS = {
  // version
  flowgen_abi_version: { parameters: [], result: "u32" },
  flowgen_version: { parameters: [], result: "pointer" },
  // status
  flowgen_status_string: { parameters: ["i32"], result: "pointer" },
  // config
  flowgen_config_new: { parameters: [], result: "pointer" },
  flowgen_config_free: { parameters: ["pointer"], result: "void" },
  flowgen_config_error: { parameters: ["pointer"], result: "pointer" },
  flowgen_config_set_max_flows: { parameters: ["pointer", "u64"], result: "i32" },
  flowgen_config_set_bandwidth_gbps: { parameters: ["pointer", "f64"], result: "i32" },
  flowgen_config_set_start_timestamp_ns: { parameters: ["pointer", "u64"], result: "i32" },
  flowgen_config_set_seed: { parameters: ["pointer", "u64"], result: "i32" },
  flowgen_config_set_flow_model: { parameters: ["pointer", "i32"], result: "i32" },
  flowgen_config_set_bidirectional: { parameters: ["pointer", "f64"], result: "i32" },
  flowgen_config_set_rtt_ms: { parameters: ["pointer", "i32", "f64", "f64"], result: "i32" },
  flowgen_config_set_max_pending: { parameters: ["pointer", "u32"], result: "i32" },
  flowgen_config_set_shard: { parameters: ["pointer", "u32", "u32"], result: "i32" },
  flowgen_config_set_threads: { parameters: ["pointer", "u32"], result: "i32" },
  flowgen_config_set_batch_size: { parameters: ["pointer", "u32"], result: "i32" },
  flowgen_config_set_packet_sizes: {
    parameters: ["pointer", "u32", "u32", "u32"],
    result: "i32",
  },
  flowgen_config_add_source_subnet: { parameters: ["pointer", "buffer"], result: "i32" },
  flowgen_config_add_destination_subnet: { parameters: ["pointer", "buffer"], result: "i32" },
  flowgen_config_set_source_weights: {
    parameters: ["pointer", "buffer", "u32"],
    result: "i32",
  },
  flowgen_config_set_destination_weights: {
    parameters: ["pointer", "buffer", "u32"],
    result: "i32",
  },
  flowgen_config_add_pattern: { parameters: ["pointer", "buffer", "f64"], result: "i32" },
  flowgen_config_add_custom_pattern: {
    parameters: ["pointer", "buffer", "u32", "f64"],
    result: "i32",
  },
  flowgen_config_pattern_add_port: {
    parameters: ["pointer", "i32", "u32", "f64"],
    result: "i32",
  },
  flowgen_config_pattern_set_distribution: {
    parameters: ["pointer", "i32", "i32", "i32", "f64", "f64"],
    result: "i32",
  },
  flowgen_config_pattern_set_empirical: {
    parameters: ["pointer", "i32", "i32", "buffer", "buffer", "u32"],
    result: "i32",
  },
  flowgen_config_pattern_set_flow_model: {
    parameters: ["pointer", "i32", "i32"],
    result: "i32",
  },
  flowgen_config_pattern_set_bidirectional: {
    parameters: ["pointer", "i32", "f64"],
    result: "i32",
  },
  // generator
  flowgen_generator_new: { parameters: ["pointer", "buffer"], result: "i32" },
  flowgen_generator_free: { parameters: ["pointer"], result: "void" },
  flowgen_generator_error: { parameters: ["pointer"], result: "pointer" },
  flowgen_generator_next_batch: { parameters: ["pointer", "u32"], result: "i32" },
  flowgen_generator_batch_size: { parameters: ["pointer"], result: "u32" },
  flowgen_generator_batch_capacity: { parameters: ["pointer"], result: "u32" },
  flowgen_generator_column: { parameters: ["pointer", "i32"], result: "pointer" },
  flowgen_generator_pattern_name: { parameters: ["pointer", "u32"], result: "pointer" },
  flowgen_generator_pattern_count: { parameters: ["pointer"], result: "u32" },
  flowgen_generator_is_done: { parameters: ["pointer"], result: "i32" },
  flowgen_generator_reset: { parameters: ["pointer"], result: "i32" },
  flowgen_generator_stats: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  flowgen_generator_checkpoint: {
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  flowgen_generator_restore: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  // encoders
  flowgen_encoder_new: { parameters: ["i32", "buffer"], result: "i32" },
  flowgen_encoder_free: { parameters: ["pointer"], result: "void" },
  flowgen_encoder_error: { parameters: ["pointer"], result: "pointer" },
  flowgen_encoder_set_param: { parameters: ["pointer", "i32", "i64"], result: "i32" },
  flowgen_encoder_set_fields: { parameters: ["pointer", "buffer"], result: "i32" },
  flowgen_encoder_open: { parameters: ["pointer", "buffer", "i32"], result: "i32" },
  flowgen_encoder_set_fd: { parameters: ["pointer", "i32"], result: "i32" },
  flowgen_encoder_encode: { parameters: ["pointer", "pointer"], result: "i32" },
  flowgen_encoder_encode_next: { parameters: ["pointer", "pointer", "u32"], result: "i32" },
  flowgen_encoder_finish: { parameters: ["pointer"], result: "i32" },
  flowgen_encoder_flush: { parameters: ["pointer"], result: "i32" },
  flowgen_encoder_data: { parameters: ["pointer"], result: "pointer" },
  flowgen_encoder_size: { parameters: ["pointer"], result: "u32" },
  flowgen_encoder_packet_count: { parameters: ["pointer"], result: "u32" },
  flowgen_encoder_packet_ends: { parameters: ["pointer"], result: "pointer" },
  flowgen_encoder_consume: { parameters: ["pointer"], result: "i32" },
  flowgen_encoder_stats: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  flowgen_encoder_checkpoint: {
    parameters: ["pointer", "buffer", "u32", "buffer"],
    result: "i32",
  },
  flowgen_encoder_restore: { parameters: ["pointer", "buffer", "u32"], result: "i32" },
  // UDP export
  flowgen_udp_open: {
    parameters: ["buffer", "u32", "u32", "buffer", "buffer", "u32"],
    result: "i32",
  },
  flowgen_udp_free: { parameters: ["pointer"], result: "void" },
  flowgen_udp_send_encoded: { parameters: ["pointer", "pointer"], result: "i32" },
  flowgen_udp_errors: { parameters: ["pointer"], result: "u32" },
} as const;

/** The type of {@linkcode SYMBOLS}. */
export type SymbolTable = typeof SYMBOLS;
