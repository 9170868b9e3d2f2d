// Outputs that are devices or FIFOs are written in place: a write-then-rename would replace
// them (it once turned /dev/null into a regular file). A FIFO stands in for /dev/null here,
// so that a regression cannot damage the machine running the tests.
import { ok, strictEqual, throws } from "node:assert/strict";
import { openSync, readdirSync } from "node:fs";
import { defaultConfig, exportCsv, FlowGenerator } from "../mod.ts";
import { OutputFile } from "../src/output_file.ts";
import { runCli } from "./_helpers.ts";

async function withFifo(fn: (fifo: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-fifo-" });
  try {
    const fifo = `${dir}/out.fifo`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    strictEqual(made.code, 0, "mkfifo");
    await fn(fifo, dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Reads the FIFO to its end in a child process (a reader must be open for writers); gives
 * up after 60 s so that a writer that never opens the FIFO fails the test, not hangs it.
 */
function drain(fifo: string): Promise<string> {
  return new Deno.Command("timeout", { args: ["60", "cat", fifo], stdout: "piped" }).output()
    .then((out) => new TextDecoder().decode(out.stdout));
}

function dirEntries(dir: string): string[] {
  return readdirSync(dir).sort(); // node:fs: the same under Node (no Array.fromAsync in Node 20)
}

Deno.test("generate -o FIFO writes in place and leaves the FIFO a FIFO", () =>
  withFifo(async (fifo, dir) => {
    const [text, result] = await Promise.all([
      drain(fifo),
      runCli(["generate", "-n", "500", "-o", fifo, "-q"]),
    ]);
    strictEqual(result.code, 0, result.stderr);
    strictEqual(text.trimEnd().split("\n").length, 501); // header + 500 rows
    ok(Deno.statSync(fifo).isFifo);
    strictEqual(dirEntries(dir).join(), "out.fifo"); // no temporary left
  }));

Deno.test("merge -o FIFO writes in place and leaves the FIFO a FIFO", () =>
  withFifo(async (fifo, dir) => {
    const shard = `${dir}/a.csv`;
    strictEqual((await runCli(["generate", "-n", "200", "-o", shard, "-q"])).code, 0);
    const [text, result] = await Promise.all([
      drain(fifo),
      runCli(["merge", shard, "-o", fifo, "-q"]),
    ]);
    strictEqual(result.code, 0, result.stderr);
    strictEqual(text, await Deno.readTextFile(shard));
    ok(Deno.statSync(fifo).isFifo);
  }));

Deno.test("exportCsv to a FIFO writes in place", () =>
  withFifo(async (fifo) => {
    using generator = new FlowGenerator(defaultConfig());
    const reading = drain(fifo);
    const { records } = exportCsv(generator, fifo, { maxRecords: 100 });
    strictEqual(records, 100);
    strictEqual((await reading).trimEnd().split("\n").length, 101);
    ok(Deno.statSync(fifo).isFifo);
  }));

Deno.test("OutputFile: a regular target gets a temporary sibling, discard removes it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "flowgen-out-" });
  try {
    const target = `${dir}/flows.csv`;
    const file = new OutputFile(target);
    ok(file.path !== target && file.path.startsWith(`${dir}/.flows.csv.`));
    await Deno.writeTextFile(file.path, "partial");
    file.discard();
    strictEqual(dirEntries(dir).length, 0);
    const done = new OutputFile(target);
    await Deno.writeTextFile(done.path, "whole");
    done.commit();
    strictEqual(await Deno.readTextFile(target), "whole");
    strictEqual(dirEntries(dir).join(), "flows.csv");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("OutputFile.open: a failure names the target, not the temporary file", () => {
  const file = new OutputFile("/nonexistent-dir/flows.csv");
  throws(
    () => file.open((path) => openSync(path, "w")),
    (error: Error) =>
      error.message.includes("/nonexistent-dir/flows.csv") &&
      !error.message.includes("flowgen-tmp"),
  );
});
