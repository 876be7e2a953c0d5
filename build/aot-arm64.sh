#!/usr/bin/env bash
# End-to-end NativeAOT check (DESIGN.md, testing tier 6): packs EdgeAot, publishes
# samples/EdgeAot.Sample with -p:PublishAot=true for linux-x64 and linux-arm64 for two models
#   sample    the bundled float model (Models/sample.onnx)
#   kws-int8  ../shared/models/mlperf-tiny/kws_ref_model.onnx (int8 in, int8 out)
# runs the x64 binary natively and the arm64 binary under qemu-aarch64-static, and compares
# their `--dump` outputs: integer outputs must be bit-identical, float outputs within
# |a-b| <= 1e-4*max(|a|,|b|) + 1e-6 (SIMD width and summation order differ between x64 and arm64).
# Fails on any mismatch and on any trim/AOT warning (IL2xxx/IL3xxx) in a publish.
# Needs build/install-arm64-deps.sh first. Binaries and logs go to artifacts/aot/<model>/<rid>/.
# --no-pack: use the package in artifacts/packages as is (build/test.sh has just packed).
#
# Cross-linking: with the packages of install-arm64-deps.sh the ILCompiler links arm64 on
# Debian 12 with `clang --target=aarch64-linux-gnu -fuse-ld=bfd` (its default), which finds
# aarch64-linux-gnu-ld and the glibc sysroot of gcc-aarch64-linux-gnu / libc6-dev-arm64-cross on
# its own. Only the symbol splitter is set: its default, llvm-objcopy, comes with the `llvm`
# package, which clang does not pull in, and the host's objcopy does not know aarch64 ELF.
# Another sysroot or linker goes in AOT_ARM64_PROPS, e.g.
#   AOT_ARM64_PROPS="-p:SysRoot=/path/to/rootfs -p:LinkerFlavor=lld" build/aot-arm64.sh
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sample="$repo/samples/EdgeAot.Sample"
out="$repo/artifacts/aot"
kws="$(cd "$repo/.." && pwd)/shared/models/mlperf-tiny/kws_ref_model.onnx"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
start=$SECONDS

for tool in clang aarch64-linux-gnu-ld aarch64-linux-gnu-objcopy qemu-aarch64-static; do
  command -v "$tool" >/dev/null || { echo "aot-arm64: $tool not found; run build/install-arm64-deps.sh" >&2; exit 1; }
done
[[ -f "$kws" ]] || { echo "aot-arm64: $kws not found (shared data)" >&2; exit 1; }

if [[ "${1:-}" != --no-pack ]]; then "$repo/build/pack.sh" -v:q; fi
# Same package version on every pack: drop the sample's extracted copy so restore takes the new one.
rm -rf "$sample/obj/packages/edgeaot" "$out"

# publish <name> <model path> <rid>: NativeAOT binary in $out/<name>/<rid>/, log next to it.
publish() {
  local name=$1 model=$2 rid=$3 dir="$out/$1/$3"
  local extra=() more=()
  if [[ $rid == linux-arm64 ]]; then
    extra=(-p:ObjCopyName=aarch64-linux-gnu-objcopy)
    if [[ -n "${AOT_ARM64_PROPS:-}" ]]; then read -r -a more <<<"$AOT_ARM64_PROPS"; extra+=("${more[@]}"); fi
  fi
  mkdir -p "$dir"
  if ! dotnet publish "$sample/EdgeAot.Sample.csproj" -c Release -r "$rid" -p:PublishAot=true \
        -p:EdgeModelPath="$model" -o "$dir/bin" -nologo -v:n "${extra[@]}" >"$dir/publish.log" 2>&1; then
    tail -40 "$dir/publish.log" >&2
    echo "aot-arm64: publish of $name for $rid failed (log: $dir/publish.log)" >&2
    exit 1
  fi
  # MSBuild repeats each warning in its summary; unique lines are enough to show and to fail on.
  if grep -E 'warning IL[23][0-9]{3}' "$dir/publish.log" | sort -u | grep .; then
    echo "aot-arm64: trim/AOT warnings in the $name publish for $rid" >&2
    exit 1
  fi
}

# compare <x64 dump> <arm64 dump>: prints a summary, exits non-zero on any mismatch.
compare() {
  awk -v rtol=1e-4 -v atol=1e-6 '
    NR == FNR { ref[FNR] = $0; n = FNR; next }
    FNR == 1 { type = $2; if ($0 != ref[1]) { print "  element type differs: " ref[1] " vs " $0; bad++ } ; next }
    {
      m = FNR
      split(ref[FNR], r, " ")
      if (r[1] != $1 || r[2] != $2) { print "  line " FNR " out of step: " ref[FNR] " vs " $0; bad++; next }
      if (r[3] == $3) next
      diff++
      # NaN/Infinity are printed by name; awk would read them as 0, so different names are a mismatch.
      if (type != "Single" || r[3] ~ /^-?[A-Za-z]/ || $3 ~ /^-?[A-Za-z]/) { print "  pattern " $1 " output " $2 ": " r[3] " vs " $3; bad++; next }
      d = r[3] - $3; if (d < 0) d = -d
      a = r[3] < 0 ? -r[3] : r[3]; b = $3 < 0 ? -$3 : $3; mx = a > b ? a : b
      if (d > maxd) maxd = d
      if (d > atol + rtol * mx) { print "  pattern " $1 " output " $2 ": " r[3] " vs " $3 " (|diff| " d ")"; bad++ }
    }
    END {
      if (n < 2 || m != n) { print "  dumps differ in length or are empty: " n " vs " m " lines"; bad++ }
      printf "  %s: %d values, %d not bit-identical (max |diff| %g), %d mismatches\n", type, n - 1, diff, maxd, bad
      exit bad > 0
    }' "$1" "$2"
}

status=0
for entry in "sample=Models/sample.onnx" "kws-int8=$kws"; do
  name=${entry%%=*} model=${entry#*=}
  for rid in linux-x64 linux-arm64; do
    t=$SECONDS
    publish "$name" "$model" "$rid"
    echo "aot-arm64: published $name for $rid in $((SECONDS - t)) s"
  done
  x64="$out/$name/linux-x64/bin/EdgeAot.Sample" arm64="$out/$name/linux-arm64/bin/EdgeAot.Sample"
  "$x64" --dump >"$out/$name/linux-x64/dump.txt"
  qemu-aarch64-static -L /usr/aarch64-linux-gnu "$arm64" --dump >"$out/$name/linux-arm64/dump.txt"
  echo "aot-arm64: $name: binary sizes x64 $(stat -c %s "$x64") B, arm64 $(stat -c %s "$arm64") B"
  if compare "$out/$name/linux-x64/dump.txt" "$out/$name/linux-arm64/dump.txt"; then
    echo "aot-arm64: $name: x64 and arm64 outputs agree"
  else
    echo "aot-arm64: $name: x64 and arm64 outputs DIFFER" >&2
    status=1
  fi
done
echo "aot-arm64: done in $((SECONDS - start)) s"
exit $status
