/**
 * The bad-input matrix of the config: each bad YAML/JSON text gives one precise message
 * (file:line:column key.path: reason), and ConfigError carries every error found.
 */
import { deepStrictEqual as assertEquals, ok, throws } from "node:assert/strict";
import { ConfigError, parseConfig, validateConfig } from "../src/config/mod.ts";

const BASE = `traffic_patterns:
  - type: web_traffic
    percentage: 60
  - type: dns_traffic
    percentage: 40
network:
  source_subnets: [192.168.1.0/24]
  destination_subnets: [10.0.0.0/8]
`;
const gen = (body: string) => `generation:\n${body}\n${BASE}`;
const pattern = (lines: string) =>
  BASE.replace("type: dns_traffic", `type: dns_traffic\n    ${lines}`);

function errorOf(text: string, filename: string): ConfigError {
  try {
    parseConfig(text, filename);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`accepted: ${text}`);
}

/** [case, config text, expected message] for c.yaml. */
const YAML_CASES: [string, string, string][] = [
  [
    "unknown root key",
    "generaton:\n  max_flows: 1\n" + BASE,
    'c.yaml:1:1 generaton: unknown key (did you mean "generation"?)',
  ],
  [
    "unknown key",
    gen("  max_flow: 1"),
    'c.yaml:2:3 generation.max_flow: unknown key (did you mean "max_flows"?)',
  ],
  [
    "word for a number",
    gen("  max_flows: ten"),
    'c.yaml:2:14 generation.max_flows: expected an integer, got "ten"',
  ],
  [
    "negative",
    gen("  max_flows: -5"),
    "c.yaml:2:14 generation.max_flows: expected an integer in 0..9007199254740991, got -5",
  ],
  [
    "non-integer",
    gen("  max_flows: 1.5"),
    "c.yaml:2:14 generation.max_flows: expected an integer, got 1.5",
  ],
  [
    "NaN",
    gen("  max_flows: .nan"),
    "c.yaml:2:14 generation.max_flows: expected an integer, got NaN",
  ],
  [
    "huge float",
    gen("  max_flows: 1e300"),
    "c.yaml:2:14 generation.max_flows: expected an integer in 0..9007199254740991, got 1e+300",
  ],
  [
    "huge integer",
    gen("  max_flows: 123456789012345678901234"),
    "c.yaml:2:14 generation.max_flows: expected an integer in 0..9007199254740991, got 123456789012345678901234",
  ],
  [
    "empty value",
    gen("  max_flows:"),
    "c.yaml:2:3 generation.max_flows: expected an integer, got null (an empty value)",
  ],
  [
    "infinity",
    gen("  rate:\n    bandwidth_gbps: .inf"),
    "c.yaml:3:21 generation.rate.bandwidth_gbps: expected a finite number, got Infinity",
  ],
  [
    "zero bandwidth",
    gen("  rate:\n    bandwidth_gbps: 0"),
    "c.yaml:3:21 generation.rate.bandwidth_gbps: expected a number in 0.000001..1000000, got 0",
  ],
  [
    "misspelt nested key",
    gen("  rate:\n    bandwith_gbps: 1"),
    'c.yaml:3:5 generation.rate.bandwith_gbps: unknown key (did you mean "bandwidth_gbps"?)',
  ],
  [
    "scalar for a mapping",
    gen("  rate: 10"),
    "c.yaml:2:9 generation.rate: expected a mapping, got 10",
  ],
  [
    "fractional seed",
    gen("  seed: 1.5"),
    "c.yaml:2:9 generation.seed: expected an integer in 0..18446744073709551615, got 1.5",
  ],
  [
    "seed above 2^64",
    gen("  seed: 18446744073709551616"),
    "c.yaml:2:9 generation.seed: expected an integer in 0..18446744073709551615, got 18446744073709551616",
  ],
  [
    "flow model",
    gen("  flow_model: flows"),
    'c.yaml:2:15 generation.flow_model: unknown flow model "flows" (did you mean "flow"?)',
  ],
  [
    "shard index",
    gen("  shard: 3/3"),
    "c.yaml:2:10 generation.shard: index 3 is out of range for count 3 (indices are 0..2)",
  ],
  [
    "threads",
    gen("  threads: 0"),
    "c.yaml:2:12 generation.threads: expected an integer in 1..64, got 0",
  ],
  [
    "max_pending limit",
    gen("  bidirectional:\n    max_pending: 16777217"),
    "c.yaml:3:18 generation.bidirectional.max_pending: expected an integer in 1..16777216, got 16777217",
  ],
  [
    "probability",
    gen("  bidirectional: 1.5"),
    "c.yaml:2:18 generation.bidirectional: expected a number in 0..1, got 1.5",
  ],
  [
    "percentage word",
    BASE.replace("percentage: 40", "percentage: ten"),
    'c.yaml:5:17 traffic_patterns[1].percentage: expected a number, got "ten"',
  ],
  [
    "percentages sum",
    BASE.replace("percentage: 40", "percentage: 35"),
    "c.yaml:1:1 traffic_patterns: percentages sum to 95, expected 100",
  ],
  [
    "pattern typo",
    BASE.replace("dns_traffic", "dns"),
    'c.yaml:4:11 traffic_patterns[1].type: unknown pattern type "dns" (did you mean "dns_traffic"?)',
  ],
  [
    "unknown pattern",
    BASE.replace("dns_traffic", "zzz"),
    'c.yaml:4:11 traffic_patterns[1].type: unknown pattern type "zzz", expected one of "web_traffic", "dns_traffic", "ssh_traffic", "database_traffic", "smtp_traffic", "ftp_traffic", "random" or "custom"',
  ],
  [
    "patterns not a list",
    "traffic_patterns:\n  web_traffic: 100\nnetwork: {}\n",
    "c.yaml:2:3 traffic_patterns: expected a list, got a mapping",
  ],
  [
    "no patterns",
    BASE.replace(/traffic_patterns:[\s\S]*?network/, "traffic_patterns: []\nnetwork"),
    "c.yaml:1:19 traffic_patterns: empty, at least one pattern is required",
  ],
  [
    "missing section",
    "traffic_patterns:\n  - {type: random, percentage: 100}\n",
    "c.yaml:1:1 network: required key is missing",
  ],
  [
    "custom without name",
    pattern("protocol: udp\n    ports: [53]").replace("dns_traffic", "custom"),
    "c.yaml:4:5 traffic_patterns[1].name: required key is missing",
  ],
  [
    "tcp without ports",
    pattern("name: app\n    protocol: tcp").replace("dns_traffic", "custom"),
    "c.yaml:4:5 traffic_patterns[1].ports: a tcp pattern needs destination ports",
  ],
  [
    "unknown protocol",
    pattern("name: app\n    protocol: tpc").replace("dns_traffic", "custom"),
    'c.yaml:6:15 traffic_patterns[1].protocol: unknown protocol "tpc" (did you mean "tcp"?)',
  ],
  [
    "ports on icmp",
    pattern("name: app\n    protocol: icmp\n    ports: [7]").replace("dns_traffic", "custom"),
    "c.yaml:7:5 traffic_patterns[1].ports: ports apply only to tcp (6) and udp (17) patterns, not protocol 1",
  ],
  [
    "duplicate pattern",
    BASE.replace("dns_traffic", "web_traffic"),
    'c.yaml:4:11 traffic_patterns[1].type: duplicate pattern name "web_traffic" (also traffic_patterns[0]); give each pattern a distinct name',
  ],
  [
    "ports on built-in",
    pattern("ports: [53]"),
    'c.yaml:5:5 traffic_patterns[1].ports: only custom patterns take "ports" (this one is dns_traffic)',
  ],
  [
    "distribution typo",
    pattern("packet_size: {distribution: lognorm, mu: 1, sigma: 1}"),
    'c.yaml:5:33 traffic_patterns[1].packet_size.distribution: unknown distribution "lognorm" (did you mean "lognormal"?)',
  ],
  [
    "missing parameter",
    pattern("packet_size: {distribution: lognormal, mu: 1}"),
    'c.yaml:5:18 traffic_patterns[1].packet_size.sigma: a lognormal distribution needs "sigma"',
  ],
  [
    "misspelt parameter",
    pattern("packet_size: {distribution: lognormal, mu: 1, sigma: 1, sigm: 2}"),
    'c.yaml:5:61 traffic_patterns[1].packet_size.sigm: unknown key for a lognormal distribution (did you mean "sigma"?)',
  ],
  [
    "uniform bounds",
    pattern("packets: {distribution: uniform, min: 9, max: 3}"),
    "c.yaml:5:14 traffic_patterns[1].packets: uniform min 9 > max 3",
  ],
  [
    "fixed size too small",
    pattern("packet_size: 10"),
    "c.yaml:5:18 traffic_patterns[1].packet_size: expected a number in 20..65535, got 10",
  ],
  [
    "host bits",
    BASE.replace("192.168.1.0/24", "192.168.1.1/24"),
    'c.yaml:7:20 network.source_subnets[0]: "192.168.1.1/24": host bits are set after /24 (did you mean "192.168.1.0/24"?)',
  ],
  [
    "prefix /33",
    BASE.replace("10.0.0.0/8", "10.0.0.0/33"),
    'c.yaml:8:25 network.destination_subnets[0]: "10.0.0.0/33": prefix length /33 is out of range for IPv4 (0..32)',
  ],
  [
    "prefix /129",
    BASE.replace("10.0.0.0/8", "2001:db8::/129"),
    'c.yaml:8:25 network.destination_subnets[0]: "2001:db8::/129": prefix length /129 is out of range for IPv6 (0..128)',
  ],
  [
    "no prefix",
    BASE.replace("10.0.0.0/8", "10.0.0.1"),
    'c.yaml:8:25 network.destination_subnets[0]: "10.0.0.1": missing the prefix length (did you mean "10.0.0.1/32"?)',
  ],
  [
    "bad address",
    BASE.replace("10.0.0.0/8", "10.0.0.300/32"),
    'c.yaml:8:25 network.destination_subnets[0]: "10.0.0.300/32": "10.0.0.300" is not an IPv4 or IPv6 address',
  ],
  [
    "overlapping subnets",
    BASE.replace("[10.0.0.0/8]", "[10.0.0.0/8, 10.20.0.0/16]"),
    'c.yaml:8:37 network.destination_subnets[1]: "10.20.0.0/16" overlaps network.destination_subnets[0] "10.0.0.0/8"',
  ],
  [
    "no destination of the family",
    BASE.replace("[192.168.1.0/24]", "[192.168.1.0/24, 2001:db8::/32]"),
    'c.yaml:8:24 network.destination_subnets: no IPv6 subnet (with a weight > 0) for the IPv6 source network.source_subnets[1] "2001:db8::/32"',
  ],
  [
    "weights count",
    BASE.replace("  destination_subnets", "  source_weights: [1, 2]\n  destination_subnets"),
    "c.yaml:8:19 network.source_weights: 2 weights for 1 subnet in network.source_subnets (one weight per subnet expected)",
  ],
  [
    "weights all zero",
    BASE.replace("  destination_subnets", "  source_weights: [0]\n  destination_subnets"),
    "c.yaml:8:19 network.source_weights: all weights are zero",
  ],
  [
    "negative weight",
    BASE.replace("  destination_subnets", "  source_weights: [-1]\n  destination_subnets"),
    "c.yaml:8:20 network.source_weights[0]: expected a number >= 0, got -1",
  ],
  [
    "missing subnets",
    BASE.replace("  destination_subnets: [10.0.0.0/8]\n", ""),
    "c.yaml:7:3 network.destination_subnets: required key is missing",
  ],
  [
    "empty subnets",
    BASE.replace("[10.0.0.0/8]", "[]"),
    "c.yaml:8:24 network.destination_subnets: empty, at least one subnet is required",
  ],
  [
    "min > max",
    BASE + "packets:\n  min_size: 1600\n  max_size: 1500\n",
    "c.yaml:10:3 packets: min_size 1600 > max_size 1500",
  ],
  [
    "average outside",
    BASE + "packets:\n  average_size: 2000\n",
    "c.yaml:10:17 packets.average_size: 2000 is outside [min_size 64, max_size 1500]",
  ],
  [
    "size below header",
    BASE + "packets:\n  min_size: 10\n",
    "c.yaml:10:13 packets.min_size: expected an integer in 20..65535, got 10",
  ],
  [
    "output format",
    BASE + "output:\n  format: xml\n",
    'c.yaml:10:11 output.format: unknown output format "xml", expected one of "csv", "json" or "jsonl"',
  ],
  [
    "output field",
    BASE + "output:\n  fields: [timestamp, src_ipp]\n",
    'c.yaml:10:23 output.fields[1]: unknown field "src_ipp" (did you mean "src_ip"?)',
  ],
  [
    "export mtu",
    BASE + "export:\n  mtu: 100\n",
    "c.yaml:10:8 export.mtu: expected an integer in 576..65535, got 100",
  ],
  [
    "YAML 1.1 boolean",
    BASE + "export:\n  ipfix_biflow: yes\n",
    'c.yaml:10:17 export.ipfix_biflow: expected true or false, got "yes"',
  ],
  [
    "duplicate key",
    BASE + "packets:\n  min_size: 64\n  min_size: 65\n",
    'c.yaml:11:3: duplicate key "min_size"',
  ],
  [
    "tab indentation",
    "generation:\n\tmax_flows: 1\n" + BASE,
    "c.yaml:2:1: YAML syntax error: Tabs are not allowed as indentation",
  ],
  [
    "unclosed flow sequence",
    "generation: [\n" + BASE,
    "c.yaml:2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]",
  ],
  [
    "two documents",
    BASE + "---\n" + BASE,
    "c.yaml:9:1: YAML syntax error: a config is one YAML document, found a second one here",
  ],
  [
    "scalar root",
    "hello\n",
    'c.yaml:1:1: the config must be a mapping of sections (generation, traffic_patterns, network, packets, ...), got "hello"',
  ],
  [
    "list root",
    "- a\n",
    "c.yaml:1:1: the config must be a mapping of sections (generation, traffic_patterns, network, packets, ...), got a list",
  ],
  ["empty file", "", "c.yaml: the config is empty"],
  ["whitespace only", "  \n\n", "c.yaml: the config is empty"],
  [
    "comments only",
    "# nothing here\n\n",
    "c.yaml: the config is empty (only comments or blank lines)",
  ],
  [
    "binary garbage",
    "abc\u0000\u0001\u0002\u00ff",
    "c.yaml:1:4: binary data (character U+0000); a config is YAML or JSON text",
  ],
];

