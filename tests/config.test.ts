/**
 * Config loading, defaults, normalization, sample configs, and agreement of the JSON
 * Schema (configs/flowgen.schema.json, checked with ajv) with validateConfig.
 */
import { deepStrictEqual as assertEquals, ok, rejects, throws } from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import {
  ConfigError,
  configSchema,
  defaultConfig,
  EXAMPLE_CONFIG_YAML,
  type FlowGenConfig,
  loadConfigFile,
  parseConfig,
  parseConfigText,
  validateConfig,
} from "../src/config/mod.ts";
import { cidrsOverlap, parseCidr } from "../src/config/cidr.ts";

const root = new URL("../", import.meta.url);
const configPath = (name: string): string => new URL(`configs/${name}`, root).pathname;
const SAMPLES = [
  "example_config.yaml",
  "realistic_flows.yaml",
  "ipv6_mix.yaml",
  "custom_patterns.yaml",
  "netflow_export.yaml",
];

const MINIMAL = {
  traffic_patterns: [{ type: "web_traffic", percentage: 100 }],
  network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
};

Deno.test("configs/example_config.yaml is EXAMPLE_CONFIG_YAML", async () => {
  assertEquals(await Deno.readTextFile(configPath("example_config.yaml")), EXAMPLE_CONFIG_YAML);
});

const brief = new URL("../../shared/seed/flowgen-brief.md", import.meta.url);
let briefText: string | undefined;
try {
  briefText = Deno.readTextFileSync(brief);
} catch {
  briefText = undefined;
}
Deno.test({
  name: "EXAMPLE_CONFIG_YAML is the brief's example config verbatim",
  ignore: briefText === undefined,
  fn() {
    const block = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(briefText!);
    ok(block, "the brief has a yaml example");
    assertEquals(EXAMPLE_CONFIG_YAML, block[1]);
  },
});

Deno.test("defaultConfig() is the normalized example config", async () => {
  const config = defaultConfig();
  assertEquals(config, await loadConfigFile(configPath("example_config.yaml")));
  assertEquals(
    config,
    {
      generation: {
        max_flows: 1000000,
        bandwidth_gbps: 10,
        start_timestamp: 1704067200,
        flow_model: "packet",
        bidirectional: { probability: 0 },
        threads: 1,
      },
      traffic_patterns: [
        { type: "web_traffic", name: "web_traffic", percentage: 40 },
        { type: "dns_traffic", name: "dns_traffic", percentage: 20 },
        { type: "database_traffic", name: "database_traffic", percentage: 15 },
        { type: "ssh_traffic", name: "ssh_traffic", percentage: 10 },
        { type: "random", name: "random", percentage: 15 },
      ],
      network: {
        source_subnets: ["192.168.1.0/24", "192.168.2.0/24"],
        source_weights: [70, 30],
        destination_subnets: ["10.0.0.0/8"],
      },
      packets: { min_size: 64, max_size: 1500, average_size: 800 },
      output: {},
      export: {},
    } satisfies FlowGenConfig,
  );
});

Deno.test("defaultConfig() returns a fresh object each call", () => {
  const a = defaultConfig();
  a.generation.max_flows = 5;
  a.traffic_patterns.pop();
  assertEquals(defaultConfig().generation.max_flows, 1000000);
  assertEquals(defaultConfig().traffic_patterns.length, 5);
});

Deno.test("a minimal config gets the documented defaults", () => {
  const config = validateConfig(MINIMAL);
  assertEquals(config.generation, {
    max_flows: 0,
    bandwidth_gbps: 10,
    flow_model: "packet",
    bidirectional: { probability: 0 },
    threads: 1,
  });
  assertEquals(config.packets, { min_size: 64, max_size: 1500, average_size: 800 });
  assertEquals(config.output, {});
  assertEquals(config.export, {});
  assertEquals(config.generation.seed, undefined);
  assertEquals(config.generation.start_timestamp, undefined);
});

Deno.test("every sample config loads, and validateConfig is idempotent on it", async () => {
  for (const name of SAMPLES) {
    const config = await loadConfigFile(configPath(name));
    assertEquals(validateConfig(config), config, name);
    assertEquals(validateConfig(structuredClone(config)), config, name);
  }
});

