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

if ! command -v g++ >/dev/null || ! command -v cmake >/dev/null; then
  echo "tsan: SKIPPED (g++ or cmake not found)"
  exit 0
fi
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

mkdir -p "$build"
# -O1: TSan's own advice (Debug code is several times slower under it, with no more found).
CXX=g++ CC=gcc cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DFLOWGEN_TSAN=ON -DBUILD_TESTING=ON \
  -DFLOWGEN_BUILD_EXAMPLES=OFF -DFLOWGEN_BUILD_BENCH=OFF >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; echo "tsan: FAILED to configure"; exit 1; }
cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 ||
  { grep -E "error|Error" -A3 "$build/build.log" | head -40; echo "tsan: FAILED to build"; exit 1; }

# halt_on_error: the first race fails the test that caused it. install_test links a plain
# program against the installed library, which the TSan runtime must come first in.
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
echo "tsan: ctest under ThreadSanitizer"
if ! (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 600 -E '^install_test$'); then
  echo "tsan: ctest FAILED"
  exit 1
fi
echo "tsan: passed"
