/**
 * FlowGen configuration: YAML/JSON parsing, validation with precise errors (key path,
 * file, line and column; did-you-mean for unknown keys), the normalized
 * {@linkcode FlowGenConfig}, the built-in default config (the brief's example), and the
 * JSON Schema of the file format.
 *
 * ```ts
 * import { ConfigError, defaultConfig, parseConfig } from "./mod.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 *
 * assertEquals(defaultConfig().generation.bandwidth_gbps, 10);
 * try {
 *   parseConfig("generation:\n  max_flow: 10\n", "x.yaml");
 * } catch (e) {
 *   assertEquals(e instanceof ConfigError, true);
 *   assertEquals((e as ConfigError).errors[0].message, 'x.yaml:2:3 generation.max_flow: unknown key (did you mean "max_flows"?)');
 * }
 * ```
 *
 * @module
 */

export type {
  Distribution,
  FlowGenConfig,
  FlowModel,
  PatternConfig,
  PatternType,
} from "./types.ts";
export {
  ConfigError,
  type ConfigErrorOptions,
  type ConfigPath,
  type ConfigPathSegment,
  formatPath,
} from "./errors.ts";
export type { ConfigSource, SourcePosition } from "./checker.ts";
export { validateConfig } from "./validate.ts";
export { type ConfigSyntax, parseConfig, parseConfigText, type ParsedConfigText } from "./parse.ts";
export { type FileReader, loadConfigFile, type LoadConfigOptions } from "./load.ts";
export { defaultConfig } from "./default.ts";
export { EXAMPLE_CONFIG_YAML } from "./example_config.ts";
export { configSchema, type JsonSchema } from "./schema.ts";
export {
  BUILTIN_PATTERNS,
  MAX_BATCH,
  MAX_PENDING_LIMIT,
  MAX_THREADS,
  OUTPUT_FIELDS,
  OUTPUT_FORMATS,
  PATTERN_TYPES,
  PROTOCOL_NAMES,
} from "./limits.ts";
