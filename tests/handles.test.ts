// Handles from TypeScript: use after close throws ClosedError, a second close is harmless,
// and a generator nobody closed is freed by the garbage collector (observed through the
// FFI layer's live-handle counter in a subprocess run with --v8-flags=--expose-gc).

import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { ClosedError, FlowGenerator } from "../mod.ts";
import { liveNativeGenerators } from "../src/native/generator_handle.ts";
import { liveNativeEncoders, NativeEncoder } from "../src/native/encoder.ts";
import { loadLibrary } from "../src/native/loader.ts";
import { ROOT, smallConfig } from "./_helpers.ts";

const FORMAT_CSV = 1;

Deno.test("a closed generator throws ClosedError on every use", () => {
  const generator = new FlowGenerator(smallConfig(100));
  generator.next();
  generator.close();
  assertEquals(generator.closed, true);
  const uses: Array<[string, () => unknown]> = [
    ["next", () => generator.next()],
    ["batches", () => generator.batches().next()],
    ["iterator", () => [...generator]],
    ["getStats", () => generator.getStats()],
    ["checkpoint", () => generator.checkpoint()],
    ["isDone", () => generator.isDone()],
    ["config", () => generator.config],
  ];
  for (const [name, use] of uses) {
    throws(use, ClosedError, name);
  }
});

Deno.test("closing twice, and close after using, are harmless", () => {
  const before = liveNativeGenerators();
  {
    using generator = new FlowGenerator(smallConfig(10));
    assertEquals(liveNativeGenerators(), before + 1);
    generator.close();
    generator.close();
    assertEquals(liveNativeGenerators(), before);
  } // `using` disposes a third time
  assertEquals(liveNativeGenerators(), before);
});

Deno.test("a config error frees what was allocated", () => {
  const before = liveNativeGenerators();
  const bad = smallConfig(10);
  (bad.traffic_patterns as Array<{ percentage: number }>)[0].percentage = 41;
  throws(() => new FlowGenerator(bad));
  assertEquals(liveNativeGenerators(), before);
});

Deno.test("an encoder used after free throws ClosedError; a second free is harmless", () => {
  const encoder = new NativeEncoder(loadLibrary(), FORMAT_CSV);
  encoder.free();
  encoder.free();
  throws(() => encoder.handle, ClosedError);
});

Deno.test({
  name: "a forgotten encoder is freed by the FinalizationRegistry, a freed one not twice",
  // Needs `deno test --v8-flags=--expose-gc` (as `deno task test` runs it).
  ignore: typeof (globalThis as { gc?: unknown }).gc !== "function",
  async fn() {
    const gc = (globalThis as unknown as { gc: () => void }).gc;
    const lib = loadLibrary();
    const before = liveNativeEncoders();
    const kept = new NativeEncoder(lib, FORMAT_CSV);
    const freed = new NativeEncoder(lib, FORMAT_CSV);
    freed.free();
    (() => {
      for (let i = 0; i < 20; i++) new NativeEncoder(lib, FORMAT_CSV).setFields("timestamp,length");
    })();
    assertEquals(liveNativeEncoders(), before + 21);
    for (let round = 0; round < 50 && liveNativeEncoders() > before + 1; round++) {
      gc();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The 20 dropped ones are gone; the explicitly freed one was not counted twice.
    assertEquals(liveNativeEncoders(), before + 1);
    kept.free();
    assertEquals(liveNativeEncoders(), before);
  },
});

Deno.test("a forgotten generator is freed by the garbage collector", async () => {
  const script = `
    import { FlowGenerator } from "${new URL("../mod.ts", import.meta.url).href}";
    import { liveNativeGenerators } from "${
    new URL("../src/native/generator_handle.ts", import.meta.url).href
  }";
    const config = ${JSON.stringify(smallConfig(1000))};
    (() => {
      for (let i = 0; i < 20; i++) new FlowGenerator(config).next(); // never closed
    })();
    const created = liveNativeGenerators();
    for (let i = 0; i < 200 && liveNativeGenerators() > 0; i++) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    console.log(JSON.stringify({ created, live: liveNativeGenerators() }));
  `;
  const file = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(file, script);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `--config=${ROOT}deno.json`, "--v8-flags=--expose-gc", file],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stdout);
    assertEquals(code, 0, new TextDecoder().decode(stderr));
    assertEquals(JSON.parse(text.trim()), { created: 20, live: 0 });
  } finally {
    await Deno.remove(file);
  }
});
