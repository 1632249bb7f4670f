#!/usr/bin/env bash
# Runs each fuzz target for SECONDS (default 60) from its seed corpus, one after the other,
# growing a corpus in BUILD_DIR/fuzz/corpus/<target>. A crash stops with exit code 1 and
# leaves the input in BUILD_DIR/fuzz/artifacts/.
#   fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
set -euo pipefail
build_dir=$(cd "$1" && pwd)
seconds=${2:-60}
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(preset decode manifest)
src=$(cd "$(dirname "$0")" && pwd)
out=$build_dir/fuzz
mkdir -p "$out/artifacts"
for t in "${targets[@]}"; do
  extra=()
  case $t in
    preset) extra=(-dict="$src/preset.dict" -max_len=4096) ;;
    manifest) extra=(-dict="$src/manifest.dict" -max_len=4096) ;;
    # A decoded file may take 256 MiB whatever its size (decode.cpp, max_plausible_bytes);
    # anything above that from a small input is a finding.
    decode) extra=(-max_len=8192 -malloc_limit_mb=320) ;;
  esac
  mkdir -p "$out/corpus/$t"
  echo "fuzz: $t for ${seconds} s"
  set +e
  "$out/fuzz_$t" -seed=1 -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" \
    "${extra[@]}" "$out/corpus/$t" "$out/seeds/$t" "$src/regressions/$t" 2>&1 |
    grep -v '^#[0-9]*[[:space:]]*\(NEW\|REDUCE\|pulse\)\|NEW_FUNC\|^Note: \|^\[src/libmpg123'
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $t FAILED (exit $status); the input is in $out/artifacts/" >&2
    exit 1
  fi
done
