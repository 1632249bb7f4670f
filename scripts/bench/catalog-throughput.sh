#!/usr/bin/env bash
# End-to-end catalog throughput of `gloss master` on real music, with 1 and 2 CPU workers:
# x realtime, albums per hour, and where the time goes (decode, measure, EQ, render+verify,
# write+check), plus a check that both runs delivered the same bytes.
#
#   scripts/bench/catalog-throughput.sh [--tracks N] [--per-album K] [--threads T] [--preset P] [CORPUS_DIR]
#
# The catalog: the first N tracks (default: all 41) of the real-music corpus (Debian's
# wesnoth-1.16-music, laid out by ../shared/corpus/get-corpus; give CORPUS_DIR to use
# another folder of audio files), grouped into albums of K tracks (default 4) by symbolic
# links. Each run: gloss master CATALOG -o OUT --preset P --threads T --workers W, from an
# empty OUT (no journal), W = 1 then 2. T defaults to the number of cores.
#
# Environment: BUILD_DIR (default: build) holds `gloss`; GLOSS overrides it.
set -euo pipefail

tracks=0 per_album=4 threads=$(nproc) preset=streaming corpus=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --tracks) tracks=$2; shift 2 ;;
    --per-album) per_album=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --preset) preset=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "catalog-throughput: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) corpus=$1; shift ;;
  esac
done

here=$(cd "$(dirname "$0")/../.." && pwd)
gloss=${GLOSS:-${BUILD_DIR:-$here/build}/gloss}
[[ -x $gloss ]] || { echo "catalog-throughput: no gloss at $gloss (build first, or set BUILD_DIR/GLOSS)" >&2; exit 2; }
work=$(mktemp -d /tmp/gloss-catalog-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

if [[ -z $corpus ]]; then
  get=$here/../shared/corpus/get-corpus
  [[ -x $get ]] || { echo "catalog-throughput: no CORPUS_DIR given and $get is absent" >&2; exit 2; }
  "$get" "$work/corpus" >/dev/null
  corpus=$work/corpus/wesnoth
fi

# Albums of K tracks, as symbolic links in natural order.
mapfile -t files < <(find -L "$corpus" -maxdepth 1 -type f \( -name '*.ogg' -o -name '*.flac' -o -name '*.wav' \) | sort -V)
(( tracks > 0 && tracks < ${#files[@]} )) && files=("${files[@]:0:tracks}")
for i in "${!files[@]}"; do
  album=$(printf 'album-%02d' $(( i / per_album + 1 )))
  mkdir -p "$work/catalog/$album"
  ln -s "$(readlink -f "${files[$i]}")" "$work/catalog/$album/$(basename "${files[$i]}")"
done
albums=$(find "$work/catalog" -mindepth 1 -maxdepth 1 -type d | wc -l)
echo "catalog: ${#files[@]} tracks in $albums albums (from $corpus); preset $preset; $threads threads; $(nproc) cores"

run() {  # run WORKERS
  local w=$1 out=$work/out-$1 start end
  start=$(date +%s.%N)
  "$gloss" master "$work/catalog" -o "$out" --preset "$preset" --threads "$threads" --workers "$w" \
    --progress quiet --json "$work/report-$w.json" >/dev/null 2>"$work/stderr-$w" || [[ $? == 1 ]]
  end=$(date +%s.%N)
  local audio
  audio=$(grep -o '"duration_s": [0-9.]*' "$work/report-$w.json" | awk 'NR % 2 == 1 { s += $2 } END { print s }')
  awk -v w="$w" -v t0="$start" -v t1="$end" -v a="$audio" -v n="$albums" \
    'BEGIN { s = t1 - t0; printf "| %d | %.0f s | %.1f min | %.1fx | %.0f |\n", w, s, a / 60, a / s, n * 3600 / s }'
  grep -o 'time: .*' "$work/stderr-$w" | sed "s/^/  workers $w: /" >&2
}

echo
echo "| workers | wall | audio | x realtime | albums/hour |"
echo "| --- | --- | --- | --- | --- |"
run 1
run 2
# The reports name their own output folders (out-1, out-2): compare them with that undone.
if diff -r -x .gloss "$work/out-1" "$work/out-2" >/dev/null &&
   sed "s#$work/out-1#$work/out-2#g" "$work/report-1.json" | cmp -s - "$work/report-2.json"; then
  echo "outputs and reports of both runs: identical"
else
  echo "outputs or reports DIFFER between 1 and 2 workers" >&2
  exit 1
fi
