/**
 * `loadConfigFile`: reads a YAML/JSON config file and validates it. Runs on Deno, Node and
 * Bun: the file is read with `Deno.readFile` when `Deno` exists, else with
 * `node:fs/promises` (or a reader the caller injects).
 *
 * @module
 */

import type { FlowGenConfig } from "./types.ts";
import { ConfigError } from "./errors.ts";
import { parseConfig } from "./parse.ts";

/** Reads a whole file as bytes (or text). */
export type FileReader = (path: string | URL) => Promise<Uint8Array | string>;

/** Options of {@linkcode loadConfigFile}. */
export interface LoadConfigOptions {
  /** Reads the file; defaults to `Deno.readFile` or `node:fs/promises` `readFile`. */
  readFile?: FileReader;
}

/**
 * Reads and validates a config file (YAML, or JSON by its `.json` extension or content),
 * given as a path or a `file:` URL (shown in messages as its path).
 * Errors are {@linkcode ConfigError}s naming the file, line and column — also an
 * unreadable file (with the system error as `cause`) or one that is not UTF-8 text.
 *
 * @example
 * ```ts
 * import { loadConfigFile } from "./mod.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const config = await loadConfigFile("configs/example_config.yaml");
 * assertEquals(config.generation.bandwidth_gbps, 10);
 * ```
 *
 * @throws {ConfigError} when the file cannot be read or is not a valid config.
 */
export async function loadConfigFile(
  path: string | URL,
  options: LoadConfigOptions = {},
): Promise<FlowGenConfig> {
  const readFile = options.readFile ?? defaultReader;
  const file = typeof path === "string"
    ? path
    : path.protocol === "file:"
    ? decodeURIComponent(path.pathname)
    : path.href;
  let data: Uint8Array | string;
  try {
    data = await readFile(path);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    throw new ConfigError(`cannot read the config file: ${reason}`, { file, cause: e });
  }
  let text: string;
  if (typeof data === "string") {
    text = data;
  } else {
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(data);
    } catch (e) {
      throw new ConfigError("binary data: the file is not UTF-8 text; a config is YAML or JSON", {
        file,
        cause: e,
      });
    }
  }
  return parseConfig(text, file);
}

interface DenoFs {
  readFile(path: string | URL): Promise<Uint8Array>;
}

async function defaultReader(path: string | URL): Promise<Uint8Array> {
  const deno = (globalThis as { Deno?: DenoFs }).Deno;
  if (deno) return await deno.readFile(path);
  const fs = await import("node:fs/promises");
  return await fs.readFile(path);
}
