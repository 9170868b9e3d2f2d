/**
 * `configSchema`: the JSON Schema (draft 2020-12) of the config file, for editors (and
 * written to `configs/flowgen.schema.json`). It describes the file format; the checks it
 * cannot express (percentages summing to 100, `min_size <= average_size <= max_size`,
 * CIDR host bits and overlaps, unique pattern names, `shard.index < shard.count`, uniform
 * `min <= max`, weights not all zero, an IPv6 destination for IPv6 sources) are made by
 * {@linkcode validateConfig}.
 *
 * @module
 */

import { DISTRIBUTION_KINDS, QUANTITY_RANGES, type QuantityRange } from "./distribution.ts";
import {
  FLOW_MODELS,
  MAX_BANDWIDTH_GBPS,
  MAX_BATCH,
  MAX_PATTERNS,
  MAX_PENDING_LIMIT,
  MAX_START_TIMESTAMP,
  MAX_THREADS,
  MIN_BANDWIDTH_GBPS,
  OUTPUT_FIELDS,
  OUTPUT_FORMATS,
  PATTERN_NAME_RE,
  PATTERN_TYPES,
  PROTOCOL_NAMES,
} from "./limits.ts";

/** A JSON Schema document (plain JSON data). */
export type JsonSchema = { readonly [key: string]: unknown };

const integer = (minimum: number, maximum: number, description?: string): JsonSchema => ({
  ...(description ? { description } : {}),
  type: "integer",
  minimum,
  maximum,
});
const boolean = (description: string): JsonSchema => ({ description, type: "boolean" });
const probability: JsonSchema = {
  description: "Share of requests that get a response record, 0..1.",
  type: "number",
  minimum: 0,
  maximum: 1,
};

function kindSchema(kind: string, properties: Record<string, JsonSchema>): JsonSchema {
  return {
    type: "object",
    properties: { distribution: { const: kind }, ...properties },
    required: ["distribution", ...Object.keys(properties).filter((k) => k !== "weights")],
    additionalProperties: false,
  };
}

function distribution(description: string, r: QuantityRange): JsonSchema {
  const value = { type: "number", minimum: r.min, maximum: r.max };
  return {
    description: `${description} A number (fixed) or {distribution: ${
      DISTRIBUTION_KINDS.join("|")
    }, ...}.`,
    oneOf: [
      value,
      kindSchema("fixed", { value }),
      kindSchema("uniform", { min: value, max: value }),
      kindSchema("normal", { mean: { type: "number" }, stddev: { type: "number", minimum: 0 } }),
      kindSchema("lognormal", {
        mu: { type: "number", minimum: -50, maximum: 50 },
        sigma: { type: "number", minimum: 0, maximum: 20 },
      }),
      kindSchema("pareto", {
        scale: { type: "number", exclusiveMinimum: 0, maximum: r.max },
        shape: { type: "number", exclusiveMinimum: 0 },
      }),
      kindSchema("empirical", {
        values: { type: "array", minItems: 1, items: value },
        weights: { type: "array", items: { type: "number", minimum: 0 } },
      }),
    ],
  };
}

const subnets = (description: string): JsonSchema => ({
  description,
  type: "array",
  minItems: 1,
  items: { type: "string", pattern: "^[0-9A-Fa-f:.]+/[0-9]{1,3}$" },
});
const weights = (description: string): JsonSchema => ({
  description,
  type: "array",
  items: { type: "number", minimum: 0 },
});

const portProtocols = ["tcp", "udp", 6, 17];

