// Randomized property tests of the input readers of `flowgen stats` (src/stats/reader.ts)
// and `flowgen merge` (src/merge.ts): the TypeScript counterpart of the libFuzzer targets.
// Random and mutated inputs must give records or a clean error naming the file and line,
// never another exception; line splitting must not depend on where chunks end; a merge must
// keep every record, in timestamp order, stable across inputs.
// FLOWGEN_FUZZ_SEED=<n> varies the inputs (the seed is printed with each failure).

import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { closeSync, openSync } from "node:fs";
import { InputError, lines, readRecords, splitCsv } from "../src/stats/reader.ts";
import { LineReader, mergeFlowFiles, timestampKey } from "../src/merge.ts";

const SEED = Number(Deno.env.get("FLOWGEN_FUZZ_SEED") ?? 20240101);

/** A small deterministic PRNG (mulberry32): reproducible inputs from SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [
  "a",
  "1",
  "9",
  ".",
  ",",
  '"',
  "\n",
  "\r",
  " ",
  "-",
  "{",
  "}",
  ":",
  "é",
  "\u{1F600}",
  "e",
  "0",
];

/** Random text biased to the characters the readers care about, as UTF-8 bytes. */
function randomBytes(next: () => number, max = 200): Uint8Array {
  const n = Math.floor(next() * max);
  if (next() < 0.2) return Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
  let text = "";
  for (let i = 0; i < n; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return new TextEncoder().encode(text);
}

/** The lines a reader must return: split on \n, one trailing \r dropped, no last empty. */
function referenceLines(bytes: Uint8Array): string[] {
  const parts = new TextDecoder().decode(bytes).split("\n");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts.map((line) => line.endsWith("\r") ? line.slice(0, -1) : line);
}

/** A stream delivering `bytes` in random chunk sizes. */
function chunked(bytes: Uint8Array, next: () => number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = 1 + Math.floor(next() * 7);
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const each of it) out.push(each);
  return out;
}

async function withTempDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-readers-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("stats lines(): the same lines whatever the chunk boundaries", async () => {
  const next = rng(SEED);
  for (let i = 0; i < 300; i++) {
    const bytes = randomBytes(next);
    deepStrictEqual(
      await collect(lines(chunked(bytes, next))),
      referenceLines(bytes),
      `seed ${SEED} case ${i}`,
    );
  }
});

Deno.test("merge LineReader: the same lines whatever the read size", async () => {
  const next = rng(SEED + 1);
  await withTempDir(async (dir) => {
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(next);
      const path = `${dir}/in${i}`;
      await Deno.writeFile(path, bytes);
      const reader = new LineReader(path, 1 + Math.floor(next() * 9));
      const got: string[] = [];
      for (let line = reader.next(); line !== undefined; line = reader.next()) got.push(line);
      reader.close();
      deepStrictEqual(got, referenceLines(bytes), `seed ${SEED + 1} case ${i}`);
    }
  });
});

/** A valid CSV or JSONL text of `n` records (extended fields, some quoted). */
function validInput(next: () => number, format: "csv" | "jsonl", n: number): string {
  const rows: string[] = format === "csv"
    ? ["timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,pattern"]
    : [];
  for (let i = 0; i < n; i++) {
    const record = {
      timestamp: (1704067200 + i / 1000).toFixed(6),
      src_ip: "192.168.1.7",
      dst_ip: "10.0.0.1",
      src_port: Math.floor(next() * 65536),
      dst_port: [80, 443, 53][i % 3],
      protocol: [6, 17][i % 2],
      length: 64 + Math.floor(next() * 1400),
      pattern: next() < 0.3 ? 'web, "quoted"' : "dns_traffic",
    };
    rows.push(
      format === "csv"
        ? Object.values(record).map((v) =>
          typeof v === "string" && /[,"]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
        ).join(",")
        : JSON.stringify(record),
    );
  }
  return rows.join("\n") + "\n";
}

/** One random edit: delete, insert, duplicate or swap bytes of `text`. */
function mutate(text: string, next: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = Math.floor(next() * 4);
    const char = ALPHABET[Math.floor(next() * ALPHABET.length)];
    if (kind === 0) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 5));
    else if (kind === 1) out = out.slice(0, at) + char + out.slice(at);
    else if (kind === 2) out = out.slice(0, at) + out.slice(at, at + 20) + out.slice(at);
    else out = out.slice(0, at) + char + out.slice(at + 1);
  }
  return out;
}

Deno.test("stats readers: valid input round-trips, mutated input gives records or InputError", async () => {
  const next = rng(SEED + 2);
  for (const format of ["csv", "jsonl"] as const) {
    const valid = validInput(next, format, 30);
    const records = await collect(
      readRecords(chunked(new TextEncoder().encode(valid), next), format, "in"),
    );
    strictEqual(records.length, 30);
    ok(records.some((r) => r.pattern === 'web, "quoted"'), "quoted CSV fields survive");
    for (let i = 0; i < 300; i++) {
      const input = i % 3 === 0
        ? randomBytes(next, 400)
        : new TextEncoder().encode(mutate(valid, next));
      try {
        for await (const r of readRecords(chunked(input, next), format, "in.txt")) {
          ok(
            Number.isFinite(r.protocol) && Number.isFinite(r.dst_port) && Number.isFinite(r.length),
          );
        }
      } catch (error) {
        ok(error instanceof InputError, `seed ${SEED + 2} ${format} case ${i}: ${error}`);
        ok(/^in\.txt:\d+: /.test((error as Error).message), (error as Error).message);
      }
    }
  }
});