const JSON_VALID_TAIL =
  '"network": {"source_subnets": ["10.0.0.0/8"], "destination_subnets": ["10.0.0.0/8"]}';

/** [case, JSON text, expected message] for c.json. */
const JSON_CASES: [string, string, string][] = [
  [
    "trailing comma",
    '{"generation": {"max_flows": 1,}}',
    "c.json:1:31: JSON syntax error: trailing comma is not allowed in JSON",
  ],
  [
    "single quotes",
    "{'generation': 1}",
    "c.json:1:2: JSON syntax error: keys must use double quotes in JSON",
  ],
  [
    "missing comma",
    '{"a": 1\n "b": 2}',
    'c.json:2:2: JSON syntax error: expected "," or "}", got a string',
  ],
  ["unterminated string", '{"a": "x', "c.json:1:7: JSON syntax error: unterminated string"],
  ["comment", '{// hi\n"a": 1}', "c.json:1:2: JSON syntax error: comments are not allowed in JSON"],
  [
    "bare word",
    '{"a": nope}',
    'c.json:1:7: JSON syntax error: unexpected "nope", expected a value',
  ],
  ["NaN", '{"a": NaN}', 'c.json:1:7: JSON syntax error: unexpected "NaN", expected a value'],
  [
    "garbage after",
    '{"a": 1} x',
    'c.json:1:10: JSON syntax error: unexpected "x" after the end of the JSON value',
  ],
  [
    "unclosed",
    '{"a": [1, 2',
    'c.json:1:12: JSON syntax error: expected "," or "]", got the end of the text',
  ],
  ["duplicate key", '{"network": 1, "network": 2}', 'c.json:1:16: duplicate key "network"'],
  ["empty", "  ", "c.json: the config is empty"],
  [
    "wrong type",
    `{"traffic_patterns": [{"type": "web_traffic", "percentage": "ten"}], ${JSON_VALID_TAIL}}`,
    'c.json:1:61 traffic_patterns[0].percentage: expected a number, got "ten"',
  ],
  [
    "unknown key",
    `{"traffic_patterns": [{"type": "web_traffic", "percentage": 100}],\n  "netwrok": {}}`,
    'c.json:2:3 netwrok: unknown key (did you mean "network"?)',
  ],
  [
    "array root",
    "[1, 2]",
    "c.json:1:1: the config must be a mapping of sections (generation, traffic_patterns, network, packets, ...), got a list",
  ],
];

