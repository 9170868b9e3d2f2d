/**
 * Process helpers for the build scripts: run a command and print it first, with all
 * output on stderr (build output must never mix into the stdout of `deno task flowgen`).
 *
 * @module
 */

/** Repository root (this file is tools/build/run.ts). */
export const ROOT: string = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Writes a line to stderr. */
export function log(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}

/** Options of {@linkcode run}. */
export interface RunOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Capture stdout and return it instead of forwarding it to stderr. */
  capture?: boolean;
  /** Do not throw on a non-zero exit; the caller checks the code. */
  allowFailure?: boolean;
}

/** Result of {@linkcode run}. */
export interface RunResult {
  code: number;
  stdout: string;
}

/** Runs `cmd args…`, printing `$ cmd args` first; throws on a non-zero exit. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  log(`$ ${[cmd, ...args].map(quote).join(" ")}`);
  const child = new Deno.Command(cmd, {
    args,
    cwd: opts.cwd ?? ROOT,
    env: opts.env,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let stdout = "";
  if (opts.capture) {
    stdout = new TextDecoder().decode((await child.output()).stdout);
  } else {
    await child.stdout.pipeTo(Deno.stderr.writable, { preventClose: true });
  }
  const { code } = await child.status;
  if (code !== 0 && !opts.allowFailure) {
    throw new Error(`${cmd} exited with code ${code}`);
  }
  return { code, stdout };
}

/** True when `cmd` can be started (found on PATH and runs `args` successfully). */
export async function hasCommand(cmd: string, args: string[] = ["--version"]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" })
      .output();
    return success;
  } catch {
    return false;
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
