#!/usr/bin/env bash
# Packs the EdgeAot NuGet package (Release) into artifacts/packages/.
# Extra arguments go to dotnet pack, e.g. build/pack.sh -p:EdgeAotVersion=0.1.1
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dotnet pack "$repo/src/EdgeAot/EdgeAot.csproj" -c Release -o "$repo/artifacts/packages" -nologo "$@"
