// `flowgen generate --checkpoint`: kill -9 at a random moment, resume, and the file is
// byte for byte the one of an uninterrupted run; SIGTERM/SIGINT write a final checkpoint
// and exit 143/130.

import { ok, strictEqual } from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { readState } from "../src/checkpoint_state.ts";
import { ROOT, runCli } from "./_helpers.ts";

const COUNT = 400_000;
const EVERY = 20_000;
const ARGS = ["generate", "-n", String(COUNT), "--seed", "9", "--start", "1704067200", "-q"];
// Long enough (about 0.3 s of writing on an idle machine) for a signal sent once the run
// writes to arrive before it ends.
const SIGNAL_ARGS = ["generate", "-n", "3000000", "--seed", "9", "--start", "1704067200", "-q"];

function spawnCli(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--config=${ROOT}deno.json`, `${ROOT}src/cli.ts`, ...args],
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

/** Records of the state file, or -1 while it does not exist (or is being replaced). */
function stateRecords(path: string): number {
  try {
    return readState(path).records;
  } catch {
    return -1;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a checkpointed run and sends `signal` once the state file holds at least `target`
 * records, plus a random delay (so the kill lands between checkpoints, mid-write).
 * Returns the exit code and stderr (exit 0: the run finished before the signal).
 */
const ALWAYS = (): boolean => true;

async function interrupt(
  args: string[],
  state: string,
  target: number,
  signal: Deno.Signal,
  ready: () => boolean = ALWAYS,
): Promise<{ code: number; stderr: string }> {
  const child = spawnCli(args);
  let exited = false;
  child.status.then(() => exited = true);
  while ((stateRecords(state) < target || !ready()) && !exited) await sleep(5);
  if (ready === ALWAYS) await sleep(Math.random() * 40);
  if (!exited) child.kill(signal);
  const { code, stderr } = await child.output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("kill -9 at a random moment, then --resume: identical to an uninterrupted run", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const format of ["csv", "json"]) {
      const reference = `${dir}/reference.${format}`;
      const out = `${dir}/out.${format}`;
      const state = `${dir}/state-${format}`;
      const plain = await runCli([...ARGS, "-f", format, "-o", reference]);
      strictEqual(plain.code, 0, plain.stderr);
      const target = EVERY * (1 + Math.floor(Math.random() * 8));
      const args = [
        ...ARGS,
        "-f",
        format,
        "-o",
        out,
        "--checkpoint",
        state,
        "--checkpoint-every",
        String(EVERY),
      ];
      const killed = await interrupt(args, state, target, "SIGKILL");
      ok(killed.code !== 0, "the run finished before the kill: raise COUNT");
      const saved = readState(state).records;
      ok(saved >= target && saved % EVERY === 0, `state at ${saved} records`);
      const resumed = await runCli(["generate", "--resume", state, "-q"]);
      strictEqual(resumed.code, 0, resumed.stderr);
      ok(!existsSync(state), "a finished run deletes its state file");
      ok(
        readFileSync(reference).equals(readFileSync(out)),
        `${format}: resumed file differs (killed after the checkpoint at ${saved} records)`,
      );
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("SIGTERM and SIGINT write a final checkpoint and exit 143 and 130", async () => {
  const dir = Deno.makeTempDirSync();
  try {
    const reference = `${dir}/reference.jsonl`;
    const out = `${dir}/out.jsonl`;
    const state = `${dir}/state`;
    const plain = await runCli([...SIGNAL_ARGS, "-f", "jsonl", "-o", reference]);
    strictEqual(plain.code, 0, plain.stderr);
    // A large interval: the checkpoint found after the signal is the final one.
    const args = [
      ...SIGNAL_ARGS,
      "-f",
      "jsonl",
      "-o",
      out,
      "--checkpoint",
      state,
      "--checkpoint-every",
      "10000000",
    ];
    // Signal once the run is writing; on a fast machine it may still finish first (exit 0,
    // complete output): then try again, a few times at most.
    const writing = () => existsSync(out) && statSync(out).size > 0;
    let term = await interrupt(args, state, 0, "SIGTERM", writing);
    for (let attempt = 1; term.code === 0 && attempt < 5; attempt++) {
      ok(readFileSync(reference).equals(readFileSync(out)), "a finished run differs");
      Deno.removeSync(out);
      term = await interrupt(args, state, 0, "SIGTERM", writing);
    }
    strictEqual(term.code, 143, term.stderr);
    ok(/SIGTERM after .* records; checkpoint saved/.test(term.stderr), term.stderr);
    const afterTerm = readState(state);
    // Resume, and stop again with SIGINT once the resumed run has written more data.
    const child = spawnCli(["generate", "--resume", state, "-q"]);
    let exited = false;
    child.status.then(() => exited = true);
    const size = () => existsSync(out) ? statSync(out).size : 0;
    while (!exited && size() <= afterTerm.outputBytes + (1 << 20)) await sleep(5);
    const signalled = !exited;
    if (signalled) child.kill("SIGINT");
    const int = await child.output();
    const stderr = new TextDecoder().decode(int.stderr);
    if (signalled) {
      strictEqual(int.code, 130, stderr);
      ok(/SIGINT after .* records; checkpoint saved/.test(stderr), stderr);
      ok(readState(state).records > afterTerm.records, stderr);
      const last = await runCli(["generate", "--resume", state, "-q"]);
      strictEqual(last.code, 0, last.stderr);
    } else {
      strictEqual(int.code, 0, `exit ${int.code}: ${stderr}`); // finished before the signal
    }
    ok(readFileSync(reference).equals(readFileSync(out)), "resumed file differs");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
