// A smaller smoke test of the npm package under Bun (tests/npm/bun_smoke.mjs); skipped
// with a message when the pinned bun is not installed (tools/setup.sh installs it).

import { ok } from "node:assert/strict";
import { existsSync } from "node:fs";
import { BUN, preparePackage, ROOT } from "./_package.ts";

const haveBun = existsSync(BUN);
if (!haveBun) console.log(`SKIPPED Bun tests: ${BUN} missing (run tools/setup.sh)`);

Deno.test({
  name: "Bun runs the API and the CLI of the packed npm package",
  ignore: !haveBun,
  async fn() {
    const project = await preparePackage();
    Deno.copyFileSync(`${ROOT}/tests/npm/bun_smoke.mjs`, `${project}/bun_smoke.mjs`);
    const out = await new Deno.Command(BUN, {
      args: ["bun_smoke.mjs"],
      cwd: project,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    ok(out.success && text.includes("bun smoke: ok"), `bun smoke test failed:\n${text}`);
  },
});