const pattern: JsonSchema = {
  type: "object",
  properties: {
    type: { description: "Traffic pattern type.", enum: PATTERN_TYPES },
    name: {
      description: "Pattern name (required for custom patterns, unique).",
      type: "string",
      pattern: PATTERN_NAME_RE.source,
    },
    percentage: {
      description: "Share of records, 0..100; all sum to 100.",
      type: "number",
      minimum: 0,
      maximum: 100,
    },
    protocol: {
      description: "Custom patterns: IP protocol number or name.",
      oneOf: [integer(0, 255), { enum: Object.keys(PROTOCOL_NAMES) }],
    },
    ports: {
      description: "Custom tcp/udp patterns: destination ports, plain or {port, weight}.",
      type: "array",
      minItems: 1,
      items: {
        oneOf: [
          integer(1, 65535),
          {
            type: "object",
            properties: { port: integer(1, 65535), weight: { type: "number", minimum: 0 } },
            required: ["port"],
            additionalProperties: false,
          },
        ],
      },
    },
    flow_model: { description: "Overrides generation.flow_model.", enum: FLOW_MODELS },
    bidirectional: {
      description: "Overrides generation.bidirectional.probability.",
      oneOf: [
        probability,
        {
          type: "object",
          properties: { probability },
          required: ["probability"],
          additionalProperties: false,
        },
      ],
    },
    packet_size: { $ref: "#/$defs/packet_size" },
    packets: { $ref: "#/$defs/packet_count" },
    duration_ms: { $ref: "#/$defs/duration_ms" },
    response_packet_size: { $ref: "#/$defs/packet_size" },
    response_packets: { $ref: "#/$defs/packet_count" },
  },
  required: ["type", "percentage"],
  additionalProperties: false,
  allOf: [
    {
      if: { properties: { type: { const: "custom" } }, required: ["type"] },
      then: { required: ["name", "protocol"] },
      else: { properties: { protocol: false, ports: false } },
    },
    {
      if: { properties: { protocol: { enum: portProtocols } }, required: ["protocol"] },
      then: { required: ["ports"] },
      else: { properties: { ports: false } },
    },
  ],
};

const generation: JsonSchema = {
  description: "How many records, how fast, from when, and their shape.",
  type: ["object", "null"],
  properties: {
    max_flows: {
      ...integer(0, Number.MAX_SAFE_INTEGER),
      description: "Records to generate; 0 or absent = unlimited.",
    },
    rate: {
      type: "object",
      properties: {
        bandwidth_gbps: {
          description: "Target bandwidth; timestamps advance by bytes * 8 / bandwidth. Default 10.",
          type: "number",
          minimum: MIN_BANDWIDTH_GBPS,
          maximum: MAX_BANDWIDTH_GBPS,
        },
      },
      additionalProperties: false,
    },
    start_timestamp: {
      description: "Start of the simulated time, Unix seconds; absent = now.",
      type: "number",
      minimum: 0,
      maximum: MAX_START_TIMESTAMP,
    },
    seed: {
      description: "RNG seed, 0..2^64-1 (write seeds above 2^53 as strings); absent = random.",
      oneOf: [
        { type: "integer", minimum: 0, maximum: 18446744073709551615 },
        { type: "string", pattern: "^\\s*[0-9]+\\s*$" },
      ],
    },
    flow_model: {
      description: "packet: one packet per record (default); flow: whole flows.",
      enum: FLOW_MODELS,
    },
    bidirectional: {
      description: "Request/response pairs: a probability, or {probability, rtt_ms, max_pending}.",
      oneOf: [
        probability,
        {
          type: "object",
          properties: {
            probability,
            rtt_ms: { $ref: "#/$defs/rtt_ms" },
            max_pending: integer(1, MAX_PENDING_LIMIT, "Bound on responses waiting to be emitted."),
          },
          additionalProperties: false,
        },
      ],
    },
    shard: {
      description:
        'This generator\'s share of the traffic: "INDEX/COUNT" or {index, count}, 0-based.',
      oneOf: [
        { type: "string", pattern: "^\\s*[0-9]+\\s*/\\s*[0-9]+\\s*$" },
        {
          type: "object",
          properties: { index: integer(0, 0xffff_ffff), count: integer(1, 0xffff_ffff) },
          required: ["index", "count"],
          additionalProperties: false,
        },
      ],
    },
    threads: integer(1, MAX_THREADS, "Shards generated in parallel and merged. Default 1."),
    batch_size: integer(1, MAX_BATCH, "Records per batch. Default 16384."),
  },
  additionalProperties: false,
};

