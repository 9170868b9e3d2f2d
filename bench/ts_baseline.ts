/**
 * A pure-TypeScript generator of the records the engine's packet mode makes from the
 * brief's example config, doing the same work per record the way a careful TypeScript
 * author would: a counter-based RNG with a block of draws per record (7 used 32-bit
 * draws; the engine takes the same bits from 4 64-bit draws), one alias-table pick of a
 * (pattern, port, length part) entry, an alias-table pick of the source subnet,
 * multiply-shift ranges for ports, lengths and hosts, a bandwidth-paced nanosecond
 * timeline, and the same 13 struct-of-arrays typed-array columns the engine writes per
 * record (the packets, duration and direction columns are constant there). It is the
 * baseline the native path is compared with in `deno_bench.ts`; it is not part of the
 * module and nothing else uses it.
 *
 * @module
 */

/** Struct-of-arrays columns of a baseline batch (u64 columns as u32 pairs, low first). */
export interface BaselineBatch {
  timestampNs32: Uint32Array;
  timestamp: Float64Array;
  ipVersion: Uint8Array;
  sourceIp4: Uint32Array;
  destinationIp4: Uint32Array;
  sourcePort: Uint16Array;
  destinationPort: Uint16Array;
  protocol: Uint8Array;
  tcpFlags: Uint8Array;
  packetLength: Uint16Array;
  bytes32: Uint32Array;
  flowId32: Uint32Array;
  pattern: Uint8Array;
}

/** Allocates a batch of `capacity` records. */
export function baselineBatch(capacity: number): BaselineBatch {
  return {
    timestampNs32: new Uint32Array(2 * capacity),
    timestamp: new Float64Array(capacity),
    ipVersion: new Uint8Array(capacity),
    sourceIp4: new Uint32Array(capacity),
    destinationIp4: new Uint32Array(capacity),
    sourcePort: new Uint16Array(capacity),
    destinationPort: new Uint16Array(capacity),
    protocol: new Uint8Array(capacity),
    tcpFlags: new Uint8Array(capacity),
    packetLength: new Uint16Array(capacity),
    bytes32: new Uint32Array(2 * capacity),
    flowId32: new Uint32Array(2 * capacity),
    pattern: new Uint8Array(capacity),
  };
}

const TWO_32 = 4294967296;
const TCP = 6;
const UDP = 17;
const ICMP = 1;

// The example config's patterns as the engine models them: share, size factor, and
// [protocol, destination port base, span (0: exactly the base), weight] per port share.
const PATTERNS: { share: number; factor: number; ports: number[][] }[] = [
  { share: 40, factor: 1.25, ports: [[TCP, 80, 0, 30], [TCP, 443, 0, 70]] },
  { share: 20, factor: 0.15, ports: [[UDP, 53, 0, 1]] },
  {
    share: 15,
    factor: 0.8,
    ports: [[TCP, 3306, 0, 35], [TCP, 5432, 0, 30], [TCP, 27017, 0, 15], [TCP, 6379, 0, 20]],
  },
  { share: 10, factor: 0.45, ports: [[TCP, 22, 0, 1]] },
  {
    share: 15,
    factor: 1,
    ports: [
      [TCP, 1, 65535, 45],
      [UDP, 1, 65535, 45],
      [ICMP, 8 << 8, 0, 5],
      [ICMP, 0, 0, 3],
      [ICMP, (3 << 8) | 3, 0, 1],
      [ICMP, 11 << 8, 0, 1],
    ],
  },
];
const MIN_SIZE = 64;
const MAX_SIZE = 1500;
const AVERAGE_SIZE = 800;

/** Walker/Vose alias table: thresholds as u32 fractions, one pick per 32 random bits. */
interface Alias {
  threshold: Uint32Array;
  alias: Uint32Array;
}

function aliasTable(weights: number[]): Alias {
  const n = weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const scaled = weights.map((w) => (w * n) / sum);
  const threshold = new Uint32Array(n);
  const alias = new Uint32Array(n);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((s, i) => (s < 1 ? small : large).push(i));
  const set = (i: number, p: number, a: number) => {
    threshold[i] = Math.min(TWO_32 - 1, Math.round(p * TWO_32));
    alias[i] = a;
  };
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1];
    set(s, scaled[s], l);
    scaled[l] = scaled[l] + scaled[s] - 1;
    if (scaled[l] < 1) small.push(large.pop()!);
  }
  for (const i of [...small, ...large]) set(i, 1, i);
  return { threshold, alias };
}

/** The (pattern, port share, length part) entries, as struct-of-arrays, and their alias table. */
function entries() {
  // Per-pattern mean lengths: average × factor × k, k solved so the mix averages 800.
  const total = PATTERNS.reduce((a, p) => a + p.share, 0);
  const target = (factor: number, k: number) =>
    Math.min(MAX_SIZE, Math.max(MIN_SIZE, AVERAGE_SIZE * factor * k));
  const mean = (k: number) =>
    PATTERNS.reduce((a, p) => a + p.share * target(p.factor, k), 0) / total;
  let lo = 0;
  let hi = 1;
  while (mean(hi) < AVERAGE_SIZE) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (mean(mid) < AVERAGE_SIZE) lo = mid;
    else hi = mid;
  }
  const rows: number[][] = [];
  const weights: number[] = [];
  PATTERNS.forEach((p, pattern) => {
    const portTotal = p.ports.reduce((a, port) => a + port[3], 0);
    const t = Math.round(target(p.factor, (lo + hi) / 2));
    // Uniform on [min, t] with probability w, on [t, max] otherwise: mean t.
    const w = (MAX_SIZE - t) / (MAX_SIZE - MIN_SIZE);
    const parts = [[MIN_SIZE, t - MIN_SIZE + 1, w], [t, MAX_SIZE - t + 1, 1 - w]];
    for (const [protocol, base, span, weight] of p.ports) {
      const ports = protocol === TCP || protocol === UDP;
      for (const [lengthBase, lengthSpan, share] of parts) {
        if (share <= 0) continue;
        rows.push([
          protocol,
          pattern,
          ports ? 49152 : 0,
          ports ? 16384 : 0,
          base,
          span,
          protocol === TCP ? 0x10 : 0,
          protocol === TCP ? 0x08 : 0,
          lengthBase,
          lengthSpan,
        ]);
        weights.push((p.share * weight / portTotal) * share);
      }
    }
  });
  const column = (k: number) => Uint32Array.from(rows, (row) => row[k]);
  return {
    protocol: column(0),
    pattern: column(1),
    srcBase: column(2),
    srcSpan: column(3),
    dstBase: column(4),
    dstSpan: column(5),
    flagsBase: column(6),
    flagsRandom: column(7),
    lengthBase: column(8),
    lengthSpan: column(9),
    pick: aliasTable(weights),
  };
}

