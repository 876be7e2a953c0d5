#!/usr/bin/env bash
# Installs what build/aot-arm64.sh needs to cross-publish NativeAOT for linux-arm64 and run the
# result: clang + lld (the ILCompiler's cross linker), the aarch64 binutils/glibc sysroot and
# qemu-user-static. Idempotent: does nothing (not even apt-get update) when all are present.
# Debian/Ubuntu only; uses sudo only when not root.
set -euo pipefail

packages=(clang lld gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static)
missing=()
for p in "${packages[@]}"; do
  # dpkg -s also succeeds for removed-but-configured packages; require "install ok installed".
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  echo "install-arm64-deps: all present (${packages[*]})"
  exit 0
fi

sudo=()
if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
echo "install-arm64-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
