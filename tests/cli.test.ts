import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { listDir, ROOT, runCli } from "./_helpers.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-cli-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function noStack(stderr: string): void {
  ok(!/^\s+at /m.test(stderr), `stack trace on stderr:\n${stderr}`);
}

Deno.test("flowgen --help lists every command; no command is a usage error", async () => {
  const help = await runCli(["--help"]);
  strictEqual(help.code, 0);
  for (const command of ["generate", "validate", "stats", "send", "merge"]) {
    ok(help.stdout.includes(`  ${command}`), command);
  }
  const none = await runCli([]);
  strictEqual(none.code, 2);
  ok(none.stderr.includes("Usage: flowgen <command>"));
  const unknown = await runCli(["frobnicate"]);
  strictEqual(unknown.code, 2);
  ok(unknown.stderr.includes('unknown command "frobnicate"'));
});

Deno.test("flowgen --version names the module and the engine", async () => {
  const { code, stdout } = await runCli(["--version"]);
  strictEqual(code, 0);
  ok(/^flowgen \d+\.\d+\.\d+\nlibflowgen \d+\.\d+\.\d+ \(ABI 1, /.test(stdout), stdout);
});

Deno.test("generate -n -o writes the CSV file and a one-line summary", () =>
  withDir(async (dir) => {
    const out = `${dir}/flows.csv`;
    const { code, stderr } = await runCli(["generate", "-n", "25000", "--seed", "5", "-o", out]);
    strictEqual(code, 0, stderr);
    const rows: string[][] = parse(await Deno.readTextFile(out));
    deepStrictEqual(rows[0], [
      "timestamp",
      "src_ip",
      "dst_ip",
      "src_port",
      "dst_port",
      "protocol",
      "length",
    ]);
    strictEqual(rows.length, 25_001);
    strictEqual(rows[1][0], "1704067200.000000"); // the example config's start
    ok(/25,000 records in [\d.]+ s \(.+ records\/s\), seed 5, written to /.test(stderr), stderr);
    strictEqual(stderr.trim().split("\n").length, 1);
    deepStrictEqual(listDir(dir), ["flows.csv"]);
  }));

Deno.test("generate near the end of the clock stops there, says so, and exits 0", () =>
  withDir(async (dir) => {
    // 0.71 s before 2^64 - 1 ns at 10 Gbit/s: about 1.1 M records fit, not 3 M.
    const out = `${dir}/end.csv`;
    const args = ["generate", "-n", "3000000", "--seed", "3", "--start", "18446744073"];
    const { code, stderr } = await runCli([...args, "-o", out]);
    strictEqual(code, 0, stderr);
    const match = /the clock ended \(timestamps stop at 2\^64 - 1 ns.*\) after ([\d,]+) records/
      .exec(stderr);
    ok(match, stderr);
    const lines = (await Deno.readTextFile(out)).trimEnd().split("\n").slice(1);
    strictEqual(lines.length, Number(match[1].replaceAll(",", "")));
    ok(lines.length > 1_000_000 && lines.length < 1_200_000, `${lines.length}`);
    const seconds = lines.map((line) => line.slice(0, line.indexOf(",")));
    strictEqual(seconds[0], "18446744073.000000");
    // In order to the end (string order works: every timestamp has the same width here).
    for (let i = 1; i < seconds.length; i++) ok(seconds[i - 1] <= seconds[i], `row ${i}`);
    ok(seconds.at(-1)! <= "18446744073.709552", seconds.at(-1));
    // Far from the end, no such note.
    const early = await runCli(["generate", "-n", "1000", "--start", "18446744073", "-o", out]);
    strictEqual(early.code, 0, early.stderr);
    ok(!early.stderr.includes("clock"), early.stderr);
  }));

Deno.test("generate to stdout: same seed, same bytes; --start, -f jsonl, --fields", async () => {
  const a = await runCli(["generate", "-n", "200", "--seed", "9", "-f", "jsonl", "-q"]);
  const b = await runCli(["generate", "-n", "200", "--seed", "9", "-f", "jsonl", "-q", "-o", "-"]);
  strictEqual(a.code, 0, a.stderr);
  strictEqual(a.stderr, "");
  strictEqual(a.stdout, b.stdout);
  const lines = a.stdout.trim().split("\n").map((line) => JSON.parse(line));
  strictEqual(lines.length, 200);
  const other = await runCli([
    "generate",
    "-n",
    "3",
    "--seed",
    "10",
    "--start",
    "1800000000.5",
    "--fields",
    "timestamp,src_ip,bytes,pattern",
    "--no-header",
    "-q",
  ]);
  strictEqual(other.code, 0, other.stderr);
  const rows: string[][] = parse(other.stdout);
  strictEqual(rows.length, 3);
  strictEqual(rows[0][0], "1800000000.500000");
  strictEqual(rows[0].length, 4);
});

Deno.test("generate -f json writes a JSON array", async () => {
  const { code, stdout } = await runCli(["generate", "-n", "50", "-f", "json", "-q", "--compact"]);
  strictEqual(code, 0);
  const data = JSON.parse(stdout);
  strictEqual(data.length, 50);
  ok(typeof data[0].src_ip === "string");
});

Deno.test("generate with a config file; a bad config exits 2 with file:line:column", () =>
  withDir(async (dir) => {
    const good = await runCli(["generate", "-c", "configs/example_config.yaml", "-n", "10", "-q"]);
    strictEqual(good.code, 0, good.stderr);
    strictEqual(good.stdout.trim().split("\n").length, 11);
    const bad = `${dir}/bad.yaml`;
    await Deno.writeTextFile(
      bad,
      (await Deno.readTextFile(`${ROOT}configs/example_config.yaml`)).replace(
        "percentage: 20",
        'percentage: "ten"',
      ),
    );
    const result = await runCli(["generate", "-c", bad, "-o", `${dir}/out.csv`]);
    strictEqual(result.code, 2);
    ok(/bad\.yaml:\d+:\d+ traffic_patterns\[1\]\.percentage: /.test(result.stderr), result.stderr);
    noStack(result.stderr);
    const missing = await runCli(["generate", "-c", `${dir}/nope.yaml`]);
    strictEqual(missing.code, 2);
    ok(missing.stderr.includes("nope.yaml"));
    noStack(missing.stderr);
    deepStrictEqual(listDir(dir), ["bad.yaml"]);
  }));

Deno.test("usage errors exit 2 without a stack trace and write no file", () =>
  withDir(async (dir) => {
    const out = `${dir}/x.csv`;
    const cases = [
      ["-n", "abc", "-o", out],
      ["-n", "10", "-f", "xml", "-o", out],
      ["-n", "10", "--bogus", "-o", out],
      ["-n", "10", "--seed", "-1", "-o", out],
      ["-n", "10", "--start", "yesterday", "-o", out],
      ["-n", "10", "--fields", "src_ip,nonsense", "-o", out],
      ["-n", "10", "extra-argument", "-o", out],
      ["-n", "10", "-o"],
    ];
    for (const args of cases) {
      const result = await runCli(["generate", ...args]);
      strictEqual(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      ok(result.stderr.startsWith("flowgen generate: "), result.stderr);
      noStack(result.stderr);
    }
    deepStrictEqual(listDir(dir), []);
  }));

Deno.test("an unwritable output is a runtime error (exit 1)", async () => {
  const result = await runCli(["generate", "-n", "10", "-o", "/nonexistent-dir/x.csv"]);
  strictEqual(result.code, 1);
  ok(result.stderr.includes("/nonexistent-dir/"), result.stderr);
  noStack(result.stderr);
});

Deno.test("a closed stdout pipe (| head) ends quietly with exit 0", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${ROOT}src/cli.ts`, "generate", "-n", "0"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  ok(value && value.length > 0);
  await reader.cancel();
  const stderr = new TextDecoder().decode(
    (await new Response(child.stderr).arrayBuffer()) as ArrayBuffer,
  );
  const status = await child.status;
  strictEqual(status.code, 0, stderr);
  strictEqual(stderr, "");
});

Deno.test("validate: ok for good files, exit 2 with every problem for bad ones", () =>
  withDir(async (dir) => {
    const good = await runCli(["validate", "configs/example_config.yaml"]);
    strictEqual(good.code, 0, good.stderr);
    ok(good.stdout.startsWith("configs/example_config.yaml: ok"), good.stdout);
    const bad = `${dir}/bad.json`;
    await Deno.writeTextFile(
      bad,
      JSON.stringify({
        generation: { max_flow: 10 },
        traffic_patterns: [{ type: "web_traffic", percentage: 50 }],
        network: { source_subnets: ["192.168.1.0/24"], destination_subnets: ["10.0.0.0/8"] },
      }),
    );
    const result = await runCli(["validate", "configs/example_config.yaml", bad]);
    strictEqual(result.code, 2);
    ok(result.stderr.includes('unknown key (did you mean "max_flows"?)'), result.stderr);
    noStack(result.stderr);
    strictEqual((await runCli(["validate"])).code, 2);
  }));

Deno.test("validate and generate -c: a misspelt key is reported before the missing section", () =>
  withDir(async (dir) => {
    const bad = `${dir}/bad.yaml`;
    await Deno.writeTextFile(
      bad,
      "generation:\n  max_flow: 1000\n  seed: 42\ntraffic_patterns:\n" +
        "  - type: web_traffic\n    percentage: 100\n",
    );
    for (const [command, args] of [["validate", [bad]], ["generate", ["-c", bad, "-n", "3"]]]) {
      const result = await runCli([command as string, ...args]);
      strictEqual(result.code, 2, result.stderr);
      deepStrictEqual(result.stderr.trim().split("\n"), [
        `flowgen ${command}: ${bad}:2:3 generation.max_flow: unknown key (did you mean "max_flows"?)`,
        `flowgen ${command}: ${bad}:1:1 network: required key is missing`,
      ]);
      strictEqual(result.stdout, "");
    }
  }));

Deno.test("SIGINT stops generate with exit 130 and no output file", () =>
  withDir(async (dir) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}src/cli.ts`, "generate", "-n", "0", "-o", `${dir}/x.csv`],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Wait until the temporary file exists, i.e. generation is under way.
    for (let i = 0; i < 200 && listDir(dir).length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill("SIGINT");
    const { code, stderr } = await child.output();
    strictEqual(code, 130);
    ok(new TextDecoder().decode(stderr).includes("interrupted after"));
    deepStrictEqual(listDir(dir), []);
  }));
