/**
 * Exporters of the brief: {@linkcode exportCsv}, {@linkcode exportJson},
 * {@linkcode exportJsonLines}. All formatting is done by the engine's native encoders:
 *
 * - given a {@linkcode FlowGenerator}, the generator's batches stream straight into the
 *   encoder and the file (the fast path; memory stays constant however many records);
 * - given records (an array or any iterable of {@linkcode FlowRecordInput}), the records
 *   are written into an engine batch and encoded the same way, so the bytes are identical
 *   to the streamed ones.
 *
 * Output goes to a temporary file in the target's directory, renamed over the target at
 * the end: a failed export leaves no partial file.
 *
 * @module
 */

import { OutputFile } from "./output_file.ts";
import { FlowGenerator, nativeGeneratorOf } from "./generator.ts";
import { loadLibrary } from "./native/loader.ts";
import { NativeEncoder, TEXT_FORMATS, writerThreadPays } from "./native/encoder.ts";
import { Param } from "./native/constants.ts";
import { type FlowRecordInput, RecordFeed } from "./native/record_feed.ts";
import { RecordImpl } from "./record.ts";
import type { NativeGenerator } from "./native/generator_handle.ts";

export type { FlowRecordInput } from "./native/record_feed.ts";

/** Options common to every exporter. */
export interface ExportOptions {
  /**
   * Fields to write, in order (names of the engine's text encoders: `timestamp`, `src_ip`,
   * `dst_ip`, `src_port`, `dst_port`, `protocol`, `length`, `packets`, `bytes`,
   * `duration`, `tcp_flags`, `flow_id`, `direction`, `pattern`, `ip_version`). Default:
   * the brief's seven.
   */
  fields?: readonly string[] | string;
  /**
   * With a generator: stop after this many records (default: until the generator is done;
   * a generator without `max_flows` needs this).
   */
  maxRecords?: number;
}

/** Options of {@linkcode exportCsv}. */
export interface ExportCsvOptions extends ExportOptions {
  /** Write the header line (default true). */
  includeHeader?: boolean;
}

/** Options of {@linkcode exportJson}. */
export interface ExportJsonOptions extends ExportOptions {
  /** Pretty-print with a 2-space indent (default true). */
  pretty?: boolean;
}

/** What an export wrote. */
export interface ExportResult {
  /** Records written. */
  records: number;
  /** Bytes written. */
  bytes: number;
}

/** What the exporters accept: a generator (streamed) or records. */
export type FlowSource = FlowGenerator | Iterable<FlowRecordInput>;

function fieldList(fields: readonly string[] | string | undefined): string | undefined {
  if (fields === undefined) return undefined;
  return typeof fields === "string" ? fields : fields.join(",");
}

/**
 * Streams the rest of a generator's records into `encoder`, stopping after `limit`
 * records; returns how many were encoded. Records of the current batch not handed out yet
 * come first.
 */
export function streamGenerator(
  g: NativeGenerator,
  encoder: NativeEncoder,
  feed: RecordFeed,
  limit: number = Infinity,
  onBatch?: (records: number) => void,
): number {
  let count = 0;
  if (g.cursor < g.size) {
    const take = Math.min(g.size - g.cursor, limit);
    const rest: RecordImpl[] = [];
    for (let i = 0; i < take; i++) {
      rest.push(new RecordImpl(g.columns, g.cursor + i, g.patternNames));
    }
    g.cursor += take;
    count += feed.write(rest);
    onBatch?.(count);
  }
  const handle = g.handle();
  while (count < limit) {
    const n = g.fill(Math.min(g.capacity, limit - count));
    if (n === 0) break;
    g.cursor = n;
    encoder.encode(handle);
    count += n;
    onBatch?.(count);
  }
  return count;
}

