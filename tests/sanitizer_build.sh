# Sourced by tests/sanitize.sh and tests/tsan.sh: configures and builds one sanitizer build
# of the library and its ctest suite with g++, its logs in the build directory.
#   sanitizer_build NAME BUILD_DIR [cmake arguments...]
# Uses the caller's $root and $jobs. Exits the script: 0 with a SKIPPED message when g++ or
# cmake is missing, 1 when the configure or the build fails.
sanitizer_build() {
  local name=$1 build=$2
  shift 2
  if ! command -v g++ >/dev/null || ! command -v cmake >/dev/null; then
    echo "$name: SKIPPED (g++ or cmake not found)"
    exit 0
  fi
  local generator=()
  command -v ninja >/dev/null && generator=(-G Ninja)
  mkdir -p "$build"
  CXX=g++ CC=gcc cmake -S "$root" -B "$build" "${generator[@]}" -DBUILD_TESTING=ON \
    -DFLOWGEN_BUILD_EXAMPLES=OFF -DFLOWGEN_BUILD_BENCH=OFF "$@" >"$build/configure.log" 2>&1 ||
    { cat "$build/configure.log"; echo "$name: FAILED to configure"; exit 1; }
  cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 ||
    { grep -E "error|Error" -A3 "$build/build.log" | head -40; echo "$name: FAILED to build"; exit 1; }
}
