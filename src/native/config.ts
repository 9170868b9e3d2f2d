/**
 * Hands a normalized {@linkcode FlowGenConfig} to the engine through the
 * `flowgen_config_*` setters and creates a generator from it. The engine validates again;
 * its refusals come back as `ConfigError`s carrying the engine's message (which names the
 * key, e.g. `traffic_patterns[2].percentage`).
 *
 * @module
 */

import type { Distribution, FlowGenConfig, PatternConfig } from "../config/types.ts";
import { ConfigError } from "../config/errors.ts";
import { cstr, type NativeLibrary, type NativePointer, pointerCell, toU64 } from "./backend.ts";
import { Dist, Model, Quantity, Status } from "./constants.ts";
import { EngineError } from "../errors.ts";

/** Splits an engine message `key.path: reason` into its parts. */
function engineConfigError(message: string, context: string): ConfigError {
  const match = /^([A-Za-z_][\w.\[\]]*): (.*)$/s.exec(message);
  if (match) return new ConfigError(match[2], { path: match[1] });
  return new ConfigError(message || `the engine refused ${context}`);
}

/**
 * Converts Unix seconds (possibly fractional) to nanoseconds exactly enough for the
 * engine: the integer part exactly, the fraction rounded to the nanosecond.
 *
 * @example
 * ```ts
 * import { secondsToNs } from "./config.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(secondsToNs(1704067200), 1704067200000000000n);
 * assertEquals(secondsToNs(1.5), 1500000000n);
 * ```
 */
export function secondsToNs(seconds: number): bigint {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`Expected a non-negative number of seconds, got ${seconds}`);
  }
  const whole = Math.floor(seconds);
  const fraction = Math.round((seconds - whole) * 1e9);
  return BigInt(whole) * 1_000_000_000n + BigInt(fraction);
}

class Setter {
  constructor(readonly lib: NativeLibrary, readonly config: NativePointer) {}

  check(status: number, context: string): number {
    if (status >= 0) return status;
    const message = this.lib.cstring(this.lib.symbols.flowgen_config_error(this.config));
    if (status === Status.INVALID_CONFIG || status === Status.INVALID_ARGUMENT) {
      throw engineConfigError(message, context);
    }
    throw new EngineError(message || `setting ${context} failed`, status);
  }

  distribution(pattern: number, quantity: number, dist: Distribution, key: string): void {
    const s = this.lib.symbols;
    if (dist.kind === "empirical") {
      const values = new Float64Array(dist.values ?? []);
      const weights = new Float64Array(dist.weights ?? values.map(() => 1));
      this.check(
        s.flowgen_config_pattern_set_empirical(
          this.config,
          pattern,
          quantity,
          values,
          weights,
          values.length,
        ),
        key,
      );
      return;
    }
    this.check(
      s.flowgen_config_pattern_set_distribution(
        this.config,
        pattern,
        quantity,
        Dist[dist.kind],
        dist.a,
        dist.b ?? 0,
      ),
      key,
    );
  }

  pattern(pattern: PatternConfig, position: number): void {
    const s = this.lib.symbols;
    const key = `traffic_patterns[${position}]`;
    const index = pattern.type === "custom"
      ? this.check(
        s.flowgen_config_add_custom_pattern(
          this.config,
          cstr(pattern.name),
          pattern.protocol ?? 6,
          pattern.percentage,
        ),
        key,
      )
      : this.check(
        s.flowgen_config_add_pattern(this.config, cstr(pattern.type), pattern.percentage),
        key,
      );
    for (const { port, weight } of pattern.ports ?? []) {
      this.check(s.flowgen_config_pattern_add_port(this.config, index, port, weight), key);
    }
    const dists: [Distribution | undefined, number, string][] = [
      [pattern.packet_size, Quantity.PACKET_SIZE, "packet_size"],
      [pattern.packets, Quantity.PACKETS, "packets"],
      [pattern.duration_ms, Quantity.DURATION_MS, "duration_ms"],
      [pattern.response_packet_size, Quantity.RESPONSE_PACKET_SIZE, "response_packet_size"],
      [pattern.response_packets, Quantity.RESPONSE_PACKETS, "response_packets"],
    ];
    for (const [dist, quantity, name] of dists) {
      if (dist) this.distribution(index, quantity, dist, `${key}.${name}`);
    }
    if (pattern.flow_model !== undefined) {
      this.check(
        s.flowgen_config_pattern_set_flow_model(
          this.config,
          index,
          pattern.flow_model === "flow" ? Model.FLOW : Model.PACKET,
        ),
        `${key}.flow_model`,
      );
    }
    if (pattern.bidirectional !== undefined) {
      this.check(
        s.flowgen_config_pattern_set_bidirectional(this.config, index, pattern.bidirectional),
        `${key}.bidirectional`,
      );
    }
  }
}

