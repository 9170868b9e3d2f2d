/**
 * `flowgen generate … -o FILE --checkpoint STATE [--checkpoint-every N]` and
 * `flowgen generate --resume STATE`: a generation that can stop and continue.
 *
 * The output file is written in place. Every N records (and on SIGINT/SIGTERM) the encoder
 * is flushed, the file synced, and the state file replaced atomically with the generator's
 * and encoder's checkpoints and the file's length. A resumed run truncates the file to that
 * length and continues: after a `kill -9` at any moment the finished file is byte for byte
 * the one an uninterrupted run writes. A finished run deletes its state file.
 *
 * Exit codes: 0 done, 130 stopped by SIGINT, 143 stopped by SIGTERM (a final checkpoint
 * was written: resume with `--resume STATE`), 1/2 as for every command.
 *
 * @module
 */

import process from "node:process";
import { existsSync, statSync, truncateSync, unlinkSync } from "node:fs";
import { resolve } from "node:path";
import type { FlowGenConfig } from "../config/types.ts";
import { parseCount } from "../args.ts";
import { UsageError } from "../errors.ts";
import { FlowGenerator, nativeGeneratorOf } from "../generator.ts";
import { loadLibrary } from "../native/loader.ts";
import { NativeEncoder, TEXT_FORMATS } from "../native/encoder.ts";
import { Param } from "../native/constants.ts";
import {
  CheckpointError,
  engineEncoderCheckpoint,
  engineEncoderRestore,
  engineGeneratorCheckpoint,
  engineGeneratorRestore,
} from "../checkpoint.ts";
import {
  type CheckpointState,
  fingerprintOf,
  readState,
  syncFile,
  writeState,
} from "../checkpoint_state.ts";
import { formatCount, formatRate, ProgressBar } from "../progress.ts";
import type { GenerateRequest } from "./generate.ts";
import { splitCheckpointArgs } from "./generate_scale.ts";
import { ExitCode, fail, stderrIsTerminal, writeError } from "./common.ts";

/** Records between checkpoints when `--checkpoint-every` is not given. */
export const DEFAULT_CHECKPOINT_EVERY = 1_000_000;

/** Exit code after SIGTERM (128 + 15). */
export const EXIT_SIGTERM = 143;

/** Parses a `flowgen generate` command line (the function of `generate.ts`). */
export type ParseGenerateArgs = (args: string[]) => Promise<GenerateRequest | undefined>;

/** The options of a request that decide the output bytes (the fingerprint covers them). */
function shapingOptions(request: GenerateRequest): Record<string, unknown> {
  return {
    config: request.config,
    format: request.format,
    fields: request.fields ?? null,
    header: request.header,
    pretty: request.pretty,
  };
}

function storedRequest(request: GenerateRequest, every: number): Record<string, unknown> {
  return { ...shapingOptions(request), output: resolve(request.output!), every };
}

function requestFromState(state: CheckpointState, quiet: boolean): GenerateRequest {
  const r = state.request;
  return {
    config: r.config as FlowGenConfig,
    format: r.format as GenerateRequest["format"],
    output: r.output as string,
    fields: (r.fields ?? undefined) as string | undefined,
    header: r.header as boolean,
    pretty: r.pretty as boolean,
    quiet,
  };
}

