/**
 * `sendFlows`: streams a generator's records as NetFlow v5/v9 or IPFIX over UDP to a
 * collector, paced at a fixed record rate, in (scaled) real time by the records'
 * simulated timestamps, or as fast as possible. Encoding and sending are native
 * (`flowgen_encoder_*`, `flowgen_udp_*`); TypeScript only schedules the batches.
 *
 * @module
 */

import { FlowGenerator, nativeGeneratorOf } from "./generator.ts";
import type { NativeLibrary, NativePointer } from "./native/backend.ts";
import { cstr, pointerCell } from "./native/backend.ts";
import type { NativeEncoder } from "./native/encoder.ts";
import { EngineError } from "./errors.ts";
import { createPacketEncoder, type PacketFormat, type PacketOptions } from "./packet_export.ts";

/** Progress of a send, reported after every batch sent. */
export interface SendProgress {
  /** Records encoded so far (in packets sent or pending). */
  records: number;
  /** Datagrams sent. */
  packets: number;
  /** Payload bytes sent. */
  bytes: number;
  /** Datagrams that failed to send (e.g. connection refused: no collector). */
  sendErrors: number;
  /** Wall-clock seconds since the start. */
  seconds: number;
}

/** The result of {@linkcode sendFlows}. */
export interface SendResult extends SendProgress {
  /** IPv6 records skipped (v5 with `skipUnsupported`). */
  skipped: number;
  /** records / seconds. */
  recordsPerSecond: number;
  /** True when `signal` stopped the send early. */
  aborted: boolean;
}

/** Options of {@linkcode sendFlows}. */
export interface SendOptions extends PacketOptions {
  /** "HOST:PORT" ("127.0.0.1:2055", "[::1]:2055", "localhost:9995"). */
  collector: string;
  /** Export format. */
  format: PacketFormat;
  /** Records per second (fixed rate). Exclusive with `speed`. */
  rate?: number;
  /** Real time by the simulated timestamps times this factor (1 = real time). */
  speed?: number;
  /** Records to send (default: the generator's max_flows, which must then be set). */
  count?: number;
  /** UDP source port (0 or absent: any). */
  sourcePort?: number;
  /** Called after each batch sent. */
  onProgress?: (progress: SendProgress) => void;
  /** Stops the send (the pending partial packet is still sent). */
  signal?: AbortSignal;
}

/** Splits "HOST:PORT" (IPv6 in brackets) and checks the port. */
export function parseCollector(collector: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(collector);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new RangeError(
      `Expected a collector as HOST:PORT (e.g. 127.0.0.1:2055 or [::1]:2055), got "${collector}"`,
    );
  }
  return { host: match[1] ?? match[2], port };
}

/** A connected UDP socket of the engine (`flowgen_udp`). */
class UdpSocket {
  readonly #lib: NativeLibrary;
  #handle: NativePointer;

  constructor(lib: NativeLibrary, host: string, port: number, sourcePort: number) {
    this.#lib = lib;
    const cell = pointerCell();
    const error = new Uint8Array(512);
    const status = lib.symbols.flowgen_udp_open(cstr(host), port, sourcePort, cell, error, 512);
    if (status < 0) {
      const message = new TextDecoder().decode(error.subarray(0, error.indexOf(0)));
      throw new EngineError(`cannot open a UDP socket to ${host}:${port}: ${message}`, status);
    }
    this.#handle = lib.readPointer(cell);
  }

  /** Sends the encoder's complete packets and drops them from its buffer. */
  send(encoder: NativeEncoder): number {
    const sent = this.#lib.symbols.flowgen_udp_send_encoded(this.#handle, encoder.handle);
    if (sent < 0) throw new EngineError("sending export packets failed", sent);
    return sent;
  }

  get errors(): number {
    return this.#lib.symbols.flowgen_udp_errors(this.#handle);
  }

  close(): void {
    if (this.#handle !== null) this.#lib.symbols.flowgen_udp_free(this.#handle);
    this.#handle = null;
  }
}

function sleepUntil(target: number): Promise<void> | undefined {
  const wait = target - performance.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : undefined;
}

function checkPositive(value: number | undefined, name: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
    throw new RangeError(`Expected ${name} to be a positive number, got ${value}`);
  }
}

