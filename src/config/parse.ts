/**
 * `parseConfig`: YAML or JSON text to a validated, normalized config, with errors that
 * give the file, line and column.
 *
 * @module
 */

import { LineCounter, parseDocument } from "yaml";
import type { FlowGenConfig } from "./types.ts";
import { ConfigError } from "./errors.ts";
import type { ConfigSource } from "./checker.ts";
import { findJsonSyntaxError } from "./json_syntax.ts";
import { validateConfig } from "./validate.ts";
import { yamlSource } from "./yaml_source.ts";

/** The syntax of a config text. */
export type ConfigSyntax = "yaml" | "json";

/** A config text parsed but not yet validated. */
export interface ParsedConfigText {
  /** The plain value (integers as bigint, as `validateConfig` accepts them). */
  value: unknown;
  /** The file name and the locator of key paths, for {@linkcode validateConfig}. */
  source: ConfigSource;
  /** Which syntax the text was read as. */
  syntax: ConfigSyntax;
}

/**
 * Parses YAML or JSON config text and validates it (see {@linkcode validateConfig}).
 * JSON is chosen by a `.json` file name, YAML by `.yaml`/`.yml`; otherwise text that
 * starts with `{` or `[` and parses as JSON is JSON, anything else YAML. Errors name the
 * line and column (`configs/x.yaml:12:5 traffic_patterns[2].percentage: expected a
 * number, got "ten"`), for syntax errors too.
 *
 * @example
 * ```ts
 * import { ConfigError, parseConfig } from "./mod.ts";
 * import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
 *
 * const yaml = `
 * traffic_patterns:
 *   - type: dns_traffic
 *     percentage: 100
 * network:
 *   source_subnets: [192.168.1.0/24]
 *   destination_subnets: [10.0.0.0/8]
 * `;
 * assertEquals(parseConfig(yaml).traffic_patterns[0].name, "dns_traffic");
 *
 * throws(
 *   () => parseConfig(yaml.replace("100", "ten"), "x.yaml"),
 *   (e: unknown) =>
 *     e instanceof ConfigError &&
 *     e.message === 'x.yaml:4:17 traffic_patterns[0].percentage: expected a number, got "ten"',
 * );
 * ```
 *
 * @throws {ConfigError} for a syntax error, an empty text, binary data, or an invalid config.
 */
export function parseConfig(text: string, filename?: string): FlowGenConfig {
  const parsed = parseConfigText(text, filename);
  return validateConfig(parsed.value, parsed.source);
}

/**
 * Parses config text without validating it: the plain value and a source locator.
 * For tools that check the raw value themselves (e.g. against the JSON Schema).
 *
 * @example
 * ```ts
 * import { parseConfigText } from "./mod.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * const { value, syntax } = parseConfigText('{"generation": {"max_flows": 5}}');
 * assertEquals(syntax, "json");
 * assertEquals(value, { generation: { max_flows: 5n } });
 * ```
 *
 * @throws {ConfigError} for a syntax error, an empty text or binary data.
 */
export function parseConfigText(text: string, filename?: string): ParsedConfigText {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineCounter = new LineCounter();
  const at = (offset: number, reason: string): ConfigError => {
    const { line, column } = offsetPosition(text, offset);
    return new ConfigError(reason, { file: filename, line, column });
  };
  const binary = findControlCharacter(text);
  if (binary >= 0) {
    const code = text.charCodeAt(binary).toString(16).toUpperCase().padStart(4, "0");
    throw at(binary, `binary data (character U+${code}); a config is YAML or JSON text`);
  }
  const syntax = chooseSyntax(text, filename);
  if (text.trim() === "") throw new ConfigError("the config is empty", { file: filename });
  if (syntax === "json") {
    try {
      JSON.parse(text);
    } catch (e) {
      const found = findJsonSyntaxError(text);
      if (found) throw at(found.offset, `JSON syntax error: ${found.message}`);
      throw new ConfigError(`JSON syntax error: ${(e as Error).message}`, { file: filename });
    }
  }
  const doc = parseDocument(text, {
    lineCounter,
    intAsBigInt: true,
    prettyErrors: false,
    uniqueKeys: true,
  });
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => at(e.pos[0], yamlReason(e, text, syntax)));
    const first = errors[0];
    throw new ConfigError(first.reason, {
      file: filename,
      line: first.line,
      column: first.column,
      errors,
    });
  }
  if (doc.contents === null) {
    throw new ConfigError("the config is empty (only comments or blank lines)", { file: filename });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new ConfigError(`YAML error: ${(e as Error).message}`, { file: filename, cause: e });
  }
  return { value, source: yamlSource(doc, lineCounter, filename), syntax };
}

function chooseSyntax(text: string, filename?: string): ConfigSyntax {
  const name = filename?.toLowerCase() ?? "";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".yaml") || name.endsWith(".yml")) return "yaml";
  const start = text.trimStart()[0];
  if (start === "{" || start === "[") {
    try {
      JSON.parse(text);
      return "json";
    } catch {
      return "yaml";
    }
  }
  return "yaml";
}

/** Offset of the first control character other than tab, LF and CR, or -1. */
function findControlCharacter(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 9 && code !== 10 && code !== 13) || code === 0x7f) return i;
  }
  return -1;
}

/** A yaml package error as a reason: our wording for the common cases, else its first line. */
function yamlReason(
  error: { code: string; message: string; pos: [number, number] },
  text: string,
  syntax: ConfigSyntax,
): string {
  if (error.code === "DUPLICATE_KEY") {
    const token = /"(?:[^"\\]|\\.)*"|'[^']*'|[^:\s,{}[\]]+/y;
    token.lastIndex = error.pos[0];
    const key = token.exec(text)?.[0] ?? "";
    return `duplicate key ${key.startsWith('"') ? key : JSON.stringify(key.replace(/^'|'$/g, ""))}`;
  }
  if (error.code === "MULTIPLE_DOCS") {
    return "YAML syntax error: a config is one YAML document, found a second one here";
  }
  const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "").trim();
  return `${syntax === "json" ? "JSON" : "YAML"} syntax error: ${reason}`;
}

/** 1-based line and column (UTF-16 code units) of `offset` in `text`. */
export function offsetPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