/**
 * The JSON Schema (draft 2020-12) of a FlowGen config file.
 *
 * @example
 * ```ts
 * import { configSchema } from "./mod.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(configSchema.$schema, "https://json-schema.org/draft/2020-12/schema");
 * ```
 */
export const configSchema: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "FlowGen config",
  description: "Configuration of the FlowGen synthetic network flow generator (YAML or JSON).",
  type: "object",
  properties: {
    $schema: { type: "string" },
    generation,
    traffic_patterns: {
      description: "Traffic mix: built-in patterns and custom ones; percentages sum to 100.",
      type: "array",
      minItems: 1,
      maxItems: MAX_PATTERNS,
      items: pattern,
    },
    network: {
      description: "Address space: IPv4 and IPv6 CIDR subnets with optional weights.",
      type: "object",
      properties: {
        source_subnets: subnets("Source subnets (CIDR), e.g. 192.168.1.0/24 or 2001:db8::/32."),
        source_weights: weights("One weight per source subnet (default equal)."),
        destination_subnets: subnets("Destination subnets (CIDR)."),
        destination_weights: weights("One weight per destination subnet (default equal)."),
      },
      required: ["source_subnets", "destination_subnets"],
      additionalProperties: false,
    },
    packets: {
      description: "Packet sizes in bytes: 20 <= min_size <= average_size <= max_size <= 65535.",
      type: ["object", "null"],
      properties: {
        min_size: integer(20, 65535, "Default 64."),
        max_size: integer(20, 65535, "Default 1500."),
        average_size: integer(20, 65535, "Default 800."),
      },
      additionalProperties: false,
    },
    output: {
      description: "Text output defaults of the CLI.",
      type: ["object", "null"],
      properties: {
        format: { enum: OUTPUT_FORMATS },
        fields: {
          description: "Fields written, in order (default the brief's seven).",
          oneOf: [
            { type: "array", minItems: 1, uniqueItems: true, items: { enum: OUTPUT_FIELDS } },
            { type: "string" },
          ],
        },
        include_header: boolean("CSV header line (default true)."),
        pretty: boolean("Pretty-printed JSON (default true)."),
      },
      additionalProperties: false,
    },
    export: {
      description: "NetFlow v5/v9 and IPFIX export options.",
      type: ["object", "null"],
      properties: {
        mtu: integer(576, 65535, "Largest IP packet of the export (default 1500)."),
        template_packets: integer(1, 1_000_000, "Resend templates every N packets (default 20)."),
        template_seconds: integer(1, 86_400, "...and every T seconds (default 60)."),
        domain_id: integer(0, 0xffff_ffff, "IPFIX observation domain / v9 source id."),
        engine_type: integer(0, 255, "NetFlow v5 engine type."),
        engine_id: integer(0, 255, "NetFlow v5 engine id."),
        sampling_interval: integer(0, 16383, "NetFlow v5 sampling interval."),
        skip_unsupported: boolean("Skip and count IPv6 records in NetFlow v5 instead of failing."),
        ipfix_nanoseconds: boolean("IPFIX flowStart/EndNanoseconds instead of milliseconds."),
        ipfix_biflow: boolean("RFC 5103 biflow records for bidirectional flows."),
        source_port: integer(1, 65535, "UDP source port of exported packets."),
      },
      additionalProperties: false,
    },
  },
  required: ["traffic_patterns", "network"],
  additionalProperties: false,
  $defs: {
    packet_size: distribution("Bytes per packet.", QUANTITY_RANGES.packet_size),
    packet_count: distribution("Packets per flow.", QUANTITY_RANGES.packets),
    duration_ms: distribution("Flow duration in milliseconds.", QUANTITY_RANGES.duration_ms),
    rtt_ms: distribution("Round-trip time in milliseconds.", QUANTITY_RANGES.rtt_ms),
  },
};
