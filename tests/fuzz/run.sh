#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/*_fuzz.cpp) with clang into build-fuzz and runs
# each for N seconds (default 30), starting from the committed seed corpus.
#   tests/fuzz/run.sh [seconds] [target...]
# New inputs go to build-fuzz/corpus/<target>/ (never to the committed corpus); crashes to
# build-fuzz/artifacts/. Exits non-zero when any target crashed or failed to build.
# FLOWGEN_FUZZ_RUNS=<n> [FLOWGEN_FUZZ_SEED=<s>]: n inputs per target from a fixed seed
# instead (reproducible; what CI runs). FLOWGEN_FUZZ_BUILD: another build directory.
# Replay a crash: build-fuzz/<target> build-fuzz/artifacts/<target>-crash-<hash>; then copy
# it to tests/fuzz/findings/ (ctest's <target>_replay runs every file there and in the
# committed corpus) and, where it helps, add a focused test in tests/native/.
set -uo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
shift || true
build=${FLOWGEN_FUZZ_BUILD:-$root/build-fuzz}
jobs=${FLOWGEN_FUZZ_JOBS:-2}

if ! command -v clang++ >/dev/null; then
  echo "fuzz: SKIPPED (clang++ not found; install clang and libclang-rt-dev)"
  exit 0
fi

# The library itself is instrumented too (fuzzer-no-link), else libFuzzer sees no
# coverage inside the engine.
flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
mkdir -p "$build"
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DFLOWGEN_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="$flags" -DCMAKE_C_FLAGS="$flags" \
  -DFLOWGEN_BUILD_SHARED=OFF -DFLOWGEN_BUILD_EXAMPLES=OFF -DFLOWGEN_BUILD_BENCH=OFF \
  -DBUILD_TESTING=OFF >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; echo "fuzz: FAILED to configure"; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in "$root"/tests/fuzz/*_fuzz.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
cmake --build "$build" --target "${targets[@]}" -j "$jobs" >"$build/build.log" 2>&1 ||
  { tail -40 "$build/build.log"; echo "fuzz: FAILED to build"; exit 1; }

export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
mkdir -p "$build/artifacts"
failed=0
summary=()
budget="${seconds}s"
[ -n "${FLOWGEN_FUZZ_RUNS:-}" ] && budget="$FLOWGEN_FUZZ_RUNS runs, seed ${FLOWGEN_FUZZ_SEED:-1}"
for t in "${targets[@]}"; do
  seeds="$root/tests/fuzz/corpus/$t"
  work="$build/corpus/$t"
  mkdir -p "$work" "$seeds"
  dict=()
  [ -f "$root/tests/fuzz/$t.dict" ] && dict=(-dict="$root/tests/fuzz/$t.dict")
  log="$build/$t.log"
  echo "fuzz: $t for $budget"
  # FLOWGEN_FUZZ_RUNS + FLOWGEN_FUZZ_SEED make a run reproducible (CI uses them, so that a
  # green run stays green); without them the run explores for `seconds` from a random seed.
  # Such a run also starts from the committed seeds alone (inputs kept from earlier runs
  # would change what it explores).
  limits=(-max_total_time="$seconds")
  if [ -n "${FLOWGEN_FUZZ_RUNS:-}" ]; then
    limits=(-runs="$FLOWGEN_FUZZ_RUNS" -seed="${FLOWGEN_FUZZ_SEED:-1}")
    rm -rf "$work" && mkdir -p "$work"
  fi
  "$build/$t" "${dict[@]}" "${limits[@]}" -timeout=20 -rss_limit_mb=2560 \
    -max_len=4096 -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
    "$work" "$seeds" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  if [ $rc -eq 0 ]; then
    summary+=("  ok     $t  (${runs:-?} runs)")
  else
    failed=1
    summary+=("  CRASH  $t  (exit $rc; log $log; reproducer in $build/artifacts/)")
    grep -m1 -A30 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|fuzz: |property broken' "$log" | head -40
  fi
done
echo "fuzz summary ($budget per target):"
printf '%s\n' "${summary[@]}"
exit $failed
