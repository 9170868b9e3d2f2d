#!/usr/bin/env bash
# Installs what FlowGen's build, tests and benchmarks need on a fresh CI machine that has
# node/npm, g++, cmake, ninja, GoogleTest and python3. Idempotent: installs only what is
# missing or at another version. Every version is pinned here.
set -euo pipefail
cd "$(dirname "$0")/.."

DENO_VERSION=2.9.6
ZIGLANG_VERSION=0.17.1
APT_PACKAGES=(nfdump tshark libfixbuf-tools clang qemu-user libc6-arm64-cross libclang-rt-14-dev parallel)

say() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else say "not root and no sudo: cannot run $*"; return 1
  fi
}

# --- Debian packages (the independent decoders, clang for the fuzzers, qemu and an aarch64
# glibc to run the arm64 library)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # tshark asks whether non-root users may capture: answer no, without a prompt.
  echo "wireshark-common wireshark-common/install-setuid boolean false" |
    as_root debconf-set-selections || true
  as_root apt-get update -qq || say "apt-get update failed"
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
    say "WARNING: apt-get install failed for ${missing[*]}; tests that need them will skip"
else
  say "Debian packages present: ${APT_PACKAGES[*]}"
fi

# --- Zig (cross-compiling the prebuilt libraries), from PyPI
zig_version=$(python3 -m ziglang version 2>/dev/null || true)
if [ "$zig_version" != "$ZIGLANG_VERSION" ]; then
  say "pip install ziglang==$ZIGLANG_VERSION"
  python3 -m pip install --quiet "ziglang==$ZIGLANG_VERSION" ||
    python3 -m pip install --quiet --break-system-packages "ziglang==$ZIGLANG_VERSION" ||
    say "WARNING: ziglang not installed: the cross-compile and the qemu test will be SKIPPED"
else
  say "zig $zig_version present"
fi

# --- Deno, from npm
export PATH="$(npm prefix -g)/bin:$PATH"
deno_version=$(deno --version 2>/dev/null | head -1 | awk '{print $2}' || true)
if [ "$deno_version" != "$DENO_VERSION" ]; then
  say "npm install -g deno@$DENO_VERSION (found: ${deno_version:-none})"
  npm install -g --no-audit --no-fund "deno@$DENO_VERSION"
else
  say "deno $deno_version present"
fi

# --- npm tools of the build and the tests (tsc, bun, koffi, shims) into .cache/tools
deno run -A tools/build/tools.ts
say "done"