Deno.test("realistic_flows.yaml: flow model, bidirectional, distributions", async () => {
  const config = await loadConfigFile(configPath("realistic_flows.yaml"));
  assertEquals(config.generation.flow_model, "flow");
  assertEquals(config.generation.seed, 42n);
  assertEquals(config.generation.bidirectional, {
    probability: 0.6,
    rtt_ms: { kind: "lognormal", a: 3, b: 0.8 },
    max_pending: 65536,
  });
  const web = config.traffic_patterns[0];
  assertEquals(web.packet_size, {
    kind: "empirical",
    a: 0,
    b: 0,
    values: [64, 576, 1500],
    weights: [0.6, 0.1, 0.3],
  });
  assertEquals(web.response_packets, { kind: "lognormal", a: 2.5, b: 1.4 });
  assertEquals(config.traffic_patterns[1].bidirectional, 0.95);
  const random = config.traffic_patterns.at(-1)!;
  assertEquals([random.flow_model, random.bidirectional], ["packet", 0]);
  assertEquals(config.output.fields?.length, 14);
});

Deno.test("ipv6_mix.yaml: IPv6 subnets are canonical and paired with IPv6 destinations", async () => {
  const config = await loadConfigFile(configPath("ipv6_mix.yaml"));
  assertEquals(config.network.source_subnets, [
    "192.168.1.0/24",
    "2001:db8:1::/48",
    "fd00:1234::/32",
  ]);
  assertEquals(config.network.destination_subnets, ["10.0.0.0/8", "2001:db8:ff00::/40"]);
  assertEquals(config.output.format, "jsonl");
});

Deno.test("custom_patterns.yaml: protocols, ports, distributions, 64-bit seed", async () => {
  const config = await loadConfigFile(configPath("custom_patterns.yaml"));
  assertEquals(config.generation.seed, 18446744073709551615n);
  const [, mqtt, syslog, ntp, ping] = config.traffic_patterns;
  assertEquals(mqtt, {
    type: "custom",
    name: "mqtt",
    percentage: 20,
    protocol: 6,
    ports: [{ port: 1883, weight: 3 }, { port: 8883, weight: 1 }],
    packet_size: { kind: "lognormal", a: 4.5, b: 0.6 },
    packets: { kind: "pareto", a: 2, b: 1.5 },
    duration_ms: { kind: "uniform", a: 10, b: 60000 },
  });
  assertEquals(syslog.protocol, 17);
  assertEquals(syslog.ports, [{ port: 514, weight: 1 }]);
  assertEquals(syslog.packet_size, { kind: "normal", a: 300, b: 80 });
  assertEquals(syslog.packets, { kind: "fixed", a: 1, b: 0 });
  assertEquals([ntp.protocol, ntp.bidirectional], [17, 1]);
  assertEquals([ping.protocol, ping.ports], [1, undefined]);
});

Deno.test("netflow_export.yaml: export options", async () => {
  const config = await loadConfigFile(configPath("netflow_export.yaml"));
  assertEquals(config.export, {
    mtu: 1500,
    template_packets: 20,
    template_seconds: 60,
    domain_id: 1,
    engine_type: 0,
    engine_id: 1,
    sampling_interval: 0,
    skip_unsupported: true,
    ipfix_nanoseconds: false,
    ipfix_biflow: true,
    source_port: 2055,
  });
});

Deno.test("JSON and YAML of the same config give the same result", () => {
  const yaml = parseConfig(EXAMPLE_CONFIG_YAML, "a.yaml");
  const value = parseConfigText(EXAMPLE_CONFIG_YAML).value as Record<string, unknown>;
  const json = JSON.stringify(value, (_k, v) => typeof v === "bigint" ? Number(v) : v);
  assertEquals(parseConfig(json, "a.json"), yaml);
  assertEquals(parseConfig(json), yaml); // detected by content
  assertEquals(parseConfigText(json).syntax, "json");
  assertEquals(parseConfigText(EXAMPLE_CONFIG_YAML).syntax, "yaml");
});

