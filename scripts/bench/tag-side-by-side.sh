#!/usr/bin/env bash
# gloss tag vs loudgain (rsgain's ancestor, Debian's loudgain 0.6.8) on the same files, in
# one run: ReplayGain 2.0 track + album gain and true peak written as tags, timed side by
# side. Prints files, audio duration, each tool's wall time, tags/s, x realtime and the ratio.
#
#   scripts/bench/tag-side-by-side.sh [--threads N] [--runs R] [--tracks N] [DIR]
#
# Files: the real-music corpus (Debian's wesnoth-1.16-music, Ogg Vorbis, laid out by
# ../shared/corpus/get-corpus) unless DIR (a folder of audio files loudgain can tag) is given;
# the first N tracks (default: all). Both tools tag their own copy of the files, as one album:
#   gloss    gloss tag COPY --threads N --quiet                  (one process, N threads)
#   loudgain loudgain -a -k -s e COPY/*                          (one process: album mode
#            needs every file in one call; loudgain has no threads)
# R runs each (default 3), alternating; the median wall time is reported.
#
# Environment: BUILD_DIR (default: build) holds `gloss`; GLOSS overrides it.
set -euo pipefail

threads=$(nproc) runs=3 tracks=0 dir=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --tracks) tracks=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    -*) echo "tag-side-by-side: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) dir=$1; shift ;;
  esac
done
here=$(cd "$(dirname "$0")/../.." && pwd)
gloss=${GLOSS:-${BUILD_DIR:-$here/build}/gloss}
[[ -x $gloss ]] || { echo "tag-side-by-side: no gloss at $gloss (build first, or set BUILD_DIR/GLOSS)" >&2; exit 2; }
command -v loudgain >/dev/null || { echo "tag-side-by-side: loudgain is not installed (apt-get install loudgain)" >&2; exit 2; }
work=$(mktemp -d /tmp/gloss-tag-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [[ -z $dir ]]; then
  get=$here/../shared/corpus/get-corpus
  [[ -x $get ]] || { echo "tag-side-by-side: no DIR given and $get is absent" >&2; exit 2; }
  "$get" "$work/corpus" >/dev/null
  dir=$work/corpus/wesnoth
fi
mapfile -t files < <(find -L "$dir" -maxdepth 1 -type f | sort -V)
(( tracks > 0 && tracks < ${#files[@]} )) && files=("${files[@]:0:tracks}")
mkdir -p "$work/gloss" "$work/loudgain"
for f in "${files[@]}"; do cp -L "$f" "$work/gloss/"; cp -L "$f" "$work/loudgain/"; done
seconds=$("$gloss" analyze "$work/gloss" --json "$work/a.json" -q >/dev/null 2>&1 || true
          grep -o '"duration_s": [0-9.]*' "$work/a.json" | awk '{ s += $2 } END { print s }')

time_of() {  # prints wall seconds of the command
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

g=() l=()
for (( r = 0; r < runs; r++ )); do
  g+=("$(time_of "$gloss" tag "$work/gloss" --threads "$threads" --quiet)")
  l+=("$(time_of loudgain -a -k -s e "$work/loudgain"/*)")
done
gm=$(printf '%s\n' "${g[@]}" | median)
lm=$(printf '%s\n' "${l[@]}" | median)
echo "${#files[@]} files, $(awk -v s="$seconds" 'BEGIN { printf "%.1f", s / 60 }') min of audio; gloss --threads $threads; median of $runs runs; $(nproc) cores"
echo
echo "| tool | wall | tags/s (files) | x realtime |"
echo "| --- | --- | --- | --- |"
awk -v n="${#files[@]}" -v s="$seconds" -v t="$gm" 'BEGIN { printf "| gloss tag | %.2f s | %.1f | %.0fx |\n", t, n / t, s / t }'
awk -v n="${#files[@]}" -v s="$seconds" -v t="$lm" 'BEGIN { printf "| loudgain -a | %.2f s | %.1f | %.0fx |\n", t, n / t, s / t }'
awk -v a="$gm" -v b="$lm" 'BEGIN { printf "\ngloss tag is %.2fx loudgain (wall time ratio)\n", b / a }'
