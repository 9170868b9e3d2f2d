#!/usr/bin/env bash
# The reliability checks of issue 8 in one CI step: ASan+UBSan (ctest and the Deno tests),
# ThreadSanitizer (ctest), valgrind on the ABI driver, and a short fuzz run. Each part skips
# with a message when its tool is missing; the script fails when any part that ran failed.
#   tests/reliability.sh            FLOWGEN_FUZZ_SECONDS (default 20) per fuzz target, or
#                                   FLOWGEN_FUZZ_RUNS inputs from FLOWGEN_FUZZ_SEED (CI)
#   FLOWGEN_SKIP_FUZZ=1             leaves the fuzz part out (e.g. a quick local run)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
failed=()

run() {
  local name=$1
  shift
  echo "=== reliability: $name"
  if "$@"; then echo "=== reliability: $name passed"; else failed+=("$name"); fi
}

run sanitize "$here/sanitize.sh"
run tsan "$here/tsan.sh"
# valgrind reuses the regular build when there is one (CI builds it first), else builds.
if [ -z "${FLOWGEN_LIB_DIR:-}" ] && [ -f "$here/../build/libflowgen.so" ]; then
  export FLOWGEN_LIB_DIR="$here/../build"
fi
run valgrind "$here/valgrind/run.sh" 1
if [ -n "${FLOWGEN_SKIP_FUZZ:-}" ]; then
  echo "=== reliability: fuzz SKIPPED (FLOWGEN_SKIP_FUZZ is set)"
else
  run fuzz "$here/fuzz/run.sh" "${FLOWGEN_FUZZ_SECONDS:-20}"
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "=== reliability: FAILED: ${failed[*]}"
  exit 1
fi
echo "=== reliability: all parts passed (or skipped)"
