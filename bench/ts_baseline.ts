/**
 * A pure-TypeScript generator of the same kind of records as the engine's packet mode
 * (the brief's example config): pattern by weight, source subnet by weight, random hosts,
 * ports and protocol per pattern, packet sizes, bandwidth-paced nanosecond timestamps —
 * written into struct-of-arrays typed arrays like the engine's batches. It is the
 * baseline the native path is compared with in `deno_bench.ts`; it is not part of the
 * module and nothing else uses it.
 *
 * @module
 */

/** Struct-of-arrays columns of a baseline batch. */
export interface BaselineBatch {
  /** Nanosecond timestamps as u32 pairs (low word first), as the engine's u64 column. */
  timestampNs32: Uint32Array;
  timestamp: Float64Array;
  sourceIp4: Uint32Array;
  destinationIp4: Uint32Array;
  sourcePort: Uint16Array;
  destinationPort: Uint16Array;
  protocol: Uint8Array;
  packetLength: Uint16Array;
  pattern: Uint8Array;
}

/** Allocates a batch of `capacity` records. */
export function baselineBatch(capacity: number): BaselineBatch {
  return {
    timestampNs32: new Uint32Array(2 * capacity),
    timestamp: new Float64Array(capacity),
    sourceIp4: new Uint32Array(capacity),
    destinationIp4: new Uint32Array(capacity),
    sourcePort: new Uint16Array(capacity),
    destinationPort: new Uint16Array(capacity),
    protocol: new Uint8Array(capacity),
    packetLength: new Uint16Array(capacity),
    pattern: new Uint8Array(capacity),
  };
}

// Patterns of the example config: cumulative percentages, ports, protocol, size range.
const CUMULATIVE = [0.4, 0.6, 0.75, 0.85, 1.0];
const PORTS: number[][] = [[80, 443, 443], [53], [3306, 5432, 27017, 6379], [22], []];
const PROTOCOL = [6, 17, 6, 6, 0];
const SIZE_MIN = [200, 60, 100, 64, 64];
const SIZE_MAX = [1500, 512, 1500, 1200, 1500];

/** The baseline generator (xorshift128 RNG, 32-bit arithmetic). */
export class TsFlowGenerator {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #high: number; // timeline in ns as two u32 words (no BigInt in the loop)
  #low: number;
  #fraction = 0; // sub-nanosecond remainder of the timeline, in ns
  readonly #nsPerByte: number;

  /** A generator starting at `startSeconds`, `gbps` of bandwidth. */
  constructor(seed = 42, startSeconds = 1704067200, gbps = 10) {
    this.#s0 = seed | 0 || 1;
    this.#s1 = 0x9e3779b9;
    this.#s2 = 0x243f6a88;
    this.#s3 = 0xb7e15162;
    const ns = BigInt(startSeconds) * 1_000_000_000n;
    this.#high = Number(ns >> 32n);
    this.#low = Number(ns & 0xffffffffn);
    this.#nsPerByte = 8 / gbps;
  }

  #next(): number {
    let t = this.#s3;
    const s = this.#s0;
    this.#s3 = this.#s2;
    this.#s2 = this.#s1;
    this.#s1 = s;
    t ^= t << 11;
    t ^= t >>> 8;
    this.#s0 = t ^ s ^ (s >>> 19);
    return this.#s0 >>> 0;
  }

  #uniform(): number {
    return this.#next() / 4294967296;
  }

  /** Fills `batch` with `count` records. */
  fill(batch: BaselineBatch, count: number): number {
    let high = this.#high;
    let low = this.#low;
    let fraction = this.#fraction;
    for (let i = 0; i < count; i++) {
      const u = this.#uniform();
      let p = 0;
      while (u >= CUMULATIVE[p]) p++;
      batch.pattern[i] = p;
      const subnet = this.#uniform() < 0.7 ? 0xc0a80100 : 0xc0a80200;
      batch.sourceIp4[i] = (subnet | (this.#next() & 0xff)) >>> 0;
      batch.destinationIp4[i] = (0x0a000000 | (this.#next() & 0xffffff)) >>> 0;
      batch.sourcePort[i] = 49152 + (this.#next() % 16384);
      const ports = PORTS[p];
      if (ports.length === 0) {
        batch.destinationPort[i] = 1 + (this.#next() % 65535);
        batch.protocol[i] = this.#uniform() < 0.8 ? 6 : 17;
      } else {
        batch.destinationPort[i] = ports[this.#next() % ports.length];
        batch.protocol[i] = PROTOCOL[p];
      }
      const length = SIZE_MIN[p] + (this.#next() % (SIZE_MAX[p] - SIZE_MIN[p] + 1));
      batch.packetLength[i] = length;
      batch.timestampNs32[2 * i] = low;
      batch.timestampNs32[2 * i + 1] = high;
      batch.timestamp[i] = (high * 4294967296 + low) / 1e9;
      fraction += length * this.#nsPerByte;
      const whole = Math.floor(fraction);
      fraction -= whole;
      low += whole;
      if (low >= 4294967296) {
        low -= 4294967296;
        high++;
      }
    }
    this.#high = high;
    this.#low = low;
    this.#fraction = fraction;
    return count;
  }
}
