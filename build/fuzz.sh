#!/usr/bin/env bash
# Coverage-guided fuzzing of the build-time pipeline (fuzz/EdgeAot.Fuzz) with SharpFuzz + AFL++.
#
#   build/fuzz.sh <seconds> [output-folder]
#
# Needs afl-fuzz (Debian: apt-get install -y afl++). Seeds: the ONNX backend conformance models in
# ../shared/onnx-backend/node (read in place through symbolic links). Findings land in
# <output-folder>/default/crashes (default: artifacts/fuzz); copy each into
# tests/EdgeAot.Tests/Fuzz/Regressions/<name>.onnx once fixed, so FuzzSmokeTests replays it.
set -euo pipefail
seconds="${1:?usage: build/fuzz.sh <seconds> [output-folder]}"
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${2:-$root/artifacts/fuzz}"
work="$root/artifacts/fuzz-build"
shared="$root/../shared/onnx-backend/node"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }
[ -d "$shared" ] || { echo "seed corpus not found: $shared" >&2; exit 2; }

# The SharpFuzz instrumenter, as a pinned local tool.
tools="$root/artifacts/tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

dotnet publish "$root/fuzz/EdgeAot.Fuzz/EdgeAot.Fuzz.csproj" -c Release -o "$work/bin" -p:UseAppHost=false >/dev/null
# Instrument the code under test (not the harness, not the BCL): AFL sees its branch coverage.
for dll in EdgeAot.Compiler.dll EdgeAot.Generator.dll; do
  "$tools/sharpfuzz" "$work/bin/$dll" >/dev/null
done

# Seeds: the conformance models (afl-fuzz refuses symbolic links, so each is copied into the
# git-ignored artifacts folder), plus the saved regressions.
rm -rf "$work/seeds" && mkdir -p "$work/seeds"
for model in "$shared"/*/model.onnx; do
  case_dir="${model%/model.onnx}"
  cp "$model" "$work/seeds/${case_dir##*/}.onnx"
done
for crash in "$root"/tests/EdgeAot.Tests/Fuzz/Regressions/*.onnx; do
  [ -e "$crash" ] && cp "$crash" "$work/seeds/regression-${crash##*/}"
done

mkdir -p "$out"
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_AUTORESUME=1   # AUTORESUME: an existing output folder continues its campaign
# -t: the .NET start-up and JIT make the first executions slow; -m none: the CLR reserves a lot of address space.
afl-fuzz -i "$work/seeds" -o "$out" -t 10000 -m none -V "$seconds" -- dotnet "$work/bin/EdgeAot.Fuzz.dll" || true

stats="$out/default/fuzzer_stats"
if [ -f "$stats" ]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs|edges_found|total_edges)' "$stats"
fi
crashes=$(find "$out/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "unique crashes: $crashes ($out/default/crashes)"
# The instrumented binary only runs under afl-fuzz; to see why an input crashes, copy it to
# tests/EdgeAot.Tests/Fuzz/Regressions/ and run: dotnet test tests/EdgeAot.Tests --filter FuzzerFindings
