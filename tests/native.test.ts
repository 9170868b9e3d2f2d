import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { SYMBOLS } from "../src/native/ffi.ts";
import { COLUMN_COUNT } from "../src/native/constants.ts";
import { libraryVersion } from "../mod.ts";
import { platformDirectories } from "../src/native/loader.ts";
import { ROOT, runDeno } from "./_helpers.ts";

Deno.test("the symbol table covers every function of flowgen.h", async () => {
  const header = await Deno.readTextFile(`${ROOT}native/include/flowgen/flowgen.h`);
  const declared = [...header.matchAll(/^FLOWGEN_API\s+[^;(]*?\b(flowgen_\w+)\s*\(/gm)]
    .map((match) => match[1])
    .sort();
  deepStrictEqual(Object.keys(SYMBOLS).sort(), declared);
  const columns = /#define FLOWGEN_COLUMN_COUNT (\d+)/.exec(header);
  strictEqual(Number(columns?.[1]), COLUMN_COUNT);
});

Deno.test("the loaded library reports its version and ABI", () => {
  const { version, abi, path } = libraryVersion();
  ok(/^\d+\.\d+\.\d+/.test(version));
  strictEqual(abi, 1);
  ok(path.length > 0);
});

const PROBE = `import { libraryVersion } from "${ROOT}mod.ts";
try { libraryVersion(); console.log("loaded"); }
catch (error) { console.log(error.name + ": " + error.message); }`;

async function probe(env: Record<string, string>, probe = PROBE): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/probe.ts`, probe);
    const { stdout } = await runDeno(`${dir}/probe.ts`, [], { env });
    return stdout;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a missing or broken library is one clear LibraryError saying what to run", async () => {
  const missing = await probe({ FLOWGEN_LIB: "/nonexistent/libflowgen.so" });
  ok(missing.startsWith("LibraryError: FLOWGEN_LIB names /nonexistent/libflowgen.so"), missing);
  ok(missing.includes("deno task build"), missing);
  const broken = await probe({ FLOWGEN_LIB: `${ROOT}deno.json` });
  ok(broken.startsWith("LibraryError: Cannot load libflowgen from "), broken);
  ok(broken.includes("deno task build"), broken);
});

Deno.test("a module copy without a library names the platform and where it looked", async () => {
  // A copy of the module (as an npm or JSR install is) with no build/ or prebuilt/ beside it.
  const copy = await Deno.makeTempDir();
  try {
    await Deno.copyFile(`${ROOT}mod.ts`, `${copy}/mod.ts`);
    await Deno.copyFile(`${ROOT}deno.json`, `${copy}/deno.json`);
    await new Deno.Command("cp", { args: ["-r", `${ROOT}src`, `${copy}/src`] }).output();
    const message = await probe(
      { FLOWGEN_LIB: "" },
      PROBE.replace(`${ROOT}mod.ts`, `${copy}/mod.ts`),
    );
    const platform = platformDirectories(Deno.build.os, Deno.build.arch)[0];
    ok(message.startsWith(`LibraryError: no libflowgen for ${platform} `), message);
    ok(message.includes(`${copy}/prebuilt/`), message);
    ok(message.includes("FLOWGEN_LIB") && !message.includes("deno task build"), message);
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});