Deno.test("a byte-order mark and CRLF line ends are fine", () => {
  const text = "\ufeff" + EXAMPLE_CONFIG_YAML.replaceAll("\n", "\r\n");
  assertEquals(parseConfig(text, "x.yaml"), defaultConfig());
});

Deno.test("seeds: numbers, strings, bigints and exact 64-bit YAML/JSON literals", () => {
  const seed = (s: unknown) =>
    validateConfig({ ...MINIMAL, generation: { seed: s } }).generation.seed;
  assertEquals(seed(0), 0n);
  assertEquals(seed(42), 42n);
  assertEquals(seed("18446744073709551615"), 18446744073709551615n);
  assertEquals(seed(12345678901234567890n), 12345678901234567890n);
  const yaml = "generation:\n  seed: 12345678901234567891\n" +
    "traffic_patterns: [{type: random, percentage: 100}]\n" +
    "network: {source_subnets: [10.0.0.0/8], destination_subnets: [10.0.0.0/8]}\n";
  assertEquals(parseConfig(yaml).generation.seed, 12345678901234567891n);
  const json = JSON.stringify({ ...MINIMAL, generation: { seed: 1 } }).replace(
    '"seed":1',
    '"seed":12345678901234567893',
  );
  assertEquals(parseConfig(json, "x.json").generation.seed, 12345678901234567893n);
  throws(() => seed("18446744073709551616"), ConfigError);
  throws(() => seed(-1), ConfigError);
  throws(() => seed(2 ** 60), /write the seed as a string/);
});

Deno.test("shard as INDEX/COUNT or {index, count}; threads, batch_size, max_pending", () => {
  const g = (generation: unknown) => validateConfig({ ...MINIMAL, generation }).generation;
  assertEquals(g({ shard: "2/4" }).shard, { index: 2, count: 4 });
  assertEquals(g({ shard: { index: 0, count: 1 } }).shard, { index: 0, count: 1 });
  assertEquals(g({ threads: 64, batch_size: 1 << 16 }).threads, 64);
  assertEquals(g({ threads: 4, batch_size: 1 << 20 }).batch_size, 1 << 20);
  assertEquals(g({ bidirectional: 0.25 }).bidirectional, { probability: 0.25 });
  assertEquals(g({ bidirectional: { max_pending: 1 << 24 } }).bidirectional, {
    probability: 0,
    max_pending: 1 << 24,
  });
  throws(() => g({ shard: "4/4" }), /index 4 is out of range for count 4/);
  throws(() => g({ threads: 65 }), /expected an integer in 1\.\.64, got 65/);
  throws(() => g({ batch_size: (1 << 20) + 1 }), ConfigError);
  throws(() => g({ bidirectional: { max_pending: (1 << 24) + 1 } }), ConfigError);
});

Deno.test("every distribution kind, in file form and normalized form", () => {
  const cases: [unknown, unknown][] = [
    [800, { kind: "fixed", a: 800, b: 0 }],
    [{ distribution: "fixed", value: 64 }, { kind: "fixed", a: 64, b: 0 }],
    [{ distribution: "uniform", min: 64, max: 1500 }, { kind: "uniform", a: 64, b: 1500 }],
    [{ distribution: "normal", mean: 500, stddev: 50 }, { kind: "normal", a: 500, b: 50 }],
    [{ distribution: "lognormal", mu: 6.2, sigma: 1.1 }, { kind: "lognormal", a: 6.2, b: 1.1 }],
    [{ distribution: "pareto", scale: 40, shape: 1.2 }, { kind: "pareto", a: 40, b: 1.2 }],
    [
      { distribution: "empirical", values: [40, 1500] },
      { kind: "empirical", a: 0, b: 0, values: [40, 1500], weights: [1, 1] },
    ],
    [{ kind: "uniform", a: 100, b: 200 }, { kind: "uniform", a: 100, b: 200 }],
  ];
  for (const [input, expected] of cases) {
    const config = validateConfig({
      ...MINIMAL,
      traffic_patterns: [{ type: "web_traffic", percentage: 100, packet_size: input }],
    });
    assertEquals(config.traffic_patterns[0].packet_size, expected);
  }
});

