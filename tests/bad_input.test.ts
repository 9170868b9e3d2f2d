// The bad-input matrix of `flowgen generate` (issue 8): each case runs the CLI in a
// subprocess inside an empty directory and checks the exit code (2 usage/config, 1
// runtime, 0 success, 130 SIGINT), the message on stderr, that no stack trace is shown,
// and that no output file (nor a temporary one) is left behind.

import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import { stringify } from "yaml";
import { CheckpointError, ConfigError, FlowGenerator } from "../mod.ts";
import { listDir, ROOT, runCli, smallConfig } from "./_helpers.ts";

type Config = Record<string, unknown>;

interface Case {
  name: string;
  /** The config file's content: text, bytes, or an object (written as YAML). */
  config?: string | Uint8Array | Config;
  /** Its file name (the extension picks the parser). */
  file?: string;
  /** Arguments after `generate` (default: -c <file> -o out.csv -q -n 50). */
  args?: string[];
  code: number;
  message: RegExp;
}

/** smallConfig() with `edit` applied. */
function edited(edit: (c: Config & { generation: Config; network: Config }) => void): Config {
  const c = smallConfig(50) as Config & { generation: Config; network: Config };
  edit(c);
  return c;
}

function patterns(c: Config): Array<Record<string, unknown>> {
  return c.traffic_patterns as Array<Record<string, unknown>>;
}

const CONFIG_ERRORS: Case[] = [
  {
    name: "malformed YAML",
    config: "generation: {max_flows: 10\n",
    code: 2,
    message: /config\.yaml:2:1: YAML syntax error/,
  },
  {
    name: "malformed JSON",
    file: "config.json",
    config: '{"generation": }',
    code: 2,
    message: /config\.json:1:16: JSON syntax error/,
  },
  { name: "empty file", config: "", code: 2, message: /the config is empty/ },
  { name: "only comments", config: "# nothing\n\n", code: 2, message: /the config is empty/ },
  {
    name: "binary garbage",
    config: new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 0xff, 0xfe, 0x80, 0x81]),
    code: 2,
    message: /not UTF-8 text/,
  },
  {
    name: "a scalar instead of a mapping",
    config: "hello\n",
    code: 2,
    message: /must be a mapping/,
  },
  {
    name: "wrong type: string count",
    config: edited((c) => c.generation.max_flows = "lots"),
    code: 2,
    message: /generation\.max_flows: expected an integer/,
  },
  {
    name: "wrong type: subnets not a list",
    config: edited((c) => c.network.destination_subnets = "10.0.0.0/8"),
    code: 2,
    message: /network\.destination_subnets: expected a list/,
  },
  {
    name: "wrong type: boolean bandwidth",
    config: edited((c) => c.generation.rate = { bandwidth_gbps: true }),
    code: 2,
    message: /generation\.rate\.bandwidth_gbps/,
  },
  {
    name: "negative count",
    config: edited((c) => c.generation.max_flows = -1),
    code: 2,
    message: /generation\.max_flows/,
  },
  {
    name: "zero bandwidth",
    config: edited((c) => c.generation.rate = { bandwidth_gbps: 0 }),
    code: 2,
    message: /generation\.rate\.bandwidth_gbps: expected a number in 0\.000001\.\.1000000, got 0/,
  },
  {
    name: "NaN",
    config: "generation: {max_flows: .nan}\n",
    code: 2,
    message: /generation\.max_flows: expected an integer, got NaN/,
  },
  {
    name: "huge count",
    config: edited((c) => c.generation.max_flows = 1e30),
    code: 2,
    message: /generation\.max_flows: expected an integer in 0\.\.9007199254740991/,
  },
  {
    name: "non-integer count",
    config: edited((c) => c.generation.max_flows = 10.5),
    code: 2,
    message: /generation\.max_flows: expected an integer, got 10\.5/,
  },
  {
    name: "negative percentage",
    config: edited((c) => patterns(c)[0].percentage = -40),
    code: 2,
    message: /traffic_patterns\[0\]\.percentage/,
  },
  {
    name: "percentages not summing to 100",
    config: edited((c) => patterns(c)[0].percentage = 39),
    code: 2,
    message: /traffic_patterns: percentages sum to 99, expected 100/,
  },
  {
    name: "weights count mismatch",
    config: edited((c) => c.network.source_weights = [1, 2, 3]),
    code: 2,
    message: /network\.source_weights/,
  },
  {
    name: "invalid CIDR prefix",
    config: edited((c) => c.network.destination_subnets = ["10.0.0.0/33"]),
    code: 2,
    message: /network\.destination_subnets\[0\]: "10\.0\.0\.0\/33"/,
  },
  {
    name: "invalid CIDR address",
    config: edited((c) => c.network.source_subnets = ["300.1.1.1/8", "x"]),
    code: 2,
    message: /network\.source_subnets\[0\]/,
  },
  // Overlapping subnets are refused: an address would belong to two weighted subnets.
  {
    name: "overlapping CIDRs",
    config: edited((c) => {
      c.network.source_subnets = ["10.0.0.0/8", "10.1.0.0/16"];
      delete c.network.source_weights;
    }),
    code: 2,
    message:
      /network\.source_subnets\[1\]: "10\.1\.0\.0\/16" overlaps network\.source_subnets\[0\]/,
  },
  {
    name: "unknown key (typo)",
    config: edited((c) => {
      c.generation.max_flow = 10;
    }),
    code: 2,
    message: /generation\.max_flow: unknown key \(did you mean "max_flows"\?\)/,
  },
  {
    name: "unknown pattern",
    config: edited((c) => patterns(c)[0].type = "webtraffic"),
    code: 2,
    message: /traffic_patterns\[0\]\.type: unknown pattern type "webtraffic"/,
  },
  {
    name: "missing config file",
    args: ["-c", "missing.yaml", "-o", "out.csv"],
    code: 2,
    message: /missing\.yaml: cannot read the config file/,
  },
];

