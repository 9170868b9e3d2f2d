// Deno.Command for the Node run of the Deno test suite (@deno/shim-deno has none), on
// node:child_process. `deno run [flags] …/src/cli.ts args` becomes the npm package's
// `flowgen` bin under Node, so the CLI tests test the package; other Deno scripts (test
// helpers such as a UDP receiver) still run with deno.
import { spawn, spawnSync } from "node:child_process";
import { constants } from "node:os";
import { Readable, Writable } from "node:stream";
import process from "node:process";

// This file sits in the suite directory, beside the project's node_modules.
const BIN = new URL("../node_modules/flowgen/bin/flowgen.js", import.meta.url).pathname;

function translate(cmd, args) {
  const command = cmd instanceof URL ? cmd.pathname : String(cmd);
  // The shim's Deno.execPath() is the deno on PATH (or node's path when there is none).
  const isDeno = command === process.execPath || /(^|\/)deno(\.exe)?$/.test(command);
  if (!isDeno || args[0] !== "run") return [command, args];
  let i = 1;
  while (i < args.length && args[i].startsWith("-")) i++;
  if (/src\/cli\.(ts|js)$/.test(args[i] ?? "")) {
    return [process.execPath, [BIN, ...args.slice(i + 1)]];
  }
  return ["deno", args];
}

const STDIO = { piped: "pipe", inherit: "inherit", null: "ignore" };

function nodeOptions(options, defaults) {
  const stdio = ["stdin", "stdout", "stderr"].map((s) => STDIO[options[s] ?? defaults[s]]);
  return {
    cwd: options.cwd instanceof URL ? options.cwd.pathname : options.cwd,
    env: options.clearEnv ? { ...options.env } : { ...process.env, ...options.env },
    stdio,
  };
}

function status(code, signal) {
  const number = signal ? 128 + (constants.signals[signal] ?? 0) : code ?? 1;
  return { code: number, success: number === 0, signal: signal ?? null };
}

/** All bytes of a web ReadableStream (null: none). */
async function collect(stream) {
  if (!stream) return new Uint8Array();
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

class ChildProcess {
  #child;
  constructor(child) {
    this.#child = child;
    this.pid = child.pid;
    this.stdin = child.stdin ? Writable.toWeb(child.stdin) : null;
    this.stdout = child.stdout ? Readable.toWeb(child.stdout) : null;
    this.stderr = child.stderr ? Readable.toWeb(child.stderr) : null;
    this.status = new Promise((resolve, reject) => {
      child.on("error", reject);
      child.on("close", (code, signal) => resolve(status(code, signal)));
    });
  }
  kill(signal = "SIGTERM") {
    this.#child.kill(signal);
  }
  ref() {
    this.#child.ref();
  }
  unref() {
    this.#child.unref();
  }
  async output() {
    // The web streams, not the Node ones: Readable.toWeb already consumes those.
    const [stdout, stderr, result] = await Promise.all([
      collect(this.stdout),
      collect(this.stderr),
      this.status,
    ]);
    return { ...result, stdout, stderr };
  }
}

/** The subset of Deno.Command the tests use: output(), outputSync(), spawn(). */
export class Command {
  #cmd;
  #args;
  #options;
  constructor(cmd, options = {}) {
    [this.#cmd, this.#args] = translate(cmd, options.args ?? []);
    this.#options = options;
  }
  spawn() {
    const opts = nodeOptions(this.#options, {
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    });
    return new ChildProcess(spawn(this.#cmd, this.#args, opts));
  }
  output() {
    const opts = nodeOptions(this.#options, { stdin: "null", stdout: "piped", stderr: "piped" });
    return new ChildProcess(spawn(this.#cmd, this.#args, opts)).output();
  }
  outputSync() {
    const opts = nodeOptions(this.#options, { stdin: "null", stdout: "piped", stderr: "piped" });
    const out = spawnSync(this.#cmd, this.#args, { ...opts, maxBuffer: 1 << 30 });
    if (out.error) throw out.error;
    return {
      ...status(out.status, out.signal),
      stdout: new Uint8Array(out.stdout ?? []),
      stderr: new Uint8Array(out.stderr ?? []),
    };
  }
}
