#!/usr/bin/env -S deno run -A
/**
 * FlowGen build script.
 *
 * ```sh
 * deno run -A build.ts                    # Release build of libflowgen into build/
 * deno run -A build.ts --if-stale         # ... only when a native input changed
 * deno run -A build.ts --tests            # ... with the GoogleTest suite (ctest)
 * deno run -A build.ts --debug-sanitize   # ASan + UBSan debug build into build-asan/
 * deno run -A build.ts cross              # prebuilt/<platform>/ for 5 platforms (zig c++)
 * deno run -A build.ts npm                # the npm package into npm/ (then `npm pack`)
 * ```
 *
 * Extra CMake configure arguments follow `--`. Everything is printed on stderr.
 *
 * @module
 */

import { buildNative } from "./tools/build/native.ts";
import { log } from "./tools/build/run.ts";

const USAGE = `usage: deno run -A build.ts [native|cross|npm] [--if-stale] [--tests]
       [--debug-sanitize] [--only <platform,...>] [--no-cross] [-- <cmake args>]`;

interface Args {
  command: string;
  ifStale: boolean;
  tests: boolean;
  sanitize: boolean;
  only?: string[];
  noCross: boolean;
  cmakeArgs: string[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    command: "native",
    ifStale: false,
    tests: false,
    sanitize: false,
    noCross: false,
    cmakeArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      args.cmakeArgs = argv.slice(i + 1);
      break;
    } else if (arg === "--if-stale") args.ifStale = true;
    else if (arg === "--tests") args.tests = true;
    else if (arg === "--debug-sanitize") args.sanitize = true;
    else if (arg === "--no-cross") args.noCross = true;
    else if (arg === "--only" && i + 1 < argv.length) args.only = argv[++i].split(",");
    else if (["native", "cross", "npm"].includes(arg)) args.command = arg;
    else if (arg === "-h" || arg === "--help") {
      log(USAGE);
      Deno.exit(0);
    } else {
      log(`build.ts: unknown argument ${arg}\n${USAGE}`);
      Deno.exit(2);
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(Deno.args);
  if (args.command === "native") {
    await buildNative(args);
  } else if (args.command === "cross") {
    const { buildCross } = await import("./tools/build/cross.ts");
    await buildCross({ only: args.only });
  } else {
    const { buildNpm } = await import("./tools/build/npm.ts");
    await buildNpm({ cross: !args.noCross });
  }
}

try {
  await main();
} catch (error) {
  log(`build.ts: ${error instanceof Error ? error.message : error}`);
  Deno.exit(1);
}
