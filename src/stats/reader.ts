/**
 * Streaming reader of flow records for `flowgen stats`: CSV (header-driven, so both the
 * brief's 7-column CSV and the extended `--fields` CSV work; a file without a header is
 * read as the brief's columns) and JSON Lines. Only the fields the report needs are kept.
 *
 * @module
 */

/** The fields of a record the report uses; absent columns are `undefined`. */
export interface StatRecord {
  protocol: number;
  dst_port: number;
  /** Packet length (mean packet size of a multi-packet flow). */
  length: number;
  packets?: number;
  bytes?: number;
  pattern?: string;
  flow_id?: number;
  /** true for a response record. */
  response?: boolean;
}

/** A malformed input (exit code 2), with the file and line in the message. */
export class InputError extends Error {
  /** Creates the error. */
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** The brief's CSV columns, used when a file has no header line. */
export const BRIEF_COLUMNS: readonly string[] = [
  "timestamp",
  "src_ip",
  "dst_ip",
  "src_port",
  "dst_port",
  "protocol",
  "length",
];

/** Input formats. */
export type InputFormat = "csv" | "jsonl";

/** The format of `path` by its extension: `.jsonl`/`.ndjson`/`.json` are JSON Lines. */
export function formatOf(path: string): InputFormat {
  return /\.(jsonl|ndjson|json)$/i.test(path) ? "jsonl" : "csv";
}

/** Splits a byte stream into text lines (any of \n, \r\n), without the line ends. */
export async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let rest = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    rest += chunk;
    let start = 0;
    let end: number;
    while ((end = rest.indexOf("\n", start)) >= 0) {
      yield rest.slice(start, end > start && rest[end - 1] === "\r" ? end - 1 : end);
      start = end + 1;
    }
    rest = rest.slice(start);
  }
  if (rest.length > 0) yield rest.endsWith("\r") ? rest.slice(0, -1) : rest;
}

/**
 * Splits one CSV line; double-quoted fields may hold commas and doubled quotes.
 *
 * @example
 * ```ts
 * import { splitCsv } from "./reader.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(splitCsv('1,"a, ""b""",3'), ["1", 'a, "b"', "3"]);
 * ```
 */
export function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(",");
  const out: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      out.push(field);
      field = "";
    } else {
      field += c;
    }
  }
  out.push(field);
  return out;
}

function isResponse(value: unknown): boolean {
  return value === "response" || value === 1 || value === "1";
}

function numberField(
  value: unknown,
  name: string,
  where: string,
  required: boolean,
): number | undefined {
  if (value === undefined || value === "" || value === null) {
    if (required) throw new InputError(`${where}: missing field "${name}"`);
    return undefined;
  }
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isFinite(n)) {
    throw new InputError(
      `${where}: field "${name}" must be a number, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** Builds a StatRecord from field values by name (CSV cells or JSON properties). */
function toRecord(get: (name: string) => unknown, where: string): StatRecord {
  const length = get("length") ?? get("packet_length");
  const flowId = numberField(get("flow_id"), "flow_id", where, false);
  const direction = get("direction");
  const pattern = get("pattern");
  return {
    protocol: numberField(get("protocol"), "protocol", where, true)!,
    dst_port: numberField(get("dst_port") ?? get("destination_port"), "dst_port", where, true)!,
    length: numberField(length, "length", where, true)!,
    packets: numberField(get("packets"), "packets", where, false),
    bytes: numberField(get("bytes"), "bytes", where, false),
    pattern: pattern === undefined || pattern === "" ? undefined : String(pattern),
    flow_id: flowId,
    response: direction === undefined || direction === "" ? undefined : isResponse(direction),
  };
}

/** Reads CSV records from text lines; `name` is used in error messages. */
export async function* csvRecords(
  source: AsyncIterable<string>,
  name: string,
): AsyncGenerator<StatRecord> {
  let columns: Map<string, number> | undefined;
  let lineNumber = 0;
  for await (const line of source) {
    lineNumber++;
    if (line.trim() === "") continue;
    const cells = splitCsv(line);
    if (columns === undefined) {
      // A header starts with a field name; a data line starts with a timestamp digit.
      const header = !/^\s*[-\d.]/.test(cells[0]);
      const names = header ? cells.map((c) => c.trim()) : BRIEF_COLUMNS;
      columns = new Map(names.map((n, i) => [n, i]));
      const missing = ["protocol", "dst_port", "length"].filter((n) =>
        !columns!.has(n) && !(n === "length" && columns!.has("packet_length"))
      );
      if (missing.length > 0) {
        throw new InputError(
          `${name}:${lineNumber}: the header has no ${missing.join(", ")} column`,
        );
      }
      if (header) continue;
    }
    const where = `${name}:${lineNumber}`;
    if (cells.length !== columns.size) {
      throw new InputError(`${where}: ${cells.length} fields, the header has ${columns.size}`);
    }
    const index = columns;
    yield toRecord((field) => {
      const i = index.get(field);
      return i === undefined ? undefined : cells[i];
    }, where);
  }
}

/** Reads JSON Lines records from text lines; `name` is used in error messages. */
export async function* jsonlRecords(
  source: AsyncIterable<string>,
  name: string,
): AsyncGenerator<StatRecord> {
  let lineNumber = 0;
  for await (const line of source) {
    lineNumber++;
    if (line.trim() === "") continue;
    const where = `${name}:${lineNumber}`;
    let object: Record<string, unknown>;
    try {
      object = JSON.parse(line);
    } catch (error) {
      throw new InputError(`${where}: not JSON (${(error as Error).message})`);
    }
    if (typeof object !== "object" || object === null || Array.isArray(object)) {
      throw new InputError(`${where}: expected a JSON object per line`);
    }
    yield toRecord((field) => object[field], where);
  }
}

/** Reads the records of a stream in `format`. */
export function readRecords(
  stream: ReadableStream<Uint8Array>,
  format: InputFormat,
  name: string,
): AsyncGenerator<StatRecord> {
  const source = lines(stream);
  return format === "csv" ? csvRecords(source, name) : jsonlRecords(source, name);
}
