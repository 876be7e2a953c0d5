#!/usr/bin/env bash
# Runs all ONNX backend node cases (../shared/onnx-backend/node) through EdgeAot and regenerates
# docs/conformance.md and docs/conformance-passing.txt (the list CI guards against regressions).
# Without --update it only checks: every case passes or is unsupported, and nothing that passed before regresses.
# Extra arguments go to dotnet test.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [[ "${1:-}" == --update ]]; then export EDGEAOT_UPDATE_CONFORMANCE=1; shift; fi
dotnet test "$repo/tests/EdgeAot.Tests" -c Release --filter "FullyQualifiedName~All_backend_node_cases" "$@"