Deno.test("percentages may sum to 100 within 1e-6", () => {
  const thirds = [1, 2, 3].map((i) => ({
    type: "custom",
    name: `p${i}`,
    protocol: "icmp",
    percentage: 100 / 3,
  }));
  assertEquals(validateConfig({ ...MINIMAL, traffic_patterns: thirds }).traffic_patterns.length, 3);
});

Deno.test("CIDR parsing: canonical forms, embedded IPv4, overlaps", () => {
  const text = (s: string) => {
    const r = parseCidr(s);
    return r.ok ? r.cidr.text : `error: ${r.reason}`;
  };
  assertEquals(text("10.0.0.0/8"), "10.0.0.0/8");
  assertEquals(text("0.0.0.0/0"), "0.0.0.0/0");
  assertEquals(text("192.168.1.7/32"), "192.168.1.7/32");
  assertEquals(text("2001:0DB8:0000::/32"), "2001:db8::/32");
  assertEquals(text("::/0"), "::/0");
  assertEquals(text("::ffff:10.0.0.0/104"), "::ffff:a00:0/104");
  assertEquals(text("2001:db8::1/128"), "2001:db8::1/128");
  assertEquals(text("1:2:3:4:5:6:7:8/128"), "1:2:3:4:5:6:7:8/128");
  assertEquals(text("10.0.0.1"), 'error: missing the prefix length (did you mean "10.0.0.1/32"?)');
  assertEquals(text("10.0.0.0/33"), "error: prefix length /33 is out of range for IPv4 (0..32)");
  assertEquals(
    text("2001:db8::/129"),
    "error: prefix length /129 is out of range for IPv6 (0..128)",
  );
  assertEquals(text("256.0.0.0/8"), 'error: "256.0.0.0" is not an IPv4 or IPv6 address');
  assertEquals(text("010.0.0.0/8"), 'error: "010.0.0.0" is not an IPv4 or IPv6 address');
  assertEquals(text("1:2:3:4:5:6:7:8:9/64"), 'error: "1:2:3:4:5:6:7:8:9" is not an IPv6 address');
  assertEquals(text("1::2::3/64"), 'error: "1::2::3" is not an IPv6 address');
  assertEquals(text("1.2.3.4::/64"), 'error: "1.2.3.4::" is not an IPv6 address');
  assertEquals(
    text("fe80::%eth0/64"),
    'error: "fe80::%eth0" is not an IPv6 address (zone ids are not allowed in a subnet)',
  );
  assertEquals(text("10.0.0.0/-1"), 'error: "/-1" is not a prefix length (0..32)');
  const get = (s: string) => {
    const r = parseCidr(s);
    if (!r.ok) throw new Error(r.reason);
    return r.cidr;
  };
  ok(cidrsOverlap(get("2001:db8::/32"), get("2001:db8:1::/48")));
  ok(!cidrsOverlap(get("2001:db8::/32"), get("10.0.0.0/8")));
  ok(!cidrsOverlap(get("10.0.0.0/9"), get("10.128.0.0/9")));
});