function exportTo(
  flows: FlowSource,
  filename: string,
  format: number,
  configure: (encoder: NativeEncoder) => void,
  options: ExportOptions,
): ExportResult {
  if (typeof filename !== "string" || filename === "") {
    throw new TypeError("Expected a file name");
  }
  const isGenerator = flows instanceof FlowGenerator;
  const native = isGenerator ? nativeGeneratorOf(flows) : undefined;
  if (native && options.maxRecords === undefined && native.config.generation.max_flows === 0) {
    throw new RangeError(
      "The generator has no max_flows: pass { maxRecords } to export a finite number of records",
    );
  }
  const lib = loadLibrary();
  const encoder = new NativeEncoder(lib, format);
  const feed = new RecordFeed(lib, encoder);
  const output = new OutputFile(filename);
  try {
    configure(encoder);
    if (native && writerThreadPays(native.config.generation.threads)) {
      encoder.setParam(Param.WRITER_THREAD, true);
    }
    const fields = fieldList(options.fields);
    if (fields !== undefined) encoder.setFields(fields);
    output.open((path) => encoder.open(path));
    const records = native
      ? streamGenerator(native, encoder, feed, options.maxRecords ?? Infinity)
      : feed.write(flows as Iterable<FlowRecordInput>);
    encoder.finish();
    const bytes = encoder.stats().bytes;
    encoder.free();
    output.commit();
    return { records, bytes };
  } finally {
    feed.free();
    encoder.free();
    output.discard();
  }
}

/**
 * Writes flows as CSV: by default the brief's header and columns
 * (`timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length`).
 *
 * @example Stream a generator to a file
 * ```ts
 * import { exportCsv, FlowGenerator } from "../mod.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".csv" });
 * using generator = new FlowGenerator({
 *   generation: { max_flows: 1000, seed: 7 },
 *   traffic_patterns: [{ type: "web_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * const { records } = exportCsv(generator, file);
 * console.log(records); // 1000
 * await Deno.remove(file);
 * ```
 */
export function exportCsv(
  flows: FlowSource,
  filename: string,
  options: ExportCsvOptions = {},
): ExportResult {
  return exportTo(flows, filename, TEXT_FORMATS.csv, (encoder) => {
    encoder.setParam(Param.CSV_HEADER, options.includeHeader ?? true);
  }, options);
}

/**
 * Writes flows as one JSON array of objects (pretty-printed by default).
 *
 * @example Export records collected from the iterator
 * ```ts
 * import { exportJson, FlowGenerator, type FlowRecord } from "../mod.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".json" });
 * using generator = new FlowGenerator({
 *   generation: { max_flows: 10, seed: 7 },
 *   traffic_patterns: [{ type: "dns_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * const flows: FlowRecord[] = [...generator];
 * exportJson(flows, file, { pretty: false });
 * console.log(JSON.parse(await Deno.readTextFile(file)).length); // 10
 * await Deno.remove(file);
 * ```
 */
export function exportJson(
  flows: FlowSource,
  filename: string,
  options: ExportJsonOptions = {},
): ExportResult {
  return exportTo(flows, filename, TEXT_FORMATS.json, (encoder) => {
    encoder.setParam(Param.JSON_PRETTY, options.pretty ?? true);
  }, options);
}

/**
 * Writes flows as JSON Lines: one JSON object per line.
 *
 * @example
 * ```ts
 * import { exportJsonLines, FlowGenerator } from "../mod.ts";
 *
 * const file = await Deno.makeTempFile({ suffix: ".jsonl" });
 * using generator = new FlowGenerator({
 *   generation: { max_flows: 3, seed: 7 },
 *   traffic_patterns: [{ type: "ssh_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * exportJsonLines(generator, file);
 * console.log((await Deno.readTextFile(file)).trim().split("\n").length); // 3
 * await Deno.remove(file);
 * ```
 */
export function exportJsonLines(
  flows: FlowSource,
  filename: string,
  options: ExportOptions = {},
): ExportResult {
  return exportTo(flows, filename, TEXT_FORMATS.jsonl, () => {}, options);
}
