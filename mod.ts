/**
 * FlowGen: a high-performance generator of realistic synthetic network flow records, for
 * testing flow collectors, SIEM and analytics pipelines, IDS models and network tools.
 *
 * A TypeScript API over a C++ engine (libflowgen, loaded through FFI): records come one
 * at a time from an iterator, or a batch at a time as typed-array columns read zero-copy
 * from the engine's memory; CSV, JSON and JSON Lines are formatted natively.
 *
 * Build the native library once with `deno task build` (or point `FLOWGEN_LIB` at one);
 * run with `--allow-ffi` (and `--allow-read`/`--allow-write` for files, `--allow-env` for
 * `FLOWGEN_LIB`).
 *
 * @example Generate and export
 * ```ts
 * import { exportCsv, FlowGenerator } from "./mod.ts";
 *
 * const generator = new FlowGenerator();
 * await generator.initialize(new URL("./configs/example_config.yaml", import.meta.url));
 *
 * const flows = [];
 * for (const flow of generator) {
 *   flows.push(flow);
 *   if (flows.length === 1000) break;
 * }
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * exportCsv(flows, file);
 *
 * const stats = generator.getStats();
 * console.log(`Generated ${stats.flows_generated.toLocaleString()} flows`);
 * console.log(`Rate: ${Math.round(stats.flows_per_second).toLocaleString()} flows/sec`);
 * generator.close();
 * await Deno.remove(file);
 * ```
 *
 * @module
 */

export {
  type FlowGenConfigInput,
  FlowGenerator,
  type FlowStats,
  resolveConfig,
} from "./src/generator.ts";
export { FlowBatch } from "./src/batch.ts";
export type { BatchColumns } from "./src/native/columns.ts";
export type { FlowRecord, FlowRecordObject } from "./src/record.ts";
export {
  exportCsv,
  type ExportCsvOptions,
  exportJson,
  exportJsonLines,
  type ExportJsonOptions,
  type ExportOptions,
  type ExportResult,
  type FlowRecordInput,
  type FlowSource,
} from "./src/exporters.ts";
export { ClosedError, EngineError, LibraryError } from "./src/errors.ts";
export { CheckpointError } from "./src/checkpoint.ts";
export {
  ConfigError,
  type ConfigErrorOptions,
  type ConfigPath,
  type ConfigPathSegment,
  configSchema,
  type ConfigSource,
  defaultConfig,
  type Distribution,
  type FileReader,
  type FlowGenConfig,
  type FlowModel,
  type JsonSchema,
  loadConfigFile,
  type LoadConfigOptions,
  parseConfig,
  type PatternConfig,
  type PatternType,
  type SourcePosition,
  validateConfig,
} from "./src/config/mod.ts";
export { ipv4ToString, ipv6ToString, parseIpv4, parseIpv6 } from "./src/ip.ts";
export { libraryVersion } from "./src/version.ts";
export {
  exportPackets,
  type PacketExportResult,
  type PacketFileOptions,
  type PacketFormat,
  type PacketOptions,
} from "./src/packet_export.ts";
export { sendFlows, type SendOptions, type SendProgress, type SendResult } from "./src/send.ts";
