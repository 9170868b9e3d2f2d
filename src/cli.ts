/**
 * The `flowgen` command line: `flowgen <command> [options]`, dispatching to the module
 * `src/commands/<command>.ts`, which exports `run(args): Promise<number>` (the exit code).
 *
 * ```sh
 * deno task flowgen generate -n 1000000 -o flows.csv
 * deno run -A jsr:@flowgen/flowgen/cli validate configs/example_config.yaml
 * ```
 *
 * Exit codes: 0 success, 1 runtime error, 2 usage or config error.
 *
 * @module
 */

import process from "node:process";
import { VERSION } from "./version.ts";
import { writeError, writeOutput } from "./commands/common.ts";

/** A command of the CLI: its one-line summary. */
export interface CommandInfo {
  /** Name, as typed after `flowgen`. */
  name: string;
  /** One line for `flowgen --help`. */
  summary: string;
}

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly CommandInfo[] = [
  {
    name: "generate",
    summary: "generate flow records: CSV, JSON, JSON Lines, NetFlow/IPFIX files",
  },
  { name: "validate", summary: "check config files (syntax, keys, values)" },
  { name: "stats", summary: "realism report of a CSV/JSONL file (shares, histograms, ports)" },
  { name: "send", summary: "send NetFlow v5/v9 or IPFIX over UDP to a collector" },
  { name: "merge", summary: "merge shard outputs (CSV/JSONL) by timestamp" },
];

/** The text of `flowgen --help`. */
export const HELP: string = `flowgen ${VERSION}: realistic synthetic network flow records, fast

Usage: flowgen <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)}${command.summary}`).join("\n")}

Options:
  -h, --help     show this help (flowgen <command> --help: the command's options)
  -V, --version  show the version of flowgen and of libflowgen

Exit codes: 0 success, 1 runtime error, 2 usage or config error.
`;

type CommandModule = { run(args: string[]): Promise<number> };

// One literal import per command: analyzable by `deno publish`, rewritten to `.js` by the
// npm build, loaded only when the command runs.
const LOADERS: Record<string, () => Promise<CommandModule>> = {
  generate: () => import("./commands/generate.ts"),
  validate: () => import("./commands/validate.ts"),
  stats: () => import("./commands/stats.ts"),
  send: () => import("./commands/send.ts"),
  merge: () => import("./commands/merge.ts"),
};

async function loadCommand(name: string): Promise<CommandModule | undefined> {
  const load = LOADERS[name];
  return load ? await load() : undefined;
}

async function versionText(): Promise<string> {
  let engine: string;
  try {
    const { libraryVersion } = await import("./version.ts");
    const lib = libraryVersion();
    engine = `libflowgen ${lib.version} (ABI ${lib.abi}, ${lib.path})`;
  } catch (error) {
    engine = `libflowgen not loaded: ${error instanceof Error ? error.message : error}`;
  }
  return `flowgen ${VERSION}\n${engine}\n`;
}

/**
 * Runs the CLI with `args` (without the program name); resolves to the exit code.
 *
 * @example
 * ```ts
 * import { main } from "./cli.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(await main(["no-such-command"]), 2);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    if (first === "help" && rest.length > 0) return await main([rest[0], "--help"]);
    (first === undefined ? writeError : writeOutput)(HELP);
    return first === undefined ? 2 : 0;
  }
  if (first === "-V" || first === "--version" || first === "version") {
    writeOutput(await versionText());
    return 0;
  }
  const command = COMMANDS.find((each) => each.name === first);
  if (command === undefined) {
    const names = COMMANDS.map((each) => each.name).join(", ");
    const what = first.startsWith("-") ? "option" : "command";
    writeError(
      `flowgen: unknown ${what} "${first}" (commands: ${names})\n` +
        "Run 'flowgen --help' for usage.\n",
    );
    return 2;
  }
  const module = await loadCommand(command.name);
  if (module === undefined) {
    writeError(`flowgen ${command.name}: this command is not available in this build\n`);
    return 1;
  }
  return await module.run(rest);
}

if (import.meta.main) {
  main(process.argv.slice(2)).then((code) => process.exitCode = code);
}
