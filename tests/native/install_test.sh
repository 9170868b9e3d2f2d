#!/bin/sh
# install_test.sh BUILD_DIR [CXX]: installs the built library to a temporary prefix, then
# builds the brief's C++ example exactly as the brief says (g++ -std=c++17 my_app.cpp
# -lflowgen -o my_app; the prefix is found through the compiler's environment variables),
# through find_package(flowgen) and through pkg-config, runs each and counts 100000 lines.
set -eu
build_dir=$1
cxx=${2:-g++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

cmake --install "$build_dir" --prefix "$prefix" >"$work/install.log"
libdir=$prefix/lib
[ -d "$prefix/lib64" ] && libdir=$prefix/lib64

# The brief's example, verbatim.
mkdir -p "$work/app"
cat >"$work/app/my_app.cpp" <<'CPP'
#include <flowgen/generator.hpp>
#include <iostream>

int main() {
    flowgen::GeneratorConfig config;

    // Configure generator
    config.bandwidth_gbps = 10.0;
    config.max_flows = 100000;
    config.source_subnets = {"192.168.1.0/24"};
    config.destination_subnets = {"10.0.0.0/8"};
    config.traffic_patterns = {
        {"web_traffic", 60.0},
        {"dns_traffic", 40.0}
    };

    // Initialize and generate
    flowgen::FlowGenerator generator;
    generator.initialize(config);

    flowgen::FlowRecord flow;
    while (generator.next(flow)) {
        // Process flow
        std::cout << flow.to_csv() << "\n";
    }

    return 0;
}
CPP

check_output() {  # name, file
  lines=$(wc -l <"$2")
  if [ "$lines" -ne 100000 ]; then
    echo "FAIL $1: $lines lines, expected 100000" >&2
    exit 1
  fi
  if ! head -n 1 "$2" | grep -Eq '^[0-9]+\.[0-9]{6},192\.168\.1\.[0-9]+,10\.[0-9.]+,[0-9]+,(80|443|53),(6|17),[0-9]+$'; then
    echo "FAIL $1: unexpected line: $(head -n 1 "$2")" >&2
    exit 1
  fi
  echo "ok $1: 100000 CSV lines"
}

# 1. The brief's command line, unchanged.
(
  cd "$work/app"
  export CPLUS_INCLUDE_PATH="$prefix/include" LIBRARY_PATH="$libdir" LD_LIBRARY_PATH="$libdir"
  g++ -std=c++17 my_app.cpp -lflowgen -o my_app
  ./my_app >"$work/plain.csv"
)
check_output "g++ -std=c++17 my_app.cpp -lflowgen" "$work/plain.csv"

# 2. find_package(flowgen) -> flowgen::flowgen.
mkdir -p "$work/cmake_app"
cat >"$work/cmake_app/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.15)
project(my_app CXX)
find_package(flowgen 0.1 REQUIRED)
add_executable(my_app ../app/my_app.cpp)
target_compile_features(my_app PRIVATE cxx_std_17)
target_link_libraries(my_app PRIVATE flowgen::flowgen)
CMAKE
cmake -S "$work/cmake_app" -B "$work/cmake_app/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$cxx" >"$work/cmake.log"
cmake --build "$work/cmake_app/build" >>"$work/cmake.log"
LD_LIBRARY_PATH="$libdir" "$work/cmake_app/build/my_app" >"$work/cmake.csv"
check_output "find_package(flowgen)" "$work/cmake.csv"

# 3. pkg-config.
if command -v pkg-config >/dev/null 2>&1; then
  # The .pc file names the configured prefix; point it at the temporary one.
  flags=$(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --define-variable=prefix="$prefix" --cflags --libs flowgen)
  # shellcheck disable=SC2086
  "$cxx" -std=c++17 "$work/app/my_app.cpp" $flags -o "$work/pc_app"
  LD_LIBRARY_PATH="$libdir" "$work/pc_app" >"$work/pc.csv"
  check_output "pkg-config flowgen" "$work/pc.csv"
else
  echo "skip pkg-config: not installed"
fi