Deno.test("loadConfigFile: injected reader, unreadable file, not UTF-8", async () => {
  const config = await loadConfigFile("virtual.yaml", {
    readFile: () => Promise.resolve(EXAMPLE_CONFIG_YAML),
  });
  assertEquals(config, defaultConfig());
  assertEquals(await loadConfigFile(new URL("configs/example_config.yaml", root)), defaultConfig());
  await rejects(
    () => loadConfigFile("nope/missing.yaml"),
    (e: unknown) =>
      e instanceof ConfigError && e.file === "nope/missing.yaml" &&
      e.message.startsWith("nope/missing.yaml: cannot read the config file: ") &&
      e.cause instanceof Deno.errors.NotFound,
  );
  await rejects(
    () =>
      loadConfigFile("bin.yaml", {
        readFile: () => Promise.resolve(new Uint8Array([0x67, 0xff, 0xfe, 0x00])),
      }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.message === "bin.yaml: binary data: the file is not UTF-8 text; a config is YAML or JSON",
  );
});

// ---------------------------------------------------------------- JSON Schema

/** The plain JSON value of a parsed config text (bigints as numbers), as editors see it. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => typeof v === "bigint" ? Number(v) : v));
}

const ajv = new Ajv2020({
  strict: true,
  allErrors: true,
  allowUnionTypes: true,
  strictRequired: false,
});
const schemaValidate = ajv.compile(configSchema);
const schemaAccepts = (value: unknown): boolean => schemaValidate(value) as boolean;
const validatorAccepts = (value: unknown): boolean => {
  try {
    validateConfig(value);
    return true;
  } catch (e) {
    if (e instanceof ConfigError) return false;
    throw e;
  }
};

Deno.test("configs/flowgen.schema.json is configSchema", async () => {
  const file = JSON.parse(await Deno.readTextFile(configPath("flowgen.schema.json")));
  assertEquals(file, plain(configSchema));
});

Deno.test("the JSON Schema accepts every sample config", async () => {
  for (const name of SAMPLES) {
    const { value } = parseConfigText(await Deno.readTextFile(configPath(name)), name);
    ok(schemaAccepts(plain(value)), `${name}: ${JSON.stringify(schemaValidate.errors)}`);
  }
});

const withPattern = (pattern: Record<string, unknown>) => ({
  ...MINIMAL,
  traffic_patterns: [{ percentage: 100, ...pattern }],
});
const withGeneration = (generation: unknown) => ({ ...MINIMAL, generation });
const withNetwork = (network: Record<string, unknown>) => ({
  ...MINIMAL,
  network: { ...MINIMAL.network, ...network },
});

/** Cases both the schema and the validator must judge alike: [name, value, valid]. */
const AGREEMENT: [string, unknown, boolean][] = [
  ["minimal", MINIMAL, true],
  ["$schema key", { $schema: "./flowgen.schema.json", ...MINIMAL }, true],
  [
    "empty sections",
    { ...MINIMAL, generation: null, packets: null, output: null, export: null },
    true,
  ],
  [
    "full generation",
    withGeneration({
      max_flows: 10,
      rate: { bandwidth_gbps: 40 },
      start_timestamp: 1704067200.5,
      seed: "7",
      flow_model: "flow",
      bidirectional: {
        probability: 0.5,
        rtt_ms: { distribution: "lognormal", mu: 3, sigma: 1 },
        max_pending: 100,
      },
      shard: "1/2",
      threads: 2,
      batch_size: 4096,
    }),
    true,
  ],
  [
    "custom udp",
    withPattern({
      type: "custom",
      name: "x",
      protocol: "udp",
      ports: [53, { port: 5353, weight: 2 }],
    }),
    true,
  ],
  ["custom icmp", withPattern({ type: "custom", name: "x", protocol: 1 }), true],
  [
    "pattern bidirectional object",
    withPattern({ type: "dns_traffic", bidirectional: { probability: 1 } }),
    true,
  ],
  ["output", {
    ...MINIMAL,
    output: { format: "json", fields: ["timestamp", "bytes"], include_header: false, pretty: true },
  }, true],
  ["fields string", { ...MINIMAL, output: { fields: "timestamp,src_ip" } }, true],
  [
    "export",
    { ...MINIMAL, export: { mtu: 9000, domain_id: 4294967295, skip_unsupported: true } },
    true,
  ],
  [
    "ipv6",
    withNetwork({ source_subnets: ["2001:db8::/32"], destination_subnets: ["2001:db8:1::/48"] }),
    true,
  ],
  ["not a mapping", [1, 2], false],
  ["unknown root key", { ...MINIMAL, generaton: {} }, false],
  ["missing network", { traffic_patterns: MINIMAL.traffic_patterns }, false],
  ["missing traffic_patterns", { network: MINIMAL.network }, false],
  ["unknown generation key", withGeneration({ max_flow: 1 }), false],
  ["max_flows negative", withGeneration({ max_flows: -1 }), false],
  ["max_flows fractional", withGeneration({ max_flows: 1.5 }), false],
  ["max_flows string", withGeneration({ max_flows: "10" }), false],
  ["bandwidth zero", withGeneration({ rate: { bandwidth_gbps: 0 } }), false],
  ["bandwidth huge", withGeneration({ rate: { bandwidth_gbps: 1e7 } }), false],
  ["start negative", withGeneration({ start_timestamp: -1 }), false],
  ["seed negative", withGeneration({ seed: -5 }), false],
  ["seed word", withGeneration({ seed: "abc" }), false],
  ["flow model", withGeneration({ flow_model: "packets" }), false],
  ["probability > 1", withGeneration({ bidirectional: 1.5 }), false],
  ["max_pending too big", withGeneration({ bidirectional: { max_pending: 2 ** 24 + 1 } }), false],
  ["shard text", withGeneration({ shard: "one of two" }), false],
  ["shard missing count", withGeneration({ shard: { index: 0 } }), false],
  ["threads 0", withGeneration({ threads: 0 }), false],
  ["batch 0", withGeneration({ batch_size: 0 }), false],
  ["empty patterns", { ...MINIMAL, traffic_patterns: [] }, false],
  ["pattern type", withPattern({ type: "web" }), false],
  ["pattern without type", withPattern({}), false],
  ["percentage string", {
    ...MINIMAL,
    traffic_patterns: [{ type: "web_traffic", percentage: "100" }],
  }, false],
  ["percentage > 100", withPattern({ type: "web_traffic", percentage: 150 }), false],
  ["custom without name", withPattern({ type: "custom", protocol: "icmp" }), false],
  ["custom without protocol", withPattern({ type: "custom", name: "x" }), false],
  ["custom tcp without ports", withPattern({ type: "custom", name: "x", protocol: "tcp" }), false],
  [
    "ports on icmp",
    withPattern({ type: "custom", name: "x", protocol: "icmp", ports: [1] }),
    false,
  ],
  ["ports on builtin", withPattern({ type: "web_traffic", ports: [80] }), false],
  ["protocol 256", withPattern({ type: "custom", name: "x", protocol: 256 }), false],
  ["protocol name", withPattern({ type: "custom", name: "x", protocol: "TCP", ports: [1] }), false],
  ["port 0", withPattern({ type: "custom", name: "x", protocol: "tcp", ports: [0] }), false],
  [
    "port 65536",
    withPattern({ type: "custom", name: "x", protocol: "tcp", ports: [{ port: 65536 }] }),
    false,
  ],
  ["empty ports", withPattern({ type: "custom", name: "x", protocol: "tcp", ports: [] }), false],
  ["bad name", withPattern({ type: "custom", name: "my app", protocol: "icmp" }), false],
  [
    "distribution kind",
    withPattern({ type: "web_traffic", packet_size: { distribution: "gauss", mean: 1 } }),
    false,
  ],
  [
    "distribution param",
    withPattern({ type: "web_traffic", packet_size: { distribution: "normal", mean: 1 } }),
    false,
  ],
  [
    "distribution extra",
    withPattern({ type: "web_traffic", packets: { distribution: "fixed", value: 1, mu: 2 } }),
    false,
  ],
  ["packet size 10", withPattern({ type: "web_traffic", packet_size: 10 }), false],
  ["packets 0", withPattern({ type: "web_traffic", packets: 0 }), false],
  [
    "sigma negative",
    withPattern({ type: "web_traffic", packets: { distribution: "lognormal", mu: 1, sigma: -1 } }),
    false,
  ],
  [
    "pareto shape 0",
    withPattern({ type: "web_traffic", packets: { distribution: "pareto", scale: 1, shape: 0 } }),
    false,
  ],
  [
    "empirical empty",
    withPattern({ type: "web_traffic", packets: { distribution: "empirical", values: [] } }),
    false,
  ],
  ["subnets empty", withNetwork({ source_subnets: [] }), false],
  ["subnet number", withNetwork({ source_subnets: [10] }), false],
  ["subnet without prefix", withNetwork({ source_subnets: ["10.0.0.1"] }), false],
  ["weights negative", withNetwork({ source_weights: [-1] }), false],
  ["network unknown key", withNetwork({ source_subnet: ["10.0.0.0/8"] }), false],
  ["packets string", { ...MINIMAL, packets: { min_size: "64" } }, false],
  ["packets 19", { ...MINIMAL, packets: { min_size: 19 } }, false],
  ["packets 70000", { ...MINIMAL, packets: { max_size: 70000 } }, false],
  ["output format", { ...MINIMAL, output: { format: "xml" } }, false],
  ["output field", { ...MINIMAL, output: { fields: ["timestamp", "nope"] } }, false],
  ["output repeated field", { ...MINIMAL, output: { fields: ["timestamp", "timestamp"] } }, false],
  ["header string", { ...MINIMAL, output: { include_header: "yes" } }, false],
  ["mtu small", { ...MINIMAL, export: { mtu: 500 } }, false],
  ["engine id", { ...MINIMAL, export: { engine_id: 256 } }, false],
  ["export unknown", { ...MINIMAL, export: { version: 9 } }, false],
];

/** Invalid for the validator but beyond what JSON Schema can say (documented in schema.ts). */
const VALIDATOR_ONLY: [string, unknown][] = [
  ["percentages sum to 95", {
    ...MINIMAL,
    traffic_patterns: [{ type: "web_traffic", percentage: 95 }],
  }],
  ["min > max", { ...MINIMAL, packets: { min_size: 1600, max_size: 1500 } }],
  ["average outside", { ...MINIMAL, packets: { average_size: 1501 } }],
  ["host bits", withNetwork({ source_subnets: ["10.0.0.1/8"] })],
  ["prefix /33", withNetwork({ source_subnets: ["10.0.0.0/33"] })],
  ["overlap", withNetwork({ source_subnets: ["10.0.0.0/8", "10.1.0.0/16"] })],
  ["no IPv6 destination", withNetwork({ source_subnets: ["2001:db8::/32"] })],
  ["weights count", withNetwork({ source_weights: [1, 2] })],
  ["weights all zero", withNetwork({ source_weights: [0] })],
  ["duplicate names", {
    ...MINIMAL,
    traffic_patterns: [{ type: "web_traffic", percentage: 50 }, {
      type: "web_traffic",
      percentage: 50,
    }],
  }],
  ["shard index >= count", withGeneration({ shard: { index: 2, count: 2 } })],
  [
    "uniform min > max",
    withPattern({ type: "web_traffic", packets: { distribution: "uniform", min: 9, max: 3 } }),
  ],
  [
    "empirical weights count",
    withPattern({
      type: "web_traffic",
      packets: { distribution: "empirical", values: [1, 2], weights: [1] },
    }),
  ],
  ["seed above 2^64", withGeneration({ seed: "18446744073709551616" })],
  ["batch memory", withGeneration({ threads: 64, batch_size: 1 << 20 })],
];

Deno.test("the JSON Schema and validateConfig agree", () => {
  for (const [name, value, valid] of AGREEMENT) {
    assertEquals(validatorAccepts(value), valid, `validator, ${name}`);
    assertEquals(
      schemaAccepts(plain(value)),
      valid,
      `schema, ${name}: ${JSON.stringify(schemaValidate.errors)}`,
    );
  }
});

Deno.test("validateConfig also refuses what the schema cannot express", () => {
  for (const [name, value] of VALIDATOR_ONLY) {
    ok(!validatorAccepts(value), name);
    ok(schemaAccepts(plain(value)), `schema, ${name}: ${JSON.stringify(schemaValidate.errors)}`);
  }
});

// ---------------------------------------------------------------- the engine agrees

/** Configs at the edges of every range the TS validator accepts; the engine must too. */
const EDGES: [string, unknown][] = [
  ["generation maxima", {
    ...MINIMAL,
    generation: {
      max_flows: Number.MAX_SAFE_INTEGER,
      rate: { bandwidth_gbps: 1e6 },
      start_timestamp: 18446744073,
      seed: "18446744073709551615",
      flow_model: "flow",
      bidirectional: { probability: 1, rtt_ms: 60000, max_pending: 1 << 24 },
      shard: "4294967294/4294967295",
      threads: 1,
      batch_size: 1 << 20,
    },
  }],
  ["64 threads", { ...MINIMAL, generation: { threads: 64 } }],
  ["generation minima", {
    ...MINIMAL,
    generation: {
      max_flows: 0,
      rate: { bandwidth_gbps: 1e-6 },
      start_timestamp: 0,
      seed: 0,
      bidirectional: { probability: 0, rtt_ms: 0, max_pending: 1 },
      shard: "0/1",
      threads: 1,
      batch_size: 1,
    },
  }],
  ["255 patterns, percentages summing to 100 within 1e-6", {
    ...MINIMAL,
    traffic_patterns: Array.from({ length: 255 }, (_, i) => ({
      type: "custom",
      name: `p${i}`,
      protocol: i,
      ...(i === 6 || i === 17 ? { ports: [1] } : {}),
      percentage: 100 / 255,
    })),
  }],
  ["a 0 % pattern", {
    ...MINIMAL,
    traffic_patterns: [{ type: "random", percentage: 0 }, { type: "web_traffic", percentage: 100 }],
  }],
  [
    "/0, /32 and /128",
    withNetwork({
      source_subnets: ["0.0.0.0/0", "::/0"],
      destination_subnets: ["10.0.0.1/32", "2001:db8::1/128"],
    }),
  ],
  [
    "an IPv6 source of weight 0 without IPv6 destination",
    withNetwork({ source_subnets: ["10.0.0.0/8", "2001:db8::/32"], source_weights: [1, 0] }),
  ],
  ["packet sizes 20..65535", {
    ...MINIMAL,
    packets: { min_size: 20, max_size: 65535, average_size: 20 },
  }],
  ["packet sizes all equal", {
    ...MINIMAL,
    packets: { min_size: 1500, max_size: 1500, average_size: 1500 },
  }],
  [
    "fixed distributions at their bounds",
    withPattern({
      type: "web_traffic",
      packet_size: 65535,
      packets: 4294967295,
      duration_ms: 86400000,
      response_packet_size: 20,
      response_packets: 1,
    }),
  ],
  [
    "distribution parameter bounds",
    withPattern({
      type: "web_traffic",
      packet_size: { distribution: "normal", mean: -5, stddev: 0 },
      packets: { distribution: "lognormal", mu: 50, sigma: 20 },
      duration_ms: { distribution: "pareto", scale: 1e-9, shape: 1e-9 },
      response_packet_size: { distribution: "uniform", min: 20, max: 20 },
      response_packets: { distribution: "empirical", values: [1, 2], weights: [0, 1] },
    }),
  ],
  [
    "a port of weight 0",
    withPattern({
      type: "custom",
      name: "x",
      protocol: "tcp",
      ports: [{ port: 1, weight: 0 }, 65535],
    }),
  ],
  [
    "per-pattern overrides",
    withPattern({ type: "dns_traffic", flow_model: "flow", bidirectional: 1 }),
  ],
];

type Engine = {
  create(config: FlowGenConfig): void;
};
async function openEngine(): Promise<Engine | undefined> {
  try {
    const { loadLibrary } = await import("../src/native/loader.ts");
    const { createNativeGenerator } = await import("../src/native/config.ts");
    const lib = loadLibrary();
    return {
      create(config) {
        lib.symbols.flowgen_generator_free(createNativeGenerator(lib, config));
      },
    };
  } catch {
    return undefined; // no library built: the native tests report that
  }
}
const engine = await openEngine();

Deno.test({
  name: "the engine accepts every sample config and every edge config the validator accepts",
  ignore: engine === undefined,
  async fn() {
    for (const name of SAMPLES) engine!.create(await loadConfigFile(configPath(name)));
    for (const [name, value] of EDGES) {
      const config = validateConfig(value);
      try {
        engine!.create(config);
      } catch (e) {
        throw new Error(`${name}: the engine refused: ${(e as Error).message}`);
      }
    }
  },
});