function onlyQuiet(args: string[]): boolean {
  return args.every((arg) => arg === "-q" || arg === "--quiet");
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A checkpointed run: what to generate, where, and from which state. */
export interface CheckpointRun {
  /** What to generate. */
  request: GenerateRequest;
  /** State file to write. */
  statePath: string;
  /** Records between checkpoints. */
  every: number;
  /** The state to continue from (resume), if any. */
  resume?: CheckpointState;
  /**
   * Stop as a signal would (final checkpoint, output left open) once the file holds this
   * many records; for callers that generate in slices.
   */
  stopAfter?: number;
}

/** Reads the command line of a checkpointed or resumed run (throws UsageError, CheckpointError). */
export async function parseCheckpointArgs(
  args: string[],
  parse: ParseGenerateArgs,
): Promise<CheckpointRun> {
  const split = splitCheckpointArgs(args);
  const every = split.every === undefined
    ? undefined
    : parseCount(split.every, "--checkpoint-every");
  if (every === 0) throw new UsageError("--checkpoint-every expects a positive count");
  if (split.resume !== undefined) {
    const state = readStateFile(split.resume);
    const quiet = split.rest.includes("-q") || split.rest.includes("--quiet");
    let request: GenerateRequest;
    if (onlyQuiet(split.rest)) {
      request = requestFromState(state, quiet);
    } else {
      request = (await parse(split.rest))!;
      if (!sameBytes(fingerprintOf(shapingOptions(request)), state.fingerprint)) {
        throw new CheckpointError(
          `state file ${split.resume} was saved by a run with another config or other ` +
            "output options; resume with the same options, or with --resume STATE alone",
        );
      }
      request.output ??= state.request.output as string;
    }
    return {
      request,
      statePath: split.checkpoint ?? split.resume,
      every: every ?? (state.request.every as number) ?? DEFAULT_CHECKPOINT_EVERY,
      resume: state,
    };
  }
  if (split.checkpoint === undefined) {
    throw new UsageError("--checkpoint-every needs --checkpoint STATE");
  }
  const request = (await parse(split.rest))!;
  if (request.output === undefined) {
    throw new UsageError("--checkpoint needs an output file (-o FILE), not stdout");
  }
  return { request, statePath: split.checkpoint, every: every ?? DEFAULT_CHECKPOINT_EVERY };
}

function readStateFile(path: string): CheckpointState {
  try {
    return readState(path);
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new UsageError(
      `cannot read the state file ${path}: ${(error as Error).message} ` +
        "(a finished run deletes its state file)",
    );
  }
}

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** How a checkpointed run ended. */
export interface CheckpointSummary {
  /** Records in the output file. */
  records: number;
  /** Records written by this process. */
  written: number;
  /** Wall-clock seconds. */
  seconds: number;
  /** The seed in use. */
  seed: bigint;
  /** What stopped the run before the end, if anything. */
  signal?: "SIGINT" | "SIGTERM" | "stopAfter";
}

/**
 * Runs a {@linkcode CheckpointRun}: generates into the output file in place, checkpointing
 * every `every` records and when SIGINT/SIGTERM arrives.
 */
export async function generateWithCheckpoints(run: CheckpointRun): Promise<CheckpointSummary> {
  const { request, statePath, every } = run;
  const output = request.output!;
  const fingerprint = fingerprintOf(shapingOptions(request));
  const stored = run.resume?.request ?? storedRequest(request, every);
  using generator = new FlowGenerator(request.config);
  const g = nativeGeneratorOf(generator);
  const encoder = new NativeEncoder(loadLibrary(), TEXT_FORMATS[request.format]);
  let signal: CheckpointSummary["signal"];
  const onInt = () => signal ??= "SIGINT";
  const onTerm = () => signal ??= "SIGTERM";
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  const started = performance.now();
  const maxFlows = request.config.generation.max_flows;
  const progress = !request.quiet && stderrIsTerminal()
    ? new ProgressBar({ total: maxFlows, write: writeError, columns: process.stderr.columns })
    : undefined;
  let records = run.resume?.records ?? 0;
  const first = records;
  try {
    encoder.setParam(Param.CSV_HEADER, request.header);
    encoder.setParam(Param.JSON_PRETTY, request.pretty);
    if (request.fields !== undefined) {
      try {
        encoder.setFields(request.fields);
      } catch (error) {
        throw new UsageError(`--fields: ${(error as Error).message}`);
      }
    }
    if (run.resume) {
      const length = existsSync(output) ? statSync(output).size : -1;
      if (length < run.resume.outputBytes) {
        throw new CheckpointError(
          `cannot resume: ${output} is ${length < 0 ? "missing" : `${length} bytes`}, ` +
            `the checkpoint needs its first ${run.resume.outputBytes} bytes`,
        );
      }
      truncateSync(output, run.resume.outputBytes);
      encoder.open(output, true);
      engineEncoderRestore(encoder, run.resume.encoder);
      engineGeneratorRestore(g, run.resume.generator);
    } else {
      encoder.open(output);
    }
    const save = () => {
      encoder.flush();
      syncFile(output);
      writeState(statePath, {
        request: stored,
        fingerprint,
        outputBytes: statSync(output).size,
        records,
        generator: engineGeneratorCheckpoint(g),
        encoder: engineEncoderCheckpoint(encoder),
      });
    };
    if (!run.resume) save();
    const handle = g.handle();
    const stopAfter = run.stopAfter ?? Infinity;
    let nextCheckpoint = Math.min(records + every, stopAfter);
    let lastTick = performance.now();
    while (true) {
      const n = encoder.encodeNext(handle, Math.min(g.capacity, nextCheckpoint - records));
      if (n === 0) break;
      records += n;
      if (records >= nextCheckpoint) {
        save();
        if (records >= stopAfter) {
          signal = "stopAfter";
          break;
        }
        nextCheckpoint = Math.min(records + every, stopAfter);
      }
      const now = performance.now();
      if (now - lastTick >= 50) {
        progress?.update(records);
        await tick(); // lets the signals be noticed
        lastTick = performance.now();
        if (signal !== undefined) {
          save();
          break;
        }
      }
    }
    if (signal === undefined) {
      encoder.finish();
      encoder.free();
      unlinkSync(statePath);
    }
    progress?.done();
    return {
      records,
      written: records - first,
      seconds: (performance.now() - started) / 1000,
      seed: generator.getStats().seed,
      signal,
    };
  } finally {
    progress?.done();
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    encoder.free();
  }
}

/**
 * Entry point of a checkpointed `flowgen generate` (called by `generate.ts` when the command
 * line has `--checkpoint`, `--checkpoint-every` or `--resume`); returns the exit code.
 */
export async function runCheckpointed(args: string[], parse: ParseGenerateArgs): Promise<number> {
  try {
    const run = await parseCheckpointArgs(args, parse);
    const summary = await generateWithCheckpoints(run);
    if (summary.signal !== undefined) {
      writeError(
        `flowgen generate: ${summary.signal} after ${formatCount(summary.records)} records; ` +
          `checkpoint saved to ${run.statePath} (continue with: flowgen generate --resume ` +
          `${run.statePath})\n`,
      );
      return summary.signal === "SIGTERM" ? EXIT_SIGTERM : ExitCode.INTERRUPTED;
    }
    if (!run.request.quiet) {
      const rate = summary.seconds > 0 ? summary.written / summary.seconds : 0;
      writeError(
        `flowgen: ${formatCount(summary.records)} records` +
          (run.resume ? ` (${formatCount(summary.written)} after resuming)` : "") +
          ` in ${summary.seconds.toFixed(2)} s (${formatRate(rate)} records/s), seed ` +
          `${summary.seed}, written to ${run.request.output}\n`,
      );
    }
    return ExitCode.OK;
  } catch (error) {
    return fail("generate", error);
  }
}
