#!/usr/bin/env bash
# Builds libflowgen without sanitizers (build-valgrind, -O1 -g) and tests/valgrind/driver.cpp
# with plain g++, then runs the driver under valgrind memcheck: any leak or memory error
# fails. FLOWGEN_LIB_DIR=<dir with libflowgen.so> skips the library build.
#   tests/valgrind/run.sh [iterations]
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
iterations=${1:-2}
if ! command -v valgrind >/dev/null; then
  echo "valgrind: SKIPPED (valgrind not found)"
  exit 0
fi

libdir=${FLOWGEN_LIB_DIR:-}
if [ -z "$libdir" ]; then
  libdir=$root/build-valgrind
  mkdir -p "$libdir"
  cmake -S "$root" -B "$libdir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS="-O1 -g" \
    -DFLOWGEN_BUILD_STATIC=OFF -DFLOWGEN_BUILD_EXAMPLES=OFF -DFLOWGEN_BUILD_BENCH=OFF \
    -DBUILD_TESTING=OFF >"$libdir/configure.log" 2>&1 || { cat "$libdir/configure.log"; exit 1; }
  cmake --build "$libdir" --target flowgen_shared -j 2 >"$libdir/build.log" 2>&1 ||
    { tail -30 "$libdir/build.log"; echo "valgrind: FAILED to build the library"; exit 1; }
fi
mkdir -p "$root/build-valgrind"
driver=$root/build-valgrind/valgrind_driver  # never inside a FLOWGEN_LIB_DIR build
g++ -std=c++17 -O1 -g -Wall -Wextra -I"$root/native/include" "$root/tests/valgrind/driver.cpp" \
  -L"$libdir" -lflowgen -Wl,-rpath,"$libdir" -o "$driver"

echo "valgrind: memcheck on $driver ($iterations iterations)"
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1 \
  --track-origins=yes "$driver" "$iterations"
echo "valgrind: OK (no leaks, no memory errors)"