const USAGE_ERRORS: Case[] = [
  {
    name: "negative --count",
    args: ["-n", "-5"],
    code: 2,
    message: /--count expects a non-negative integer, got "-5"/,
  },
  {
    name: "non-integer --count",
    args: ["-n", "1.5"],
    code: 2,
    message: /--count expects a non-negative integer/,
  },
  { name: "NaN --count", args: ["-n", "NaN"], code: 2, message: /--count/ },
  {
    name: "negative --seed",
    args: ["--seed", "-1"],
    code: 2,
    message: /--seed expects an integer from 0 to 2\^64-1/,
  },
  { name: "huge --seed", args: ["--seed", "18446744073709551616"], code: 2, message: /--seed/ },
  {
    name: "NaN --start",
    args: ["--start", "nan"],
    code: 2,
    message: /--start expects Unix seconds/,
  },
  {
    name: "unknown format",
    args: ["--format", "xml"],
    code: 2,
    message: /--format expects csv, json, jsonl.*got "xml"/,
  },
  { name: "unknown option", args: ["--bogus"], code: 2, message: /unknown option --bogus/ },
  {
    name: "unknown field",
    args: ["-n", "5", "--fields", "timestamp,nope", "-o", "out.csv"],
    code: 2,
    message: /--fields/,
  },
];

const RUNTIME_ERRORS: Case[] = [
  {
    // Found while encoding (exit 1); the export file is not left behind.
    name: "IPv6 records in a NetFlow v5 file",
    config: edited((c) => {
      c.network = { source_subnets: ["2001:db8::/64"], destination_subnets: ["2001:db8:1::/64"] };
    }),
    args: ["-f", "netflow5", "-o", "out.nf5"],
    code: 1,
    message: /NetFlow v5 carries IPv4 flows only.*use netflow9 or ipfix/,
  },
  {
    name: "output in a missing directory",
    args: ["-n", "5", "-o", "no/such/dir/out.csv"],
    code: 1,
    message: /cannot open .* for writing: No such file or directory/,
  },
  // Regression: the run used to generate everything, then fail to rename with
  // "EBUSY: resource busy or locked, rename '.x.flowgen-tmp' -> '.'".
  {
    name: "output is a directory",
    args: ["-n", "5", "-o", "."],
    code: 1,
    message: /"\." is a directory/,
  },
];