/**
 * Sends `generator`'s records to a collector over UDP. Every datagram fits the MTU; a
 * collector that is not listening makes sends fail, which are counted (`sendErrors`),
 * not fatal.
 *
 * Pacing: with `rate`, batches of about 5 ms of records leave on a fixed schedule (the
 * achieved rate converges on the target over any window much longer than 5 ms); with
 * `speed`, each batch leaves when the wall clock reaches its last record's simulated time
 * (relative to the first record) divided by `speed`; with neither, as fast as possible.
 *
 * @example Send 1000 IPFIX records to a local collector at 10,000 records/s
 * ```ts ignore
 * import { FlowGenerator, sendFlows } from "./mod.ts";
 *
 * using generator = new FlowGenerator({ generation: { max_flows: 1000 } });
 * const result = await sendFlows(generator, {
 *   collector: "127.0.0.1:4739",
 *   format: "ipfix",
 *   rate: 10_000,
 * });
 * console.log(result.packets, result.recordsPerSecond);
 * ```
 */
export async function sendFlows(
  generator: FlowGenerator,
  options: SendOptions,
): Promise<SendResult> {
  if (!(generator instanceof FlowGenerator)) throw new TypeError("Expected a FlowGenerator");
  const { host, port } = parseCollector(options.collector);
  checkPositive(options.rate, "rate");
  checkPositive(options.speed, "speed");
  if (options.rate !== undefined && options.speed !== undefined) {
    throw new RangeError("Expected rate or speed, not both");
  }
  const native = nativeGeneratorOf(generator);
  const limit = options.count ?? (native.config.generation.max_flows || Infinity);
  if (limit === Infinity && options.signal === undefined) {
    throw new RangeError(
      "The generator has no max_flows: pass { count } (or a signal) to send a finite stream",
    );
  }
  if (limit !== Infinity && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new RangeError(`Expected count to be a non-negative integer, got ${limit}`);
  }
  const encoder = createPacketEncoder(options.format, options);
  let udp: UdpSocket | undefined;
  try {
    udp = new UdpSocket(encoder.lib, host, port, options.sourcePort ?? 0);
    return await pump(native, encoder, udp, limit, options);
  } finally {
    udp?.close();
    encoder.free();
  }
}

type Native = ReturnType<typeof nativeGeneratorOf>;

async function pump(
  g: Native,
  encoder: NativeEncoder,
  udp: UdpSocket,
  limit: number,
  options: SendOptions,
): Promise<SendResult> {
  const { rate, speed, signal } = options;
  // Batch size: ~5 ms of records at a fixed rate; small batches in real time so that
  // each leaves close to its records' time; whole batches when unpaced.
  const chunk = rate !== undefined
    ? Math.max(1, Math.min(g.capacity, Math.round(rate / 200)))
    : speed !== undefined
    ? Math.min(g.capacity, 1024)
    : g.capacity;
  const handle = g.handle();
  const start = performance.now();
  let firstNs: bigint | undefined;
  let records = 0;
  let packets = 0;
  let bytes = 0;
  let lastYield = start;
  const progress = (): SendProgress => ({
    records,
    packets,
    bytes,
    sendErrors: udp.errors,
    seconds: (performance.now() - start) / 1000,
  });
  const sendBuffered = () => {
    bytes += encoder.lib.symbols.flowgen_encoder_size(encoder.handle);
    packets += udp.send(encoder);
  };
  // Records the generator already handed out are not sent: a send starts at the next batch.
  g.cursor = g.size;
  while (records < limit && !signal?.aborted) {
    const n = g.fill(Math.min(chunk, limit - records));
    if (n === 0) break;
    g.cursor = n;
    if (rate !== undefined) {
      await sleepUntil(start + ((records + n) / rate) * 1000);
    } else if (speed !== undefined) {
      const lastNs = g.columns.timestampNs[n - 1];
      firstNs ??= g.columns.timestampNs[0];
      await sleepUntil(start + Number(lastNs - firstNs) / 1e6 / speed);
    } else if (performance.now() - lastYield > 50) {
      // Unpaced: still let timers and signal handlers run now and then.
      await new Promise((resolve) => setTimeout(resolve, 0));
      lastYield = performance.now();
    }
    encoder.encode(handle);
    sendBuffered();
    records += n;
    options.onProgress?.(progress());
  }
  encoder.finish();
  sendBuffered();
  const stats = encoder.stats();
  const done = progress();
  return {
    ...done,
    records: stats.recordsEncoded,
    skipped: stats.recordsSkipped,
    recordsPerSecond: done.seconds > 0 ? stats.recordsEncoded / done.seconds : 0,
    aborted: signal?.aborted === true,
  };
}
