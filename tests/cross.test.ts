// The arm64 build gives the same bytes as x86-64: the static abi_driver
// (tools/cross/abi_driver.cpp + the engine, built with zig c++ for aarch64-linux-musl and
// x86_64-linux-musl) writes CSV, JSON, JSONL and IPFIX; the arm64 one runs under
// qemu-aarch64. Skipped, with a message, when zig or qemu-aarch64 is missing
// (tools/setup.sh installs both).

import { deepStrictEqual } from "node:assert/strict";
import { buildDriver, zigVersion } from "../tools/build/cross.ts";

const ARGS = ["20000", "7", "csv,json,jsonl,ipfix"];

async function has(cmd: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

const zig = await zigVersion();
const qemu = await has("qemu-aarch64", ["--version"]);
const missing = [zig ? "" : "zig (pip install ziglang)", qemu ? "" : "qemu-aarch64 (qemu-user)"]
  .filter(Boolean);
if (missing.length > 0) {
  console.log(`SKIPPED arm64 byte comparison: missing ${missing.join(" and ")}`);
}

async function run(cmd: string, args: string[]): Promise<Uint8Array> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} failed (${out.code}): ${new TextDecoder().decode(out.stderr)}`);
  }
  return out.stdout;
}

Deno.test({
  name: "linux-arm64 under qemu writes the same bytes as x86-64 (CSV, JSON, JSONL, IPFIX)",
  ignore: missing.length > 0,
  async fn() {
    const x64 = await buildDriver("x86_64-linux-musl");
    const arm64 = await buildDriver("aarch64-linux-musl");
    const expected = await run(x64, ARGS);
    const actual = await run("qemu-aarch64", [arm64, ...ARGS]);
    const text = new TextDecoder().decode(expected);
    for (const format of ["csv", "json", "jsonl", "ipfix"]) {
      deepStrictEqual(text.includes(`== ${format}\n`), true, `no ${format} section`);
    }
    deepStrictEqual(actual.length, expected.length, "output sizes differ");
    const first = actual.findIndex((byte, i) => byte !== expected[i]);
    deepStrictEqual(first, -1, `arm64 output differs from x86-64 at byte ${first}`);
  },
});
