#!/usr/bin/env bash
# Packs EdgeAot, then builds and runs samples/EdgeAot.Sample against the fresh package.
# Extra arguments go to the sample's build, e.g.
#   build/run-sample.sh -p:EdgeModelPath=$PWD/../shared/models/mlperf-tiny/ic.onnx
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="$repo/samples/EdgeAot.Sample"

"$repo/build/pack.sh"
# Same package version on every pack: drop the sample's extracted copy so restore takes the new one.
rm -rf "$sample/obj/packages/edgeaot"
dotnet build "$sample/EdgeAot.Sample.csproj" -c Release -nologo "$@"
dotnet run --project "$sample/EdgeAot.Sample.csproj" -c Release --no-build
