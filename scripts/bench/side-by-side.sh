#!/usr/bin/env bash
# gloss vs libebur128 over the same audio files, timed in one run.
#
#   scripts/bench/side-by-side.sh DIR [--threads N] [--runs R]
#
# Times `gloss analyze FILES --device cpu --threads T --quiet --json /dev/null` against
# `ebur128-scan --threads T FILES` (libebur128 with I + LRA + true peak, built by
# benchmarks/CMakeLists.txt) over every audio file under DIR, R runs each (default 3),
# alternating the two tools, with T = 1 and T = N (default: all cores). Prints the median
# wall time, the audio duration, x realtime and the speed ratio gloss / libebur128, and
# the time of decoding alone (ebur128-scan --decode-only), which both tools pay.
# Both tools decode the files themselves (libsndfile), so with compressed input (Ogg, FLAC,
# MP3) the decoder's time is part of both figures; use a folder of WAV files to compare the
# meters alone.
#
# Environment: BUILD_DIR (default: build, relative to the repository) holds `gloss` and
# `ebur128-scan`; GLOSS and EBUR128_SCAN override the two programs.
# Needs only bash and coreutils (plus find), so it runs on a bare Debian 12 after a build.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
gloss=${GLOSS:-$build_dir/gloss}
ebur=${EBUR128_SCAN:-$build_dir/ebur128-scan}

usage() {
  cat >&2 <<EOF
usage: $(basename "$0") DIR [--threads N] [--runs R]
  DIR: any folder of audio files (searched recursively: wav flac ogg oga opus mp3 aif aiff w64 caf).
  The project's corpus (real music, ~2.5 h of Ogg Vorbis, needs root to install a Debian package):
      $repo/../shared/corpus/get-corpus DEST      # then: $(basename "$0") DEST/wesnoth
EOF
  exit 2
}

dir= threads=$(nproc) runs=3
while [ $# -gt 0 ]; do
  case $1 in
    --threads) [ $# -ge 2 ] || usage; threads=$2; shift 2 ;;
    --threads=*) threads=${1#*=}; shift ;;
    --runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    --runs=*) runs=${1#*=}; shift ;;
    -h|--help) usage ;;
    -*) echo "side-by-side: unknown option $1" >&2; usage ;;
    *) [ -z "$dir" ] || usage; dir=$1; shift ;;
  esac
done
[ -n "$dir" ] || usage
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "side-by-side: --threads wants a positive integer" >&2; exit 2; }
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "side-by-side: --runs wants a positive integer" >&2; exit 2; }

if [ ! -d "$dir" ]; then
  echo "side-by-side: $dir is not a folder." >&2
  echo "  Get the corpus with: $repo/../shared/corpus/get-corpus DEST   (or pass any folder of audio)" >&2
  exit 2
fi
files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(
  find -L "$dir" -type f \( -iname '*.wav' -o -iname '*.flac' -o -iname '*.ogg' -o -iname '*.oga' \
    -o -iname '*.opus' -o -iname '*.mp3' -o -iname '*.aif' -o -iname '*.aiff' -o -iname '*.w64' \
    -o -iname '*.caf' \) -print0 | sort -z)
