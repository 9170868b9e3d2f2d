/**
 * Memory and multi-core bench of `flowgen generate`.
 *
 * 1. Generates COUNT records (default 10⁹) to /dev/null as CSV with and without
 *    `--threads 2` and `--checkpoint`, in a child process each, and reports records/s, CPU
 *    seconds and the child's peak resident memory (from `/usr/bin/time` when installed,
 *    else VmHWM of /proc/<pid>/status, polled; Linux). The target is < 100 MB.
 * 2. Reports the `--threads 2` / `--threads 1` throughput ratio for CSV to /dev/null (target
 *    ≥ 1.7× on 2 free cores).
 *
 * ```sh
 * deno run -A bench/memory.ts                # 10⁹ records per run (minutes)
 * deno run -A bench/memory.ts --count 2e7    # quick
 * deno run -A bench/memory.ts --only "threads 2,threads 2 + checkpoint"  # some runs
 * ```
 *
 * Set FLOWGEN_LIB to choose the library. Exit code 1 when a run fails or exceeds 100 MB.
 * Refuses to start when /dev/null is not a character device (10⁹ CSV records are ~62 GB:
 * a /dev/null replaced by a regular file would fill its file system).
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const LIMIT_MB = 100;

/** What one run measured. */
export interface RunMeasure {
  /** Label of the run. */
  label: string;
  /** Records generated. */
  records: number;
  /** Wall-clock seconds (process start to exit). */
  seconds: number;
  /** Peak resident memory in MiB. */
  peakMb: number;
  /** User + system CPU seconds of the child (NaN when /usr/bin/time is missing). */
  cpuSeconds: number;
  /** Exit code. */
  code: number;
}

function existsFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

function peakKb(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // exited
  }
}

/** Runs `flowgen generate` with `args` in a child process, polling its peak memory. */
export async function measure(label: string, count: number, args: string[]): Promise<RunMeasure> {
  const started = performance.now();
  const time = existsFile("/usr/bin/time");
  const child = new Deno.Command(time ? "/usr/bin/time" : Deno.execPath(), {
    args: [
      ...(time ? ["-f", "FLOWGEN_TIME %M %U %S", Deno.execPath()] : []),
      "run",
      "-A",
      `--config=${ROOT}deno.json`,
      `${ROOT}src/cli.ts`,
      "generate",
      "-n",
      String(count),
      "-o",
      "/dev/null",
      "-q",
      ...args,
    ],
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let peak = 0;
  let done = false;
  const status = child.status.then((s) => {
    done = true;
    return s;
  });
  while (!done) {
    peak = Math.max(peak, peakKb(child.pid));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { code } = await status;
  const seconds = (performance.now() - started) / 1000;
  const text = await stderr;
  const timed = /FLOWGEN_TIME (\d+) ([\d.]+) ([\d.]+)/.exec(text);
  const other = text.replace(/.*FLOWGEN_TIME.*\n?/, "");
  if (other.trim() !== "") console.error(other.trimEnd());
  if (timed) peak = Math.max(peak, Number(timed[1]));
  const cpuSeconds = timed ? Number(timed[2]) + Number(timed[3]) : NaN;
  return { label, records: count, seconds, peakMb: peak / 1024, cpuSeconds, code };
}

function parseCount(args: string[]): number {
  const at = args.indexOf("--count");
  const text = at >= 0 ? args[at + 1] : args.find((arg) => /^\d/.test(arg));
  const count = text === undefined ? 1e9 : Number(text.replaceAll("_", ""));
  if (!Number.isSafeInteger(count) || count <= 0) throw new Error(`bad count "${text}"`);
  return count;
}

/** The labels given with `--only a,b` (all runs when absent). */
function parseOnly(args: string[]): string[] | undefined {
  const at = args.indexOf("--only");
  return at >= 0 ? args[at + 1].split(",").map((label) => label.trim()) : undefined;
}

function report(run: RunMeasure): void {
  const rate = run.records / run.seconds;
  console.log(
    `${run.label.padEnd(34)} ${(rate / 1e6).toFixed(2).padStart(7)} M records/s  ` +
      `peak RSS ${run.peakMb.toFixed(1).padStart(6)} MB  ${run.seconds.toFixed(1)} s wall  ` +
      `${run.cpuSeconds.toFixed(1)} s CPU` +
      (run.code === 0 ? "" : `  EXIT ${run.code}`),
  );
}

if (import.meta.main) {
  const count = parseCount(Deno.args);
  const only = parseOnly(Deno.args);
  if (!Deno.statSync("/dev/null").isCharDevice) {
    console.error("/dev/null is not a character device here: refusing to write to it");
    Deno.exit(1);
  }
  const state = await Deno.makeTempFile({ suffix: ".flowgen-state" });
  const every = String(Math.max(1, Math.floor(count / 20)));
  console.log(
    `flowgen generate, ${count.toLocaleString("en-US")} CSV records to /dev/null ` +
      `(${new Date().toISOString()}, ${Deno.hostname()}, ${navigator.hardwareConcurrency} CPUs, ` +
      `load average ${Deno.loadavg().map((v) => v.toFixed(1)).join(" ")})`,
  );
  const runs: RunMeasure[] = [];
  const plans: [string, string[]][] = [
    ["threads 1", ["--threads", "1"]],
    ["threads 2", ["--threads", "2"]],
    ["threads 1 + checkpoint", ["--checkpoint", state, "--checkpoint-every", every]],
    ["threads 2 + checkpoint", [
      "--threads",
      "2",
      "--checkpoint",
      state,
      "--checkpoint-every",
      every,
    ]],
  ];
  for (const [label, args] of plans) {
    if (only && !only.includes(label)) continue;
    const run = await measure(label, count, args);
    report(run);
    runs.push(run);
  }
  try {
    Deno.removeSync(state);
  } catch {
    // removed by the finished run
  }
  const one = runs.find((run) => run.label === "threads 1");
  const two = runs.find((run) => run.label === "threads 2");
  const ratio = one && two ? one.seconds / two.seconds : NaN;
  const cpuRatio = one && two ? two.cpuSeconds / one.cpuSeconds : NaN;
  if (one && two) {
    console.log(
      `--threads 2 vs 1 (CSV to /dev/null): ${ratio.toFixed(2)}× (target ≥ 1.7× on 2 free ` +
        `cores; this machine has ${navigator.hardwareConcurrency} logical CPUs, load average ` +
        `${Deno.loadavg()[0].toFixed(1)}); CPU time with 2 threads: ${cpuRatio.toFixed(2)}× ` +
        "that of 1 thread",
    );
  }
  const failed = runs.filter((run) => run.code !== 0 || run.peakMb >= LIMIT_MB);
  if (failed.length > 0) {
    console.log(
      `FAILED (exit code or peak RSS ≥ ${LIMIT_MB} MB): ${failed.map((run) => run.label)}`,
    );
    Deno.exit(1);
  }
  console.log(`peak RSS < ${LIMIT_MB} MB in every run`);
}
