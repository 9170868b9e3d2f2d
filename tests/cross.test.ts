// The prebuilt libraries (zig c++, tools/build/cross.ts, into build-cross/prebuilt/):
// - every platform compiles and links, and each file is a library for its OS and CPU that
//   exports the ABI (macOS and Windows cannot be run here: this is all that is checked);
// - linux-arm64-gnu, driven by tools/cross/abi_driver.cpp under qemu-aarch64 with Debian's
//   aarch64 glibc (libc6-arm64-cross), writes the same CSV, JSON, JSONL and IPFIX bytes as
//   linux-x64-gnu and as the host's g++ build.
// Skipped, with a message, when zig, qemu-aarch64 or the aarch64 glibc is missing
// (tools/setup.sh installs all three).

import { deepStrictEqual, ok } from "node:assert/strict";
import { existsSync } from "node:fs";
import { buildCross, buildDriver } from "../tools/build/cross.ts";
import { PLATFORMS } from "../tools/build/platforms.ts";
import { findZig } from "../tools/build/zig.ts";
import { hasTool, ROOT } from "./npm/_package.ts";
import { buildHostDriver, commandOutput as output } from "./_host_driver.ts";

const OUT = `${ROOT}/build-cross/prebuilt`;
const ARGS = ["20000", "7", "csv,json,jsonl,ipfix"];
const SYSROOT = "/usr/aarch64-linux-gnu";

const zig = await findZig();
const qemu = await hasTool("qemu-aarch64");
const missing = [
  zig ? "" : "zig (pip install ziglang)",
  qemu ? "" : "qemu-aarch64 (qemu-user)",
  existsSync(`${SYSROOT}/lib/libc.so.6`) ? "" : `${SYSROOT} (libc6-arm64-cross)`,
].filter(Boolean);
if (!zig) console.log("SKIPPED cross-compile: no zig found (see tools/build/zig.ts)");
else if (missing.length > 0) {
  console.log(`SKIPPED arm64 byte comparison: missing ${missing.join(" and ")}`);
}

/** What a library file must start with, per platform: format magic and CPU. */
function describe(bytes: Uint8Array): string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) === 0x7f454c46) {
    const machine = view.getUint16(18, true);
    return `ELF ${machine === 62 ? "x86-64" : machine === 183 ? "aarch64" : machine}`;
  }
  if (view.getUint32(0, true) === 0xfeedfacf) {
    const cpu = view.getUint32(4, true);
    return `Mach-O ${cpu === 0x01000007 ? "x86-64" : cpu === 0x0100000c ? "arm64" : cpu}`;
  }
  if (view.getUint16(0, true) === 0x5a4d) {
    const pe = view.getUint32(0x3c, true);
    const machine = view.getUint16(pe + 4, true);
    return `PE ${machine === 0x8664 ? "x86-64" : machine}`;
  }
  return "unknown";
}

const EXPECTED_FORMAT: Record<string, string> = {
  "linux-x64-gnu": "ELF x86-64",
  "linux-arm64-gnu": "ELF aarch64",
  "macos-x64": "Mach-O x86-64",
  "macos-arm64": "Mach-O arm64",
  "windows-x64": "PE x86-64",
};

function contains(haystack: Uint8Array, needle: string): boolean {
  const bytes = new TextEncoder().encode(needle);
  outer: for (let i = haystack.indexOf(bytes[0]); i >= 0; i = haystack.indexOf(bytes[0], i + 1)) {
    for (let j = 1; j < bytes.length; j++) if (haystack[i + j] !== bytes[j]) continue outer;
    return true;
  }
  return false;
}

Deno.test({
  name: "zig builds a library for every platform (linux, macOS, Windows; x64 and arm64)",
  ignore: !zig,
  async fn() {
    const built = await buildCross({ outDir: OUT });
    deepStrictEqual(built, PLATFORMS.map((p) => p.name));
    for (const platform of PLATFORMS) {
      const bytes = Deno.readFileSync(`${OUT}/${platform.name}/${platform.library}`);
      deepStrictEqual(describe(bytes), EXPECTED_FORMAT[platform.name], platform.name);
      ok(contains(bytes, "flowgen_generator_next_batch"), `${platform.name}: ABI not exported`);
    }
  },
});

/** The host's g++ build (build/) driven by the same driver, built with the host's c++. */
async function hostOutput(): Promise<Uint8Array> {
  const exe = await buildHostDriver();
  return await output(exe, ARGS);
}

function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  const first = actual.findIndex((byte, i) => byte !== expected[i]);
  deepStrictEqual(first, -1, `${what} differs from the host build at byte ${first}`);
  deepStrictEqual(actual.length, expected.length, `${what}: output sizes differ`);
}

Deno.test({
  name: "linux-arm64-gnu under qemu writes the same bytes as x86-64 (CSV, JSON, JSONL, IPFIX)",
  ignore: missing.length > 0,
  async fn() {
    const linux = PLATFORMS.filter((p) => p.name.startsWith("linux-"));
    await buildCross({ outDir: OUT, only: linux.map((p) => p.name) });
    const [x64, arm64] = ["linux-x64-gnu", "linux-arm64-gnu"].map((name) =>
      linux.find((p) => p.name === name)!
    );
    const x64Driver = await buildDriver(x64, `${OUT}/${x64.name}`);
    const arm64Driver = await buildDriver(arm64, `${OUT}/${arm64.name}`);
    const expected = await hostOutput();
    const text = new TextDecoder().decode(expected);
    for (const format of ["csv", "json", "jsonl", "ipfix"]) {
      ok(text.includes(`== ${format}\n`), `no ${format} section`);
    }
    assertSameBytes(await output(x64Driver, ARGS), expected, "linux-x64-gnu");
    const arm = await output("qemu-aarch64", ["-L", SYSROOT, arm64Driver, ...ARGS]);
    assertSameBytes(arm, expected, "linux-arm64-gnu under qemu");
  },
});
