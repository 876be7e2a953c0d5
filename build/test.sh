#!/usr/bin/env bash
# The single test entry point (CI runs exactly this through .ci/run).
# Packs first so a broken package fails fast, then runs every test tier in EdgeAot.sln;
# dotnet test goes last so the output ends with the xunit summary.
# Extra arguments go to dotnet test, e.g. build/test.sh --filter Category=Build
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

"$repo/build/pack.sh" -v:q
dotnet test "$repo/EdgeAot.sln" -c Release "$@"
