#!/usr/bin/env bash
# Benchmarks the generated code against ONNX Runtime (one thread) on the shared MLPerf Tiny
# models and writes docs/performance.md. Extra arguments go to the harness
# (e.g. --seconds 5, --only kws). Timings are noisy on a shared machine: compare ratios.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
dotnet build benchmarks/EdgeAot.Benchmarks -c Release -nologo -v q >/dev/null
table="$(mktemp)"
dotnet benchmarks/EdgeAot.Benchmarks/bin/Release/net10.0/EdgeAot.Benchmarks.dll --out "$table" "$@"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || uname -m)"
flags="$(grep -m1 '^flags' /proc/cpuinfo | grep -o -E 'avx512f|avx512_vnni|avx_vnni|avx2|fma' | sort -u | tr '\n' ' ' || true)"
{
  echo "# Performance"
  echo
  echo "EdgeAot generated code vs ONNX Runtime 1.31.1 (IntraOp/InterOp threads 1, sequential, all graph"
  echo "optimizations, OrtValues over pinned buffers, no per-call allocation), one process, interleaved"
  echo "rounds, per-call times. EdgeAot code is the generator's output compiled in-process by Roslyn"
  echo "(Release) and JIT-compiled with full optimization (TieredCompilation off, close to NativeAOT)."
  echo "Fraction of peak: EdgeAot GMAC/s over the measured single-core peak for the model's arithmetic."
  echo
  echo "- Command: \`build/bench.sh $*\`"
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- CPU: $cpu, $(nproc) cores visible; flags: $flags"
  echo "- .NET: $(dotnet --version) SDK, runtime $(dotnet --list-runtimes | grep -m1 NETCore.App | cut -d' ' -f2)"
  echo "- Commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src || echo ' (+ uncommitted changes)')"
  echo "- The machine runs other builds concurrently: numbers are noisy; compare ratios within one run."
  echo
  cat "$table"
  if [ -f docs/performance-history.md ]; then echo; cat docs/performance-history.md; fi
} > docs/performance.md
rm -f "$table"
echo "Wrote docs/performance.md"