for (const [name, text, message] of YAML_CASES) {
  Deno.test(`YAML: ${name}`, () => assertEquals(errorOf(text, "c.yaml").message, message));
}
for (const [name, text, message] of JSON_CASES) {
  Deno.test(`JSON: ${name}`, () => assertEquals(errorOf(text, "c.json").message, message));
}

Deno.test("the issue's example message, with its parts as fields", () => {
  const text = "# x\n".repeat(7) + BASE.replace("percentage: 60", "percentage: 30")
    .replace(
      "  - type: dns_traffic",
      "  - type: ssh_traffic\n    percentage: 30\n  - type: dns_traffic",
    )
    .replace("percentage: 40", "percentage: ten");
  const e = errorOf(text, "configs/x.yaml");
  assertEquals(
    e.message,
    'configs/x.yaml:14:17 traffic_patterns[2].percentage: expected a number, got "ten"',
  );
  assertEquals([e.file, e.line, e.column, e.path], [
    "configs/x.yaml",
    14,
    17,
    "traffic_patterns[2].percentage",
  ]);
  assertEquals(e.reason, 'expected a number, got "ten"');
  assertEquals(e.name, "ConfigError");
  ok(e instanceof Error);
});

Deno.test("every error is collected, in file order", () => {
  const text = "generation:\n  max_flow: 1\n  threads: 0\n" +
    BASE.replace("percentage: 40", "percentage: x").replace("10.0.0.0/8", "10.0.0.1/8");
  const e = errorOf(text, "c.yaml");
  assertEquals(e.errors.map((x) => x.message), [
    'c.yaml:2:3 generation.max_flow: unknown key (did you mean "max_flows"?)',
    "c.yaml:3:12 generation.threads: expected an integer in 1..64, got 0",
    'c.yaml:8:17 traffic_patterns[1].percentage: expected a number, got "x"',
    'c.yaml:11:25 network.destination_subnets[0]: "10.0.0.1/8": host bits are set after /8 (did you mean "10.0.0.0/8"?)',
  ]);
  assertEquals(e.message, e.errors[0].message);
});

