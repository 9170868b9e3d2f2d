#!/usr/bin/env bash
# ThreadSanitizer: configures and builds build-tsan (g++, -O1 with debug info,
# FLOWGEN_TSAN=ON) and runs the whole ctest suite under it: the worker-thread lanes, the
# merge, the writer thread and the checkpoints of threaded generators race-checked on every
# CI run, not only when someone remembers to.
#   FLOWGEN_TSAN_BUILD   build directory (default build-tsan)
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOWGEN_TSAN_BUILD:-$root/build-tsan}
jobs=${FLOWGEN_JOBS:-2}

# shellcheck source=tests/sanitizer_build.sh
source "$root/tests/sanitizer_build.sh"
# -O1: as the TSan documentation suggests (Debug code runs several times slower under it).
sanitizer_build tsan "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DFLOWGEN_TSAN=ON

# halt_on_error: the first race fails the test that caused it. install_test links a plain
# program against the installed library, which the TSan runtime must come first in.
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
echo "tsan: ctest under ThreadSanitizer"
if ! (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 600 -E '^install_test$'); then
  echo "tsan: ctest FAILED"
  exit 1
fi
echo "tsan: passed"
