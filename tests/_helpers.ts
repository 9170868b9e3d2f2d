// Shared helpers of the Deno tests: small configs, running the CLI in a subprocess.

import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));

/** A small deterministic config (YAML-shaped object). */
export function smallConfig(
  maxFlows = 10_000,
  seed = 42,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    generation: { max_flows: maxFlows, seed, start_timestamp: 1704067200, ...extra },
    traffic_patterns: [
      { type: "web_traffic", percentage: 40 },
      { type: "dns_traffic", percentage: 20 },
      { type: "database_traffic", percentage: 15 },
      { type: "ssh_traffic", percentage: 10 },
      { type: "random", percentage: 15 },
    ],
    network: {
      source_subnets: ["192.168.1.0/24", "192.168.2.0/24"],
      source_weights: [70, 30],
      destination_subnets: ["10.0.0.0/8"],
    },
  };
}

/** Output of a finished subprocess. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno run -A <script> ...args` from `cwd` (default: the root). */
export async function runDeno(
  script: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--config=${ROOT}deno.json`, script, ...args],
    cwd: options.cwd ?? ROOT,
    env: options.env,
    stdout: "piped",
    stderr: "piped",
  });
  const { code, stdout, stderr } = await command.output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** Runs the CLI (`src/cli.ts`) with `args`. */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return runDeno(`${ROOT}src/cli.ts`, args, options);
}

/** The names in a directory. */
export function listDir(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((entry) => entry.name).sort();
}
