/**
 * `validateConfig`: checks a parsed config value (from YAML, JSON or a JavaScript object)
 * and returns the normalized {@linkcode FlowGenConfig} with every default filled in.
 *
 * @module
 */

import type { FlowGenConfig } from "./types.ts";
import { ConfigError } from "./errors.ts";
import { Checker, type ConfigSource, describe, has, isMapping } from "./checker.ts";
import { readGeneration } from "./validate_generation.ts";
import { readPatterns } from "./validate_patterns.ts";
import { readNetwork } from "./validate_network.ts";
import { readExport, readOutput, readPackets } from "./validate_sections.ts";

/** The top-level sections (`$schema` is allowed so JSON files can name their schema). */
const ROOT_KEYS = [
  "generation",
  "traffic_patterns",
  "network",
  "packets",
  "output",
  "export",
  "$schema",
];

/**
 * Validates a config value and returns it normalized: `generation.rate.bandwidth_gbps`
 * becomes `generation.bandwidth_gbps`, distributions become `{kind, a, b}`, ports become
 * `{port, weight}`, the seed a bigint, CIDRs canonical, and defaults are filled in
 * (`max_flows` 0 = unlimited, 10 Gbps, `flow_model` packet, bidirectional probability 0,
 * one thread, packet sizes 64/1500/800). `traffic_patterns` and `network` (source and
 * destination subnets) are required.
 *
 * Every problem is collected; the thrown {@linkcode ConfigError} carries the first in its
 * message and all of them in `errors`: unknown keys first (a misspelt key is the likely
 * cause of the rest), missing keys last, each group in file order when positions are
 * known. `source` names the file and locates key paths in its text (see
 * {@linkcode parseConfig}, which passes it).
 *
 * The normalized form is accepted as input too: `validateConfig(validateConfig(x))`
 * equals `validateConfig(x)`.
 *
 * @example
 * ```ts
 * import { ConfigError, validateConfig } from "./mod.ts";
 * import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
 *
 * const config = validateConfig({
 *   generation: { max_flows: 1000, rate: { bandwidth_gbps: 1 }, seed: 42 },
 *   traffic_patterns: [{ type: "web_traffic", percentage: 100 }],
 *   network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
 * });
 * assertEquals(config.generation.bandwidth_gbps, 1);
 * assertEquals(config.generation.seed, 42n);
 * assertEquals(config.packets, { min_size: 64, max_size: 1500, average_size: 800 });
 *
 * throws(
 *   () => validateConfig({ generation: { max_flow: 10 } }),
 *   (e: unknown) => e instanceof ConfigError && e.message === 'generation.max_flow: unknown key (did you mean "max_flows"?)',
 * );
 * ```
 *
 * @throws {ConfigError} when the value is not a valid config.
 */
export function validateConfig(value: unknown, source?: ConfigSource): FlowGenConfig {
  const c = new Checker(source);
  const config = check(c, value);
  if (c.errors.length > 0 || config === undefined) {
    const errors = c.ordered();
    const first = errors[0];
    throw new ConfigError(first.reason, {
      path: first.path,
      file: first.file,
      line: first.line,
      column: first.column,
      errors,
    });
  }
  return config;
}

function check(c: Checker, value: unknown): FlowGenConfig | undefined {
  if (!isMapping(value)) {
    return c.fail(
      [],
      `the config must be a mapping of sections (generation, traffic_patterns, network, packets, ...), got ${
        describe(value)
      }`,
    );
  }
  const root = c.mapping(value, [], ROOT_KEYS);
  if (!root) return undefined;
  if (has(root, "$schema")) c.string(root.$schema, ["$schema"]);
  const generation = readGeneration(c, root.generation);
  const traffic_patterns = has(root, "traffic_patterns")
    ? readPatterns(c, root.traffic_patterns)
    : (c.missing([], "traffic_patterns"), []);
  const network = has(root, "network")
    ? readNetwork(c, root.network)
    : (c.missing([], "network"), { source_subnets: [], destination_subnets: [] });
  const packets = readPackets(c, root.packets);
  const output = readOutput(c, root.output);
  const exportOptions = readExport(c, root.export);
  return { generation, traffic_patterns, network, packets, output, export: exportOptions };
}
