/**
 * Finds the line and column of a key path in a parsed YAML (or JSON) document, for error
 * messages.
 *
 * @module
 */

import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter } from "yaml";
import type { ConfigPath } from "./errors.ts";
import type { ConfigSource, SourcePosition } from "./checker.ts";

/**
 * A {@linkcode ConfigSource} over a YAML document: `locate` walks the document along the
 * path and returns the position of the key (target "key") or value (target "value"); when
 * the path stops early (a missing key, a wrong type on the way), the position of the
 * deepest node reached.
 */
export function yamlSource(doc: Document, lineCounter: LineCounter, file?: string): ConfigSource {
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return {
    file,
    locate(path: ConfigPath, target: "key" | "value"): SourcePosition | undefined {
      let node: unknown = doc.contents;
      let offset = rangeStart(node) ?? 0;
      for (let i = 0; i < path.length; i++) {
        if (isAlias(node)) node = node.resolve(doc);
        const segment = path[i];
        const last = i === path.length - 1;
        if (isMap(node)) {
          const pair = node.items.find((item) => keyText(item.key) === String(segment));
          if (!pair) break;
          const keyStart = rangeStart(pair.key);
          const valueStart = rangeStart(pair.value);
          if (last && target === "key" && keyStart !== undefined) return position(keyStart);
          // A key without a value (`max_flows:`) points at the key.
          offset = valueStart ?? keyStart ?? offset;
          if (isScalar(pair.value) && pair.value.value === null && keyStart !== undefined) {
            offset = keyStart;
          }
          node = pair.value;
        } else if (isSeq(node) && typeof segment === "number") {
          const item = node.items[segment];
          if (item === undefined) break;
          offset = rangeStart(item) ?? offset;
          node = item;
        } else {
          break;
        }
      }
      return position(offset);
    },
  };
}

function rangeStart(node: unknown): number | undefined {
  if (node && typeof node === "object" && "range" in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range) return range[0];
  }
  return undefined;
}

function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}