Deno.test("splitCsv: quoting round-trips any field", () => {
  const next = rng(SEED + 3);
  for (let i = 0; i < 300; i++) {
    const fields = Array.from(
      { length: 1 + Math.floor(next() * 5) },
      () => new TextDecoder().decode(randomBytes(next, 12)).replaceAll("\n", ""),
    );
    const line = fields.map((f) => `"${f.replaceAll('"', '""')}"`).join(",");
    deepStrictEqual(splitCsv(line), fields, `seed ${SEED + 3} case ${i}`);
  }
});

Deno.test("timestampKey: exact for decimal timestamps", () => {
  const next = rng(SEED + 4);
  for (let i = 0; i < 500; i++) {
    const seconds = Math.floor(next() * 2 ** 33);
    const nanos = Math.floor(next() * 1e9);
    const digits = 1 + Math.floor(next() * 9);
    const fraction = String(nanos).padStart(9, "0").slice(0, digits);
    deepStrictEqual(timestampKey(`${seconds}.${fraction}`), [
      seconds,
      Number(fraction.padEnd(9, "0")),
    ]);
  }
});

// Regression: an empty CSV timestamp cell ("a,,b" with timestamp in column 1) is
// was merged as the epoch when timestampKey("") returned [0, 0] instead of throwing.
Deno.test("timestampKey: text that is no timestamp throws", () => {
  for (const text of ["", " ", "abc", "1.2.3", "1.x", "Infinity", "NaN", '""']) {
    let threw = false;
    try {
      timestampKey(text);
    } catch {
      threw = true;
    }
    ok(threw, `timestampKey(${JSON.stringify(text)}) must throw`);
  }
});

Deno.test("mergeFlowFiles: every record once, in timestamp order, stable by input", async () => {
  const next = rng(SEED + 5);
  await withTempDir(async (dir) => {
    for (let round = 0; round < 20; round++) {
      const format = round % 2 === 0 ? "csv" : "jsonl";
      const inputs: string[] = [];
      const all: Array<{ key: number; input: number; line: string }> = [];
      const k = 1 + Math.floor(next() * 4);
      for (let input = 0; input < k; input++) {
        let t = 1704067200_000000;
        const rows = format === "csv" ? ["timestamp,src_ip,dst_port"] : [];
        const n = Math.floor(next() * 40);
        for (let r = 0; r < n; r++) {
          t += Math.floor(next() * 3); // equal timestamps across inputs are common
          const ts = `${Math.floor(t / 1e6)}.${String(t % 1e6).padStart(6, "0")}`;
          const line = format === "csv"
            ? `${ts},10.0.0.${input},${r}`
            : JSON.stringify({ timestamp: Number(ts), input, r });
          rows.push(line);
          all.push({ key: t, input, line });
        }
        const path = `${dir}/shard${round}-${input}.${format}`;
        await Deno.writeTextFile(path, rows.join("\n") + (rows.length ? "\n" : ""));
        inputs.push(path);
      }
      const out = `${dir}/merged${round}.${format}`;
      const fd = openSync(out, "w");
      try {
        const result = mergeFlowFiles(inputs, fd);
        strictEqual(result.records, all.length);
      } finally {
        closeSync(fd);
      }
      const expected = all.sort((a, b) => a.key - b.key || a.input - b.input).map((e) => e.line);
      const got = (await Deno.readTextFile(out)).split("\n").filter((l) => l !== "");
      if (format === "csv" && got.length > 0) got.shift(); // the header
      deepStrictEqual(got, expected, `seed ${SEED + 5} round ${round}`);
    }
  });
});

Deno.test("mergeFlowFiles: mutated inputs merge or fail naming file and line", async () => {
  const next = rng(SEED + 6);
  await withTempDir(async (dir) => {
    for (let i = 0; i < 150; i++) {
      const format = i % 2 === 0 ? "csv" : "jsonl";
      const a = `${dir}/a${i}.${format}`;
      const b = `${dir}/b${i}.${format}`;
      await Deno.writeTextFile(a, mutate(validInput(next, format, 10), next));
      await Deno.writeFile(
        b,
        i % 5 === 0
          ? randomBytes(next, 300)
          : new TextEncoder().encode(validInput(next, format, 10)),
      );
      const fd = openSync(`${dir}/out${i}`, "w");
      try {
        mergeFlowFiles([a, b], fd);
      } catch (error) {
        ok(
          error instanceof Error && !(error instanceof TypeError) && !(error instanceof RangeError),
          `seed ${SEED + 6} case ${i}: ${error}`,
        );
        ok(/\.(csv|jsonl)(:\d+)?[: ]/.test((error as Error).message), (error as Error).message);
      } finally {
        closeSync(fd);
      }
    }
  });
});
