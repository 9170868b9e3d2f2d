// The C ABI driver (tools/cross/abi_driver.cpp) built with the host's c++ against the host
// build (build/): the reference output of the cross-platform and cross-runtime tests.
import { ROOT, sh } from "./npm/_package.ts";

/** Stdout of `cmd args`; throws with its stderr when it fails. */
export async function commandOutput(
  cmd: string,
  args: string[],
  cwd = ROOT,
): Promise<Uint8Array> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${out.code}): ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return out.stdout;
}

/** Builds the library if stale and the driver against it; returns the driver's path. */
export async function buildHostDriver(): Promise<string> {
  await sh("deno", ["run", "-A", "build.ts", "--if-stale"]);
  Deno.mkdirSync(`${ROOT}/build-cross`, { recursive: true });
  const exe = `${ROOT}/build-cross/abi_driver-host`;
  await sh("c++", [
    "-std=c++17",
    "-O2",
    `-I${ROOT}/native/include`,
    `${ROOT}/tools/cross/abi_driver.cpp`,
    `-L${ROOT}/build`,
    "-lflowgen",
    `-Wl,-rpath,${ROOT}/build`,
    "-o",
    exe,
  ]);
  return exe;
}
