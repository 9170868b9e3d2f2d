/**
 * The brief's example config, verbatim: the text of `configs/example_config.yaml` (a test
 * checks that the two are equal) and the source of {@linkcode defaultConfig}. Embedded as
 * a string so that it works the same in Deno, in the npm build and in a published package.
 *
 * @module
 */

/**
 * The text of `configs/example_config.yaml`, the brief's example config.
 *
 * @example
 * ```ts
 * import { EXAMPLE_CONFIG_YAML } from "./example_config.ts";
 * import { ok } from "node:assert/strict";
 * ok(EXAMPLE_CONFIG_YAML.includes("bandwidth_gbps: 10.0"));
 * ```
 */
export const EXAMPLE_CONFIG_YAML: string = `generation:
  max_flows: 1000000

  rate:
    bandwidth_gbps: 10.0      # Target 10 Gbps bandwidth

  start_timestamp: 1704067200 # Unix epoch (optional)

traffic_patterns:
  - type: web_traffic
    percentage: 40
  - type: dns_traffic
    percentage: 20
  - type: database_traffic
    percentage: 15
  - type: ssh_traffic
    percentage: 10
  - type: random
    percentage: 15

network:
  source_subnets:
    - 192.168.1.0/24
    - 192.168.2.0/24
  source_weights: [70, 30]

  destination_subnets:
    - 10.0.0.0/8

packets:
  min_size: 64
  max_size: 1500
  average_size: 800
`;