if [ ${#files[@]} -eq 0 ]; then
  echo "side-by-side: no audio files under $dir." >&2
  echo "  Get the corpus with: $repo/../shared/corpus/get-corpus DEST   (or pass any folder of audio)" >&2
  exit 2
fi

if [ ! -x "$ebur" ]; then
  echo "side-by-side: $ebur not found: build the project with benchmarks (GLOSS_BUILD_BENCHMARKS=ON)" >&2
  echo "  or set EBUR128_SCAN." >&2
  exit 2
fi
have_gloss=1
if [ ! -x "$gloss" ]; then
  echo "side-by-side: $gloss not found (build the CLI or set GLOSS); timing libebur128 only." >&2
  have_gloss=0
fi

# --- fixed-point helpers (bash has integer arithmetic only) ---------------------------------
# "12.345" or "12.3" or "12" -> thousandths as an integer
to_milli() {
  local v=$1 int frac
  int=${v%%.*}; frac=
  [ "$int" != "$v" ] && frac=${v#*.}
  frac=${frac}000; frac=${frac:0:3}
  echo $(( 10#${int:-0} * 1000 + 10#$frac ))
}
# integer n, decimals d -> n / 10^d printed with d decimals
fmt_fixed() {
  local n=$1 d=$2 sign= s
  [ "$n" -lt 0 ] && { sign=-; n=$(( -n )); }
  s=$(printf "%0$((d + 1))d" "$n")
  if [ "$d" -eq 0 ]; then echo "$sign$s"; else echo "$sign${s:0:${#s}-d}.${s:${#s}-d}"; fi
}
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Runs a command, prints its wall time in milliseconds; fails loudly when it fails.
time_ms() {
  local t rc=0 TIMEFORMAT=%3R
  t=$( { time "$@" >/dev/null 2>>"$log"; } 2>&1 ) || rc=$?
  if [ $rc -ne 0 ]; then
    echo "side-by-side: failed (exit $rc): $*" | cut -c1-300 >&2
    tail -n 20 "$log" >&2
    exit 1
  fi
  to_milli "$t"
}

# Audio duration: ebur128-scan prints "... SECONDS s  FILE" per file.
echo "side-by-side: ${#files[@]} files under $dir; reading them once (page cache) and measuring durations" >&2
cat "${files[@]}" >/dev/null

# Preflight (untimed): files gloss cannot measure are left out of both tools' runs, so both
# always measure the same audio. gloss exits 1 when some files failed and lists them.
if [ $have_gloss -eq 1 ]; then
  pre=$(mktemp)
  rc=0
  "$gloss" analyze "${files[@]}" --device cpu --threads "$threads" --quiet --json /dev/null >/dev/null 2>"$pre" || rc=$?
  if [ $rc -eq 1 ]; then
    kept=()
    for f in "${files[@]}"; do
      if grep -qF -- "$f:" "$pre"; then
        echo "side-by-side: gloss could not measure $f; left out of both runs:" >&2
        grep -F -- "$f:" "$pre" | sed 's/^/    /' >&2
      else
        kept+=("$f")
      fi
    done
    if [ ${#kept[@]} -eq ${#files[@]} ] || [ ${#kept[@]} -eq 0 ]; then
      echo "side-by-side: gloss failed (exit 1):" >&2; cat "$pre" >&2; rm -f "$pre"; exit 1
    fi
    files=("${kept[@]}")
  elif [ $rc -ne 0 ]; then
    echo "side-by-side: gloss failed (exit $rc):" >&2; cat "$pre" >&2; rm -f "$pre"; exit 1
  fi
  rm -f "$pre"
fi
audio_ms=0
while read -r line; do
  sec=$(sed -E 's/.* ([0-9]+\.[0-9]+) s  .*/\1/' <<<"$line")
  audio_ms=$(( audio_ms + $(to_milli "$sec") ))
done < <("$ebur" --threads "$threads" "${files[@]}" 2>>"$log")
[ "$audio_ms" -gt 0 ] || { echo "side-by-side: could not read any duration" >&2; tail -n 20 "$log" >&2; exit 1; }

thread_counts=(1)
[ "$threads" -gt 1 ] && thread_counts+=("$threads")

rows=()
for t in "${thread_counts[@]}"; do
  g_times=() e_times=() d_times=()
  for ((r = 1; r <= runs; ++r)); do
    if [ $have_gloss -eq 1 ]; then
      g_times+=("$(time_ms "$gloss" analyze "${files[@]}" --device cpu --threads "$t" --quiet --json /dev/null)")
    fi
    e_times+=("$(time_ms "$ebur" --threads "$t" "${files[@]}")")
    d_times+=("$(time_ms "$ebur" --decode-only --threads "$t" "${files[@]}")")
    g_last=n/a
    [ $have_gloss -eq 1 ] && g_last=${g_times[$((r - 1))]}
    echo "  threads $t run $r: gloss $g_last ms, libebur128 ${e_times[$((r - 1))]} ms, decode only ${d_times[$((r - 1))]} ms" >&2
  done
  e_med=$(median "${e_times[@]}")
  g_med=
  [ $have_gloss -eq 1 ] && g_med=$(median "${g_times[@]}")
  d_med=$(median "${d_times[@]}")
  rows+=("$t|$g_med|$e_med|$d_med")
done

audio_h=$(fmt_fixed $(( (audio_ms + 1800) / 3600 )) 3)  # audio_ms / 3.6e6 with 3 decimals
printf '\n%d files, %s h of audio, median of %d runs (wall clock, decode included)\n\n' \
  "${#files[@]}" "$audio_h" "$runs"
printf '%-12s %7s %12s %10s %12s %18s\n' tool threads "median s" "audio h" "x realtime" "gloss/libebur128"
printf '%-12s %7s %12s %10s %12s %18s\n' ------------ ------- ------------ ---------- ------------ ------------------
for row in "${rows[@]}"; do
  IFS="|" read -r t g e d <<<"$row"
  e_x=$(( audio_ms * 10 / (e > 0 ? e : 1) ))  # x realtime, one decimal
  if [ -n "$g" ]; then
    g_x=$(( audio_ms * 10 / (g > 0 ? g : 1) ))
    ratio=$(( e * 100 / (g > 0 ? g : 1) ))  # speed ratio = libebur128 time / gloss time
    printf '%-12s %7s %12s %10s %12s %18s\n' gloss "$t" "$(fmt_fixed "$g" 3)" "$audio_h" "$(fmt_fixed "$g_x" 1)" "$(fmt_fixed "$ratio" 2)x"
  fi
  printf '%-12s %7s %12s %10s %12s %18s\n' libebur128 "$t" "$(fmt_fixed "$e" 3)" "$audio_h" "$(fmt_fixed "$e_x" 1)" ""
  d_x=$(( audio_ms * 10 / (d > 0 ? d : 1) ))
  printf "%-12s %7s %12s %10s %12s %18s\n" "decode only" "$t" "$(fmt_fixed "$d" 3)" "$audio_h" "$(fmt_fixed "$d_x" 1)" ""
done
echo
echo "gloss/libebur128 = libebur128 wall time / gloss wall time (above 1: gloss is faster)."
echo "decode only = ebur128-scan --decode-only: libsndfile decoding alone, part of both tools' times."
