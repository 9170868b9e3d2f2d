/**
 * `defaultConfig`: the built-in config, equal to `configs/example_config.yaml` (the
 * brief's example).
 *
 * @module
 */

import type { FlowGenConfig } from "./types.ts";
import { EXAMPLE_CONFIG_YAML } from "./example_config.ts";
import { parseConfig } from "./parse.ts";

let cached: FlowGenConfig | undefined;

/**
 * The built-in default config: `configs/example_config.yaml` (the brief's example)
 * normalized — 1,000,000 flows at 10 Gbps from 2024-01-01T00:00:00Z, web/dns/database/
 * ssh/random traffic, 192.168.1.0/24 and 192.168.2.0/24 (70/30) to 10.0.0.0/8, packet
 * sizes 64..1500 averaging 800, random seed. Each call returns a fresh object that the
 * caller may change.
 *
 * @example
 * ```ts
 * import { defaultConfig } from "./mod.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const config = defaultConfig();
 * assertEquals(config.generation.max_flows, 1000000);
 * assertEquals(config.traffic_patterns.map((p) => p.percentage), [40, 20, 15, 10, 15]);
 * ```
 */
export function defaultConfig(): FlowGenConfig {
  cached ??= parseConfig(EXAMPLE_CONFIG_YAML, "configs/example_config.yaml");
  return structuredClone(cached);
}