async function writeConfig(dir: string, c: Case): Promise<string> {
  const file = c.file ?? "config.yaml";
  const content = c.config;
  if (content instanceof Uint8Array) await Deno.writeFile(`${dir}/${file}`, content);
  else if (typeof content === "string") await Deno.writeTextFile(`${dir}/${file}`, content);
  else await Deno.writeTextFile(`${dir}/${file}`, stringify(content));
  return file;
}

async function inTempDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-bad-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function assertCleanFailure(stderr: string, code: number, c: Case): void {
  strictEqual(code, c.code, `exit code; stderr: ${stderr}`);
  match(stderr, c.message);
  match(stderr, /^flowgen generate: /, "messages name the command");
  ok(!/^\s+at .*:\d+:\d+\)?$/m.test(stderr), `no stack trace:\n${stderr}`);
}

for (const c of [...CONFIG_ERRORS, ...USAGE_ERRORS, ...RUNTIME_ERRORS]) {
  Deno.test(`bad input: ${c.name} -> exit ${c.code}`, async () => {
    await inTempDir(async (dir) => {
      const before = [];
      let args = c.args ?? [];
      if (c.config !== undefined) {
        const file = await writeConfig(dir, c);
        before.push(file);
        args = ["-c", file, "-o", "out.csv", "-q", "-n", "50", ...args];
      }
      const { code, stderr } = await runCli(["generate", ...args], { cwd: dir });
      assertCleanFailure(stderr, code, c);
      deepStrictEqual(listDir(dir), before.sort(), "no output or temporary file left");
    });
  });
}

// The same config cases through the API: FlowGenerator.create() rejects with a ConfigError
// carrying the same message.
for (const c of CONFIG_ERRORS.filter((each) => each.config !== undefined)) {
  Deno.test(`bad input (API): ${c.name} -> ConfigError`, async () => {
    await inTempDir(async (dir) => {
      const file = await writeConfig(dir, c);
      let error: unknown;
      try {
        (await FlowGenerator.create(`${dir}/${file}`)).close();
      } catch (e) {
        error = e;
      }
      ok(error instanceof ConfigError, `${c.name}: ${error}`);
      match((error as Error).message, c.message);
    });
  });
}

Deno.test("bad input (API): garbage checkpoints -> CheckpointError", () => {
  const config = smallConfig(100);
  using generator = new FlowGenerator(config);
  generator.next();
  const blob = generator.checkpoint();
  const flipped = blob.slice();
  flipped[blob.length >> 1] ^= 1;
  const blobs = [
    new Uint8Array(0),
    blob.subarray(0, blob.length - 1),
    flipped,
    new Uint8Array(300).fill(7),
  ];
  for (const bad of blobs) {
    let error: unknown;
    try {
      FlowGenerator.resume(config, bad).close();
    } catch (e) {
      error = e;
    }
    ok(error instanceof CheckpointError, `${bad.length} bytes: ${error}`);
  }
  FlowGenerator.resume(config, blob).close(); // the intact blob still works
});

const HOSTS: Config = {
  generation: { max_flows: 200, seed: 5, start_timestamp: 1704067200 },
  traffic_patterns: [{ type: "ssh_traffic", percentage: 100 }],
  network: {
    source_subnets: ["192.0.2.7/32", "2001:db8::5/128"],
    destination_subnets: ["198.51.100.9/32", "2001:db8::9/128"],
  },
};

Deno.test("a /32 and a /128 subnet hand out their one address", async () => {
  await inTempDir(async (dir) => {
    await Deno.writeTextFile(`${dir}/hosts.yaml`, stringify(HOSTS));
    const { code, stdout, stderr } = await runCli(["generate", "-c", "hosts.yaml", "-q"], {
      cwd: dir,
    });
    strictEqual(code, 0, stderr);
    const rows = stdout.trim().split("\n").slice(1).map((line) => line.split(","));
    strictEqual(rows.length, 200);
    const pairs = new Set(rows.map((r) => `${r[1]}>${r[2]}`));
    deepStrictEqual([...pairs].sort(), ["192.0.2.7>198.51.100.9", "2001:db8::5>2001:db8::9"]);
  });
});