// A 32-bit finalizer (murmur3 fmix32): the counter-based RNG's mix.
function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

// High half of r × span (r a u32): multiply-shift, exact while the product fits 2^53
// and within range beyond.
function mulShift(r: number, span: number): number {
  return (r * span / TWO_32) >>> 0;
}

const DRAWS = 7; // per record: entry, length, 2 ports, source subnet, 2 hosts
const STEP = 0x9e3779b9; // counter increment per draw

/** The baseline generator: the example config's records, `fill` a batch at a time. */
export class TsFlowGenerator {
  readonly #entries = entries();
  readonly #sources: Alias;
  readonly #sourceFirst = Uint32Array.of(0xc0a80100, 0xc0a80200);
  readonly #sourceCount = Uint32Array.of(256, 256);
  readonly #nsPerByte: number;
  #counter: number;
  #flowId = 0;
  #high: number; // timeline in ns as two u32 words (no BigInt in the loop)
  #low: number;
  #fraction = 0; // sub-nanosecond remainder of the timeline, in ns

  /** A generator starting at `startSeconds`, `gbps` of bandwidth. */
  constructor(seed = 42, startSeconds = 1704067200, gbps = 10) {
    this.#counter = mix(seed);
    this.#sources = aliasTable([70, 30]);
    const ns = BigInt(startSeconds) * 1_000_000_000n;
    this.#high = Number(ns >> 32n);
    this.#low = Number(ns & 0xffffffffn);
    this.#nsPerByte = 8 / gbps;
  }

  /** Fills `batch` with `count` records. */
  fill(batch: BaselineBatch, count: number): number {
    const e = this.#entries;
    const { threshold, alias } = e.pick;
    const entryCount = threshold.length;
    const sources = this.#sources;
    const sourceN = sources.threshold.length;
    const sourceFirst = this.#sourceFirst;
    const sourceCount = this.#sourceCount;
    const nsPerByte = this.#nsPerByte;
    let counter = this.#counter;
    let id = this.#flowId;
    let high = this.#high;
    let low = this.#low;
    let fraction = this.#fraction;
    for (let i = 0; i < count; i++) {
      const block = counter;
      counter = (counter + DRAWS * STEP) >>> 0;
      // What: one alias pick of the entry (pattern, protocol, ports, length part).
      const rw = mix(block);
      const product = rw * entryCount;
      const column = (product / TWO_32) >>> 0;
      const k = product - column * TWO_32 < threshold[column] ? column : alias[column];
      const rl = mix((block + STEP) >>> 0);
      const length = e.lengthBase[k] + mulShift(rl, e.lengthSpan[k]);
      batch.packetLength[i] = length;
      batch.tcpFlags[i] = e.flagsBase[k] | (e.flagsRandom[k] & (rl << 3));
      batch.sourcePort[i] = e.srcBase[k] + mulShift(mix((block + 2 * STEP) >>> 0), e.srcSpan[k]);
      batch.destinationPort[i] = e.dstBase[k] +
        mulShift(mix((block + 3 * STEP) >>> 0), e.dstSpan[k]);
      batch.protocol[i] = e.protocol[k];
      batch.pattern[i] = e.pattern[k];
      // Where: the source subnet by weight, a host in it; the one destination subnet.
      const rs = mix((block + 4 * STEP) >>> 0) * sourceN;
      const sc = (rs / TWO_32) >>> 0;
      const s = rs - sc * TWO_32 < sources.threshold[sc] ? sc : sources.alias[sc];
      batch.ipVersion[i] = 4;
      batch.sourceIp4[i] = sourceFirst[s] + mulShift(mix((block + 5 * STEP) >>> 0), sourceCount[s]);
      batch.destinationIp4[i] = 0x0a000000 + mulShift(mix((block + 6 * STEP) >>> 0), 0x1000000);
      // When: each record starts where the previous one's bytes end; flow ids count.
      batch.timestampNs32[2 * i] = low;
      batch.timestampNs32[2 * i + 1] = high;
      batch.timestamp[i] = (high * TWO_32 + low) / 1e9;
      batch.bytes32[2 * i] = length;
      batch.bytes32[2 * i + 1] = 0;
      batch.flowId32[2 * i] = id;
      batch.flowId32[2 * i + 1] = 0;
      id = (id + 1) >>> 0;
      fraction += length * nsPerByte;
      const whole = Math.floor(fraction);
      fraction -= whole;
      low += whole;
      if (low >= TWO_32) {
        low -= TWO_32;
        high++;
      }
    }
    this.#counter = counter;
    this.#flowId = id;
    this.#high = high;
    this.#low = low;
    this.#fraction = fraction;
    return count;
  }
}