Deno.test("a misspelt key comes before the errors it causes", () => {
  // The issue's case: max_flow misspelt and no network section.
  const noNetwork = errorOf(
    "generation:\n  max_flow: 1000\n  seed: 42\ntraffic_patterns:\n" +
      "  - type: web_traffic\n    percentage: 100\n",
    "c.yaml",
  );
  assertEquals(noNetwork.errors.map((x) => x.message), [
    'c.yaml:2:3 generation.max_flow: unknown key (did you mean "max_flows"?)',
    "c.yaml:1:1 network: required key is missing",
  ]);
  assertEquals([noNetwork.line, noNetwork.column, noNetwork.path], [2, 3, "generation.max_flow"]);
  // A default standing in for a misspelt key (min_size 64) breaks a later check.
  const defaulted = errorOf(
    "packets:\n  max_size: 60\n  min_siz: 40\n  average_size: 50\n" + BASE,
    "c.yaml",
  );
  assertEquals(defaulted.errors.map((x) => x.message), [
    'c.yaml:3:3 packets.min_siz: unknown key (did you mean "min_size"?)',
    "c.yaml:2:3 packets: min_size 64 > max_size 60",
  ]);
  // Unknown distribution parameters rank as unknown keys, missing ones as missing keys.
  const distribution = errorOf(
    pattern("packet_size: {distribution: lognormal, mu: 6, sigm: 1}").replace(
      "percentage: 60",
      "percentage: x",
    ),
    "c.yaml",
  );
  assertEquals(distribution.errors.map((x) => x.message), [
    'c.yaml:5:51 traffic_patterns[1].packet_size.sigm: unknown key for a lognormal distribution (did you mean "sigma"?)',
    'c.yaml:3:17 traffic_patterns[0].percentage: expected a number, got "x"',
    'c.yaml:5:18 traffic_patterns[1].packet_size.sigma: a lognormal distribution needs "sigma"',
  ]);
});

