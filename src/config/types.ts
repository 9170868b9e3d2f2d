/**
 * The validated, normalized FlowGen configuration: the shape the YAML/JSON config has
 * after parsing, with every default filled in. Produced by `src/config/` (parsing and
 * validation), consumed by `src/native/` (which hands it to the engine through the C ABI).
 *
 * @module
 */

/** Built-in traffic pattern types of the brief, plus `custom`. */
export type PatternType =
  | "web_traffic"
  | "dns_traffic"
  | "ssh_traffic"
  | "database_traffic"
  | "smtp_traffic"
  | "ftp_traffic"
  | "random"
  | "custom";

/** How a record is shaped: one packet per record (the brief) or a whole flow. */
export type FlowModel = "packet" | "flow";

/**
 * A scalar distribution. Parameters by kind: fixed `a` = value; uniform `a` = min,
 * `b` = max; normal `a` = mean, `b` = standard deviation; lognormal `a` = mu, `b` = sigma;
 * pareto `a` = scale, `b` = shape; empirical `values` with `weights`.
 */
export interface Distribution {
  /** Which law (see the interface's description for the parameters). */
  kind: "fixed" | "uniform" | "normal" | "lognormal" | "pareto" | "empirical";
  /** First parameter. */
  a: number;
  /** Second parameter. */
  b: number;
  /** Empirical: the values. */
  values?: number[];
  /** Empirical: one weight per value. */
  weights?: number[];
}

/** One entry of `traffic_patterns`. */
export interface PatternConfig {
  /** Built-in type, or `custom`. */
  type: PatternType;
  /** The type for built-in patterns; the user's name for custom ones. */
  name: string;
  /** Share of the records, 0..100 (all patterns sum to 100). */
  percentage: number;
  /** Custom patterns: IP protocol number (6 TCP, 17 UDP, 1 ICMP, ...). */
  protocol?: number;
  /** Custom patterns: destination ports with weights (equal weights when absent). */
  ports?: { port: number; weight: number }[];
  /** Bytes per packet, request direction. */
  packet_size?: Distribution;
  /** Packets per flow, request direction. */
  packets?: Distribution;
  /** Flow duration in milliseconds. */
  duration_ms?: Distribution;
  /** Bytes per packet of the response. */
  response_packet_size?: Distribution;
  /** Packets per flow of the response. */
  response_packets?: Distribution;
  /** Per-pattern override of `generation.flow_model`. */
  flow_model?: FlowModel;
  /** Per-pattern override of `generation.bidirectional.probability`. */
  bidirectional?: number;
}

/** The whole configuration, defaults applied. */
export interface FlowGenConfig {
  /** The `generation` section. */
  generation: {
    /** 0 = unlimited. */
    max_flows: number;
    /** `generation.rate.bandwidth_gbps` in the file. */
    bandwidth_gbps: number;
    /** Unix seconds; absent = now. */
    start_timestamp?: number;
    /** Absent = a random seed. */
    seed?: bigint;
    flow_model: FlowModel;
    bidirectional: { probability: number; rtt_ms?: Distribution; max_pending?: number };
    shard?: { index: number; count: number };
    threads: number;
    batch_size?: number;
  };
  /** The `traffic_patterns` list. */
  traffic_patterns: PatternConfig[];
  /** The `network` section. */
  network: {
    source_subnets: string[];
    source_weights?: number[];
    destination_subnets: string[];
    destination_weights?: number[];
  };
  /** The `packets` section. */
  packets: { min_size: number; max_size: number; average_size: number };
  /** Text output options (CLI defaults; the API's exporters take their own options). */
  output: {
    format?: "csv" | "json" | "jsonl";
    fields?: string[];
    include_header?: boolean;
    pretty?: boolean;
  };
  /** NetFlow/IPFIX export options (FLOWGEN_PARAM_* of the C ABI). */
  export: {
    mtu?: number;
    template_packets?: number;
    template_seconds?: number;
    domain_id?: number;
    engine_type?: number;
    engine_id?: number;
    sampling_interval?: number;
    skip_unsupported?: boolean;
    ipfix_nanoseconds?: boolean;
    ipfix_biflow?: boolean;
    source_port?: number;
  };
}
