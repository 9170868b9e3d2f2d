/**
 * Where an output file is written. A regular file (or a new one) is written under a
 * temporary name next to it and renamed over it at the end, so that a failed or
 * interrupted run leaves no partial file. A device or FIFO (`/dev/null`, a named pipe) is
 * written in place: renaming a file over it would replace the device.
 *
 * @module
 */
import { renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/** A temporary file next to `filename`, for write-then-rename. */
export function temporaryPath(filename: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return join(dirname(filename), `.${basename(filename)}.${random}.flowgen-tmp`);
}

/** True when `path` exists and is not a regular file or directory (a device, a FIFO). */
export function isSpecialFile(path: string): boolean {
  try {
    const stat = statSync(path);
    return !stat.isFile() && !stat.isDirectory();
  } catch {
    return false; // absent: a new regular file
  }
}

/** An output in progress: write to `path`, then `commit()` on success or `discard()`. */
export class OutputFile {
  /** The path to open for writing. */
  readonly path: string;
  readonly #target: string;
  #pending: boolean;

  /** Plans the output of `target` (nothing is created yet). */
  constructor(target: string) {
    this.#target = target;
    this.#pending = !isSpecialFile(target);
    this.path = this.#pending ? temporaryPath(target) : target;
  }

  /**
   * Opens the output with `opener(path)`. A failure names the target the user gave, not
   * the temporary file (`cannot open "out/flows.csv" ...`).
   */
  open<T>(opener: (path: string) => T): T {
    try {
      return opener(this.path);
    } catch (error) {
      if (error instanceof Error && this.path !== this.#target) {
        error.message = error.message.replaceAll(this.path, this.#target);
      }
      throw error;
    }
  }

  /** Moves the finished output into place (no-op for a device or FIFO). */
  commit(): void {
    if (!this.#pending) return;
    renameSync(this.path, this.#target);
    this.#pending = false;
  }

  /** Removes an unfinished temporary file, if any (never the target, never a device). */
  discard(): void {
    if (!this.#pending) return;
    this.#pending = false;
    try {
      unlinkSync(this.path);
    } catch {
      // never created, or already gone
    }
  }
}
