#!/usr/bin/env bash
# The single test entry point (CI runs exactly this through .ci/run).
# Packs first so a broken package fails fast, then the NativeAOT end-to-end check (x64 and
# arm64 under qemu, build/aot-arm64.sh; installs its apt packages when missing), then every
# test tier in EdgeAot.sln; dotnet test goes last so the output ends with the xunit summary.
# Extra arguments go to dotnet test, e.g. build/test.sh --filter Category=Build
# EDGEAOT_SKIP_AOT=1 skips the AOT check (about 2-3 minutes) for a quick local run.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

"$repo/build/pack.sh" -v:q
if [[ "${EDGEAOT_SKIP_AOT:-}" != 1 ]]; then
  "$repo/build/install-arm64-deps.sh"
  "$repo/build/aot-arm64.sh" --no-pack
fi
dotnet test "$repo/EdgeAot.sln" -c Release "$@"
