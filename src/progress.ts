/**
 * A one-line progress bar for a terminal (records done, rate, ETA), and the formatting
 * helpers of the CLI's summary line.
 *
 * @module
 */

/**
 * Formats a count with thousands separators: `1,234,567`.
 *
 * @example
 * ```ts
 * import { formatCount } from "./progress.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(formatCount(1234567), "1,234,567");
 * ```
 */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * Formats a rate compactly: `12.3 M`, `456.7 K`, `89`.
 *
 * @example
 * ```ts
 * import { formatRate } from "./progress.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(formatRate(12_345_678), "12.3 M");
 * ```
 */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond)) return "-";
  if (perSecond >= 1e9) return `${(perSecond / 1e9).toFixed(2)} G`;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(1)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)} K`;
  return `${Math.round(perSecond)}`;
}

/**
 * Formats seconds as `m:ss` (or `h:mm:ss`).
 *
 * @example
 * ```ts
 * import { formatDuration } from "./progress.ts";
 * import { strictEqual } from "node:assert";
 *
 * strictEqual(formatDuration(75), "1:15");
 * strictEqual(formatDuration(3725), "1:02:05");
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Options of {@linkcode ProgressBar}. */
export interface ProgressOptions {
  /** Records expected in all (undefined or 0: unknown, no bar and no ETA). */
  total?: number;
  /** Writes text to the terminal (stderr). */
  write: (text: string) => void;
  /** Terminal width in columns (default 80). */
  columns?: number;
  /** Milliseconds between redraws (default 100). */
  interval?: number;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

/**
 * A progress line redrawn in place (`\r`) at most every `interval` ms:
 * `[#########-----------]  45%  4,500,000/10,000,000  21.3 M rec/s  ETA 0:01`.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress.ts";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * let t = 0;
 * const bar = new ProgressBar({ total: 100, write: (s) => out += s, now: () => t });
 * t = 1000;
 * bar.update(50);
 * bar.done();
 * assert(out.includes("50%"));
 * ```
 */
export class ProgressBar {
  readonly #options: ProgressOptions;
  readonly #now: () => number;
  readonly #start: number;
  #last = -Infinity;
  #drawn = false;

  /** Starts the clock. */
  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  /** Reports `done` records; redraws when the interval has passed. */
  update(done: number): void {
    const now = this.#now();
    if (now - this.#last < (this.#options.interval ?? 100)) return;
    this.#last = now;
    this.#draw(done, now);
  }

  #draw(done: number, now: number): void {
    const seconds = (now - this.#start) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const total = this.#options.total ?? 0;
    const parts: string[] = [];
    if (total > 0) {
      const fraction = Math.min(1, done / total);
      const width = Math.max(10, Math.min(30, (this.#options.columns ?? 80) - 60));
      const filled = Math.round(fraction * width);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(width - filled)}]`);
      parts.push(`${Math.floor(fraction * 100)}%`.padStart(4));
      parts.push(`${formatCount(done)}/${formatCount(total)}`);
    } else {
      parts.push(formatCount(done));
    }
    parts.push(`${formatRate(rate)} rec/s`);
    if (total > 0) parts.push(`ETA ${formatDuration(rate > 0 ? (total - done) / rate : NaN)}`);
    else parts.push(formatDuration(seconds));
    this.#options.write(`\r${parts.join("  ")}\x1b[K`);
    this.#drawn = true;
  }

  /** Erases the line, leaving the terminal clean for the summary. */
  done(): void {
    if (this.#drawn) this.#options.write("\r\x1b[K");
    this.#drawn = false;
  }
}
