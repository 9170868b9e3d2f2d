/**
 * Streaming k-way merge of flow files (CSV or JSON Lines) by timestamp: the shard outputs of
 * `flowgen generate --shard I/N` become one trace in timestamp order. Memory stays constant
 * (one buffered reader per input); records with equal timestamps keep the order of the
 * inputs, so the merge is deterministic.
 *
 * @module
 */

import { closeSync, openSync, readSync, writeSync } from "node:fs";

/** Formats {@linkcode mergeFlowFiles} reads and writes. */
export type MergeFormat = "csv" | "jsonl";

/** Reads a file line by line in large chunks (no trailing newline in the lines). */
export class LineReader {
  readonly #fd: number;
  readonly #chunk: Uint8Array;
  readonly #decoder = new TextDecoder();
  #lines: string[] = [];
  #index = 0;
  #rest = "";
  #eof = false;
  #pushedBack: string | undefined;

  /** Opens `path` for reading. */
  constructor(path: string, chunkBytes = 1 << 16) {
    this.#fd = openSync(path, "r");
    this.#chunk = new Uint8Array(chunkBytes);
  }

  /** The next line, or `undefined` at the end of the file. */
  next(): string | undefined {
    if (this.#pushedBack !== undefined) {
      const line = this.#pushedBack;
      this.#pushedBack = undefined;
      return line;
    }
    while (this.#index >= this.#lines.length) {
      if (this.#eof) return undefined;
      const n = readSync(this.#fd, this.#chunk, 0, this.#chunk.length, null);
      let text: string;
      if (n === 0) {
        this.#eof = true;
        text = this.#rest + this.#decoder.decode();
        this.#rest = "";
        this.#lines = text === "" ? [] : [text];
      } else {
        text = this.#rest + this.#decoder.decode(this.#chunk.subarray(0, n), { stream: true });
        const lines = text.split("\n");
        this.#rest = lines.pop()!;
        this.#lines = lines;
      }
      this.#index = 0;
    }
    const line = this.#lines[this.#index++];
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  }

  /** Makes `line` the next line returned (one line at most). */
  unread(line: string): void {
    this.#pushedBack = line;
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * A sort key for a decimal timestamp text: integer seconds and nanoseconds, exact (a
 * float64 cannot hold nanoseconds of today's Unix time).
 *
 * @example
 * ```ts
 * import { timestampKey } from "./merge.ts";
 * import { deepStrictEqual } from "node:assert/strict";
 *
 * deepStrictEqual(timestampKey("1704067200.000001"), [1704067200, 1000]);
 * ```
 */
export function timestampKey(text: string): [number, number] {
  const trimmed = text.trim().replace(/^"|"$/g, "");
  // Number("") is 0: an empty cell must be an error, not the epoch.
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) {
    throw new Error(`not a timestamp: "${text}"`);
  }
  const dot = trimmed.indexOf(".");
  if (dot < 0 || /e/i.test(trimmed)) {
    const value = Number(trimmed);
    if (!Number.isFinite(value)) throw new Error(`not a timestamp: "${text}"`);
    const seconds = Math.floor(value);
    return [seconds, Math.round((value - seconds) * 1e9)];
  }
  const seconds = Number(trimmed.slice(0, dot));
  const fraction = trimmed.slice(dot + 1, dot + 10).padEnd(9, "0");
  const nanos = Number(fraction);
  if (!Number.isFinite(seconds) || !/^\d+$/.test(fraction)) {
    throw new Error(`not a timestamp: "${text}"`);
  }
  return [seconds, nanos];
}

const JSON_TIMESTAMP = /"timestamp"\s*:\s*("?[-+0-9.eE]+"?)/;

/** One input of the merge: its reader, the format-specific key, and the current line. */
class Source {
  readonly reader: LineReader;
  readonly index: number;
  readonly column: number;
  readonly json: boolean;
  readonly path: string;
  line = "";
  seconds = 0;
  nanos = 0;
  lineNumber = 0;

  constructor(path: string, index: number, reader: LineReader, json: boolean, column: number) {
    this.path = path;
    this.index = index;
    this.reader = reader;
    this.json = json;
    this.column = column;
  }

  /** Reads the next non-empty line and its key; false at the end. */
  advance(): boolean {
    while (true) {
      const line = this.reader.next();
      if (line === undefined) return false;
      this.lineNumber++;
      if (line === "") continue;
      this.line = line;
      let text: string | undefined;
      if (this.json) {
        text = JSON_TIMESTAMP.exec(line)?.[1];
      } else {
        let start = 0;
        for (let c = 0; c < this.column && start >= 0; c++) {
          start = line.indexOf(",", start);
          if (start >= 0) start++;
        }
        if (start >= 0) {
          const end = line.indexOf(",", start);
          text = line.slice(start, end < 0 ? line.length : end);
        }
      }
      if (text === undefined) {
        throw new Error(`${this.path}:${this.lineNumber}: no timestamp in this line`);
      }
      try {
        [this.seconds, this.nanos] = timestampKey(text);
      } catch (error) {
        throw new Error(`${this.path}:${this.lineNumber}: ${(error as Error).message}`);
      }
      return true;
    }
  }
}

function before(a: Source, b: Source): boolean {
  if (a.seconds !== b.seconds) return a.seconds < b.seconds;
  if (a.nanos !== b.nanos) return a.nanos < b.nanos;
  return a.index < b.index;
}

/** A binary min-heap of sources ordered by (timestamp, input index). */
class SourceHeap {
  readonly items: Source[] = [];

  push(source: Source): void {
    const items = this.items;
    items.push(source);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  /** Restores the heap after the top's key changed (or removes it when `remove`). */
  fixTop(remove: boolean): void {
    const items = this.items;
    if (remove) {
      const last = items.pop()!;
      if (items.length === 0) return;
      items[0] = last;
    }
    let i = 0;
    const n = items.length;
    while (true) {
      const left = 2 * i + 1;
      const right = left + 1;
      let best = i;
      if (left < n && before(items[left], items[best])) best = left;
      if (right < n && before(items[right], items[best])) best = right;
      if (best === i) return;
      [items[i], items[best]] = [items[best], items[i]];
      i = best;
    }
  }
}

/** Guesses the format of a file from its name, else from its first line. */
export function detectFormat(path: string, firstLine: string | undefined): MergeFormat {
  if (/\.(jsonl|ndjson)$/i.test(path)) return "jsonl";
  if (/\.csv$/i.test(path)) return "csv";
  return firstLine?.trimStart().startsWith("{") ? "jsonl" : "csv";
}

/** What {@linkcode mergeFlowFiles} did. */
export interface MergeResult {
  /** Records written. */
  records: number;
  /** The format of the inputs (and the output). */
  format: MergeFormat;
}

/** Buffered output to a descriptor, through one reused buffer (no garbage per flush). */
class Writer {
  readonly #fd: number;
  readonly #buffer = new Uint8Array(1 << 20);
  #used = 0;
  readonly #encoder = new TextEncoder();

  constructor(fd: number) {
    this.#fd = fd;
  }

  line(text: string): void {
    // A UTF-16 unit takes at most 3 UTF-8 bytes.
    if (this.#used + text.length * 3 + 1 > this.#buffer.length) {
      this.flush();
      if (text.length * 3 + 1 > this.#buffer.length) {
        this.#write(this.#encoder.encode(`${text}\n`));
        return;
      }
    }
    const { written } = this.#encoder.encodeInto(text, this.#buffer.subarray(this.#used));
    this.#used += written;
    this.#buffer[this.#used++] = 10;
  }

  flush(): void {
    this.#write(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  #write(bytes: Uint8Array): void {
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(this.#fd, bytes, written, bytes.length - written);
    }
  }
}

/**
 * Merges flow files by timestamp into the descriptor `fd`: all CSV (with the same header, or
 * all without one; the timestamp column is found in the header, else the first) or all JSON
 * Lines (the `timestamp` key). Throws with the file and line of a bad input.
 */
export function mergeFlowFiles(paths: readonly string[], fd: number): MergeResult {
  if (paths.length === 0) throw new Error("nothing to merge: no input files");
  const readers: LineReader[] = [];
  try {
    const sources: Source[] = [];
    let format: MergeFormat | undefined;
    let header: string | undefined;
    const firsts: (string | undefined)[] = [];
    for (const path of paths) {
      const reader = new LineReader(path);
      readers.push(reader);
      firsts.push(reader.next());
    }
    for (let i = 0; i < paths.length; i++) {
      const first = firsts[i];
      const each = detectFormat(paths[i], first);
      if (format === undefined) format = each;
      if (each !== format) {
        throw new Error(`${paths[i]} is ${each}, ${paths[0]} is ${format}: merge one format`);
      }
    }
    const writer = new Writer(fd);
    let column = 0;
    const heads = firsts.map((first) =>
      format === "csv" && first !== undefined && !/^\s*"?[-+0-9.]/.test(first) ? first : undefined
    );
    if (format === "csv") {
      header = heads.find((head) => head !== undefined);
      for (let i = 0; i < paths.length; i++) {
        if (firsts[i] !== undefined && heads[i] !== header) {
          throw new Error(
            `${paths[i]}: its ${heads[i] ? "header differs from" : "lack of header differs from"}` +
              ` ${paths[0]}'s: merge files with the same columns`,
          );
        }
      }
      if (header !== undefined) {
        column = header.split(",").indexOf("timestamp");
        if (column < 0) throw new Error(`${paths[0]}: the CSV header has no timestamp column`);
        writer.line(header);
      }
    }
    const heap = new SourceHeap();
    for (let i = 0; i < paths.length; i++) {
      const source = new Source(paths[i], i, readers[i], format === "jsonl", column);
      if (firsts[i] === undefined) continue;
      if (heads[i] === undefined) readers[i].unread(firsts[i]!); // a record, not a header
      else source.lineNumber = 1;
      if (source.advance()) {
        sources.push(source);
        heap.push(source);
      }
    }
    let records = 0;
    while (heap.items.length > 0) {
      const top = heap.items[0];
      writer.line(top.line);
      records++;
      heap.fixTop(!top.advance());
    }
    writer.flush();
    return { records, format: format ?? "csv" };
  } finally {
    for (const reader of readers) reader.close();
  }
}