Deno.test("without a file name, messages start with line:column", () => {
  assertEquals(
    errorOf(gen("  max_flow: 1"), undefined as unknown as string).message,
    '2:3 generation.max_flow: unknown key (did you mean "max_flows"?)',
  );
});

Deno.test("validateConfig on objects: the key path, no position", () => {
  throws(
    () =>
      validateConfig({
        traffic_patterns: [{ type: "web_traffic", percentage: Infinity }],
        network: {},
      }),
    (e: unknown) =>
      e instanceof ConfigError &&
      e.message === "traffic_patterns[0].percentage: expected a finite number, got Infinity" &&
      e.line === undefined &&
      e.errors.length === 3,
  );
  throws(() => validateConfig(null), /the config must be a mapping of sections .*, got null/);
  throws(() => validateConfig(new Map()), /got a Map/);
  throws(
    () =>
      validateConfig({
        traffic_patterns: [{ type: "random", percentage: 100 }],
        network: { source_subnets: [], destination_subnets: ["10.0.0.0/8"] },
      }),
    /network\.source_subnets: empty, at least one subnet is required$/,
  );
});

Deno.test("too many patterns (the engine's limit is 255)", () => {
  const patterns = Array.from(
    { length: 256 },
    (_, i) => ({ type: "custom", name: `p${i}`, protocol: 1, percentage: 100 / 256 }),
  );
  throws(
    () =>
      validateConfig({
        traffic_patterns: patterns,
        network: { source_subnets: ["10.0.0.0/8"], destination_subnets: ["10.0.0.0/8"] },
      }),
    /traffic_patterns: 256 patterns, at most 255 are supported$/,
  );
});

Deno.test("an alias bomb is refused, not expanded", () => {
  const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  const e = errorOf(lines.join("\n") + "\n", "bomb.yaml");
  ok(e.message.startsWith("bomb.yaml: YAML error: "), e.message);
});
