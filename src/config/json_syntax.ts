/**
 * Locates and explains JSON syntax errors (JavaScript engines word them differently and
 * do not always give a position): a small strict JSON checker run only after
 * `JSON.parse` has failed.
 *
 * @module
 */

/** A syntax error: where (UTF-16 offset into the text) and what. */
export interface JsonSyntaxError {
  /** Offset of the offending character. */
  offset: number;
  /** What is wrong, e.g. `trailing comma is not allowed in JSON`. */
  message: string;
}

class Failure {
  constructor(readonly offset: number, readonly message: string) {}
}

/**
 * Returns the first JSON syntax error of `text`, or undefined when it is valid JSON.
 *
 * @example
 * ```ts
 * import { findJsonSyntaxError } from "./json_syntax.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(findJsonSyntaxError('{"a": [1, 2,]}'), { offset: 11, message: "trailing comma is not allowed in JSON" });
 * assertEquals(findJsonSyntaxError('{"a": 1}'), undefined);
 * ```
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const fail = (message: string, at = i): never => {
    throw new Failure(at, message);
  };
  const show = (at: number): string => {
    if (at >= text.length) return "the end of the text";
    if (text[at] === '"') return "a string";
    const word = /[A-Za-z_][A-Za-z0-9_]*/y;
    word.lastIndex = at;
    const match = word.exec(text);
    return JSON.stringify(match ? match[0] : text[at]);
  };
  const skipSpace = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
    if (text.startsWith("//", i) || text.startsWith("/*", i)) {
      fail("comments are not allowed in JSON");
    }
  };
  const parseString = (): void => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail("unterminated string", start);
      const ch = text[i];
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === "\\") {
        const next = text[i + 1];
        if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else fail("invalid escape sequence in a string");
      } else if (ch.charCodeAt(0) < 0x20) {
        fail("control character in a string (write it as an escape such as \\n or \\t)");
      } else {
        i++;
      }
    }
  };
  const parseValue = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === "{") return parseContainer("}");
    if (ch === "[") return parseContainer("]");
    if (ch === '"') return parseString();
    if (ch === "'") fail("strings must use double quotes in JSON");
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      const number = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
      number.lastIndex = i;
      const match = number.exec(text);
      if (!match) fail("invalid number");
      i += match![0].length;
      if (/[0-9.eE]/.test(text[i] ?? "")) fail("invalid number");
      return;
    }
    for (const literal of ["true", "false", "null"]) {
      if (text.startsWith(literal, i) && !/[A-Za-z0-9_]/.test(text[i + literal.length] ?? "")) {
        i += literal.length;
        return;
      }
    }
    fail(`unexpected ${show(i)}, expected a value`);
  };
  const parseContainer = (close: "}" | "]"): void => {
    const isObject = close === "}";
    i++;
    skipSpace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      skipSpace();
      if (isObject) {
        if (text[i] !== '"') {
          fail(
            text[i] === "'"
              ? "keys must use double quotes in JSON"
              : `expected a quoted key, got ${show(i)}`,
          );
        }
        parseString();
        skipSpace();
        if (text[i] !== ":") fail(`expected ":" after the key, got ${show(i)}`);
        i++;
      }
      parseValue();
      skipSpace();
      if (text[i] === ",") {
        const comma = i++;
        skipSpace();
        if (text[i] === close) fail("trailing comma is not allowed in JSON", comma);
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`expected "," or "${close}", got ${show(i)}`);
    }
  };
  try {
    parseValue();
    skipSpace();
    if (i < text.length) fail(`unexpected ${show(i)} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (e instanceof Failure) return { offset: e.offset, message: e.message };
    throw e;
  }
}
