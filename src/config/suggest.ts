/**
 * "Did you mean" suggestions for misspelt keys and values (Levenshtein distance).
 *
 * @module
 */

/**
 * The Levenshtein edit distance between two strings (insertions, deletions, substitutions).
 *
 * @example
 * ```ts
 * import { levenshtein } from "./suggest.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(levenshtein("max_flow", "max_flows"), 1);
 * assertEquals(levenshtein("kitten", "sitting"), 3);
 * ```
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate closest to `input` if it is close enough to be a likely typo (case
 * differences, a few edits, or a prefix), else undefined.
 *
 * @example
 * ```ts
 * import { closest } from "./suggest.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(closest("max_flow", ["max_flows", "seed"]), "max_flows");
 * assertEquals(closest("web", ["web_traffic", "dns_traffic"]), "web_traffic");
 * assertEquals(closest("zzz", ["max_flows", "seed"]), undefined);
 * ```
 */
export function closest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    let distance = levenshtein(needle, lower);
    if (needle.length >= 3 && lower.startsWith(needle)) distance = Math.min(distance, 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(needle.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/**
 * ` (did you mean "x"?)` for the closest candidate, or "" when none is close.
 *
 * @example
 * ```ts
 * import { didYouMean } from "./suggest.ts";
 * import { deepStrictEqual as assertEquals } from "node:assert/strict";
 * assertEquals(didYouMean("bandwith_gbps", ["bandwidth_gbps"]), ' (did you mean "bandwidth_gbps"?)');
 * ```
 */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const match = closest(input, candidates);
  return match === undefined ? "" : ` (did you mean "${match}"?)`;
}