Deno.test("IPv6 records in a NetFlow v5 export: exit 1 naming the fix", async () => {
  await inTempDir(async (dir) => {
    const v6 = {
      ...HOSTS,
      network: { source_subnets: ["2001:db8::/64"], destination_subnets: ["2001:db8:1::/64"] },
    };
    await Deno.writeTextFile(`${dir}/v6.yaml`, stringify(v6));
    // Port 9 (discard) on loopback: nothing needs to listen, nothing is sent anyway.
    const { code, stderr } = await runCli(
      ["send", "-c", "v6.yaml", "-f", "netflow5", "--collector", "127.0.0.1:9", "-n", "10"],
      { cwd: dir },
    );
    strictEqual(code, 1, stderr);
    match(stderr, /NetFlow v5 carries IPv4 flows only.*netflow9 or ipfix/);
    ok(!/^\s+at /m.test(stderr), stderr);
  });
});

/** Runs `bash -c script` in `dir` (for ulimit, pipes and redirections). */
async function bash(
  script: string,
  dir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command("bash", {
    args: ["-c", script],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code, stdout: d.decode(stdout), stderr: d.decode(stderr) };
}

const CLI = `'${Deno.execPath()}' run -A --config='${ROOT}deno.json' '${ROOT}src/cli.ts'`;

Deno.test("a full disk (file size limit): exit 1, message, no file left", async () => {
  await inTempDir(async (dir) => {
    // SIGXFSZ ignored (inherited through exec), so the write fails with EFBIG as a
    // full disk fails with ENOSPC, instead of the signal killing the process.
    const r = await bash(
      `trap '' XFSZ; ulimit -f 256; exec ${CLI} generate -n 2000000 -o big.csv`,
      dir,
    );
    strictEqual(r.code, 1, r.stderr);
    match(r.stderr, /^flowgen generate: write to .* failed: File too large/);
    deepStrictEqual(listDir(dir), []);
  });
});

Deno.test("a full device on stdout (/dev/full): exit 1, 'disk full'", async () => {
  await inTempDir(async (dir) => {
    const r = await bash(`${CLI} generate -n 100000 > /dev/full`, dir);
    strictEqual(r.code, 1, r.stderr);
    match(r.stderr, /disk full \(No space left on device\)/);
  });
});

Deno.test("a closed stdout pipe (| head -1) ends quietly with exit 0", async () => {
  await inTempDir(async (dir) => {
    const r = await bash(
      `${CLI} generate -n 5000000 | head -1; echo "status=\${PIPESTATUS[0]}" >&2`,
      dir,
    );
    strictEqual(r.stdout, "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length\n");
    strictEqual(r.stderr, "status=0\n", "nothing on stderr but the status");
  });
});

// SIGINT is handled: 130 and the temporary file removed. SIGTERM (what `kill`, systemd and
// Kubernetes send) must be too. Regression: SIGTERM used to kill the run and leave
// ".flows.csv.<random>.flowgen-tmp" behind.
const SIGNALS: Array<{ signal: Deno.Signal; code: number; message: RegExp }> = [
  {
    signal: "SIGINT",
    code: 130,
    message: /^flowgen generate: interrupted after [\d,]+ records; no output file written\n$/,
  },
  { signal: "SIGTERM", code: 143, message: /^(flowgen generate: .*\n)?$/ },
];

for (const { signal, code: expected, message } of SIGNALS) {
  Deno.test(`${signal} mid-run: exit ${expected}, no partial output file`, async () => {
    await inTempDir(async (dir) => {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          `--config=${ROOT}deno.json`,
          `${ROOT}src/cli.ts`,
          "generate",
          "-n",
          "0",
          "-o",
          "flows.csv",
        ],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      // Wait until the run writes its temporary file, then signal it.
      for (let i = 0; i < 600 && listDir(dir).length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      ok(listDir(dir).length > 0, "the run started writing");
      child.kill(signal);
      const { code, stderr } = await child.output();
      const text = new TextDecoder().decode(stderr);
      strictEqual(code, expected, text);
      match(text, message);
      ok(!/^\s+at /m.test(text), text);
      deepStrictEqual(listDir(dir), []);
    });
  });
}
