#!/usr/bin/env bash
# ASan + UBSan: configures and builds build-asan (g++, Debug, FLOWGEN_SANITIZE=ON), runs the
# whole ctest suite, then runs the Deno tests against the sanitized libflowgen.so
# (FLOWGEN_LIB, with libasan/libubsan preloaded into deno: Deno tolerates it when
# LeakSanitizer is off, since V8 keeps memory until exit; leaks are covered by
# tests/valgrind/run.sh and by LeakSanitizer in ctest).
#   tests/sanitize.sh [deno test files...]   (default: the tests that drive libflowgen;
#   the cross-compilation, npm and example tests build their own binaries)
#   FLOWGEN_SANITIZE_SKIP_DENO=1 skips the Deno part.
set -uo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FLOWGEN_ASAN_BUILD:-$root/build-asan}
jobs=${FLOWGEN_JOBS:-2}
status=0

# shellcheck source=tests/sanitizer_build.sh
source "$root/tests/sanitizer_build.sh"
sanitizer_build sanitize "$build" -DCMAKE_BUILD_TYPE=Debug -DFLOWGEN_SANITIZE=ON

# halt_on_error: the first report fails the test that caused it.
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "sanitize: ctest under ASan+UBSan+LSan"
# install_test links a plain program against the installed (sanitized) library, which
# ASan refuses ("runtime does not come first"): it runs in the regular build instead.
if ! (cd "$build" && ctest --output-on-failure -j "$jobs" --timeout 300 -E '^install_test$'); then
  echo "sanitize: ctest FAILED"
  status=1
fi

if [ -n "${FLOWGEN_SANITIZE_SKIP_DENO:-}" ]; then
  echo "sanitize: Deno part skipped (FLOWGEN_SANITIZE_SKIP_DENO)"
elif ! command -v deno >/dev/null; then
  echo "sanitize: Deno part SKIPPED (deno not found); tests/valgrind/run.sh covers the same ABI calls"
else
  preload="$(g++ -print-file-name=libasan.so) $(g++ -print-file-name=libubsan.so)"
  paths=("$@")
  if [ ${#paths[@]} -eq 0 ]; then
    for name in generator batch checkpoint exporters export_generate native handles shard \
      send cli bad_input; do
      [ -f "$root/tests/$name.test.ts" ] && paths+=("$root/tests/$name.test.ts")
    done
  fi
  echo "sanitize: deno test against $build/libflowgen.so (LD_PRELOAD of libasan/libubsan)"
  # LeakSanitizer off: V8 and Deno free their heaps at exit only.
  if ! (cd "$root" && LD_PRELOAD="$preload" FLOWGEN_LIB="$build/libflowgen.so" \
    ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 deno test -A "${paths[@]}"); then
    echo "sanitize: deno test FAILED under ASan"
    status=1
  fi
fi
[ $status -eq 0 ] && echo "sanitize: OK"
exit $status