/**
 * Creates a native `flowgen_config` holding `config`. The caller owns the result and
 * frees it with `flowgen_config_free`. Throws `ConfigError` when a setter refuses a value.
 *
 * @example
 * ```ts ignore
 * import { buildNativeConfig } from "./config.ts";
 * import { loadLibrary } from "./loader.ts";
 * import { defaultConfig } from "../config/mod.ts";
 *
 * const lib = loadLibrary();
 * const handle = buildNativeConfig(lib, defaultConfig());
 * lib.symbols.flowgen_config_free(handle);
 * ```
 */
export function buildNativeConfig(lib: NativeLibrary, config: FlowGenConfig): NativePointer {
  const s = lib.symbols;
  const handle = s.flowgen_config_new();
  if (lib.isNull(handle)) throw new EngineError("out of memory creating a config", -5);
  const set = new Setter(lib, handle);
  try {
    const g = config.generation;
    set.check(s.flowgen_config_set_max_flows(handle, toU64(g.max_flows)), "generation.max_flows");
    set.check(
      s.flowgen_config_set_bandwidth_gbps(handle, g.bandwidth_gbps),
      "generation.rate.bandwidth_gbps",
    );
    if (g.start_timestamp !== undefined) {
      set.check(
        s.flowgen_config_set_start_timestamp_ns(handle, secondsToNs(g.start_timestamp)),
        "generation.start_timestamp",
      );
    }
    if (g.seed !== undefined) {
      set.check(s.flowgen_config_set_seed(handle, toU64(g.seed)), "generation.seed");
    }
    if (g.flow_model === "flow") {
      set.check(s.flowgen_config_set_flow_model(handle, Model.FLOW), "generation.flow_model");
    }
    const bidi = g.bidirectional;
    if (bidi.probability !== 0) {
      set.check(
        s.flowgen_config_set_bidirectional(handle, bidi.probability),
        "generation.bidirectional.probability",
      );
    }
    if (bidi.rtt_ms && bidi.rtt_ms.kind !== "empirical") {
      set.check(
        s.flowgen_config_set_rtt_ms(handle, Dist[bidi.rtt_ms.kind], bidi.rtt_ms.a, bidi.rtt_ms.b),
        "generation.bidirectional.rtt_ms",
      );
    }
    if (bidi.max_pending !== undefined) {
      set.check(
        s.flowgen_config_set_max_pending(handle, bidi.max_pending),
        "generation.bidirectional.max_pending",
      );
    }
    if (g.shard) {
      set.check(
        s.flowgen_config_set_shard(handle, g.shard.index, g.shard.count),
        "generation.shard",
      );
    }
    if (g.threads !== 1) {
      set.check(s.flowgen_config_set_threads(handle, g.threads), "generation.threads");
    }
    if (g.batch_size !== undefined) {
      set.check(s.flowgen_config_set_batch_size(handle, g.batch_size), "generation.batch_size");
    }
    const p = config.packets;
    set.check(
      s.flowgen_config_set_packet_sizes(handle, p.min_size, p.max_size, p.average_size),
      "packets",
    );
    const n = config.network;
    n.source_subnets.forEach((cidr, i) =>
      set.check(
        s.flowgen_config_add_source_subnet(handle, cstr(cidr)),
        `network.source_subnets[${i}]`,
      )
    );
    n.destination_subnets.forEach((cidr, i) =>
      set.check(
        s.flowgen_config_add_destination_subnet(handle, cstr(cidr)),
        `network.destination_subnets[${i}]`,
      )
    );
    if (n.source_weights) {
      const w = new Float64Array(n.source_weights);
      set.check(s.flowgen_config_set_source_weights(handle, w, w.length), "network.source_weights");
    }
    if (n.destination_weights) {
      const w = new Float64Array(n.destination_weights);
      set.check(
        s.flowgen_config_set_destination_weights(handle, w, w.length),
        "network.destination_weights",
      );
    }
    config.traffic_patterns.forEach((pattern, i) => set.pattern(pattern, i));
  } catch (error) {
    s.flowgen_config_free(handle);
    throw error;
  }
  return handle;
}

/**
 * Creates a native generator from `config` (validated again by the engine). The caller
 * owns the result and frees it with `flowgen_generator_free`. Throws `ConfigError` when
 * the engine refuses the config.
 *
 * @example
 * ```ts ignore
 * import { createNativeGenerator } from "./config.ts";
 * import { loadLibrary } from "./loader.ts";
 * import { defaultConfig } from "../config/mod.ts";
 *
 * const lib = loadLibrary();
 * const generator = createNativeGenerator(lib, defaultConfig());
 * lib.symbols.flowgen_generator_free(generator);
 * ```
 */
export function createNativeGenerator(lib: NativeLibrary, config: FlowGenConfig): NativePointer {
  const s = lib.symbols;
  const handle = buildNativeConfig(lib, config);
  try {
    const cell = pointerCell();
    const status = s.flowgen_generator_new(handle, cell);
    if (status < 0) {
      const message = lib.cstring(s.flowgen_config_error(handle));
      if (status === Status.INVALID_CONFIG || status === Status.INVALID_ARGUMENT) {
        throw engineConfigError(message, "the config");
      }
      throw new EngineError(message || "creating the generator failed", status);
    }
    return lib.readPointer(cell);
  } finally {
    s.flowgen_config_free(handle);
  }
}
