#!/usr/bin/env bash
# gloss master vs ffmpeg loudnorm (two-pass) on the same files: how close each lands to the
# loudness target, whether any meter finds a true peak over the ceiling, and how long each takes.
#
#   scripts/bench/loudnorm-side-by-side.sh [options] [FILE|DIR...]
#
# For every input file:
#   gloss    gloss master IN -o OUT --preset streaming --mode track --target T --ceiling C
#            --format wav --bits B   (one run over all files, --threads N)
#   loudnorm ffmpeg -i IN -af loudnorm=I=T:TP=C:LRA=L:print_format=json -f null -     (pass 1)
#            ffmpeg -i IN -af loudnorm=I=T:TP=C:LRA=L:measured_I=..:measured_LRA=..:
#                   measured_TP=..:measured_thresh=..:offset=..:linear=true
#                   -ar RATE -c:a pcm_sB  OUT.wav                                      (pass 2)
#            (N files at a time)
# with B = 16 for 16-bit inputs and 24 otherwise (lossy and float inputs give 24-bit WAV) and
# RATE = the input's rate (loudnorm works at 192 kHz inside). Then every output is measured by
# libebur128 (integrated loudness, true peak; the harness ebur128_harness.cpp, built on the fly
# unless BUILD_DIR holds ebur128-scan) and by ffmpeg's ebur128 filter (ebur128=peak=true), and
# one table gives, per tool and meter, the target error (mean and max |achieved - target|, LU),
# the files whose true peak exceeds the ceiling and the largest true peak minus the ceiling,
# and each tool's wall time.
#
# Inputs: the files and folders given; without any, the real-music corpus when Debian's
# wesnoth-1.16-music is installed (laid out by ../shared/corpus/get-corpus), else generated
# signals (ffmpeg lavfi: loud pink noise, an fs/4 sine at 45 degrees, a hard-clipped master,
# drum-like transients that need limiting, a quiet 96 kHz chord).
#
# Options:
#   --target LUFS   loudness target (default -14)
#   --ceiling dBTP  true-peak ceiling (default -1)
#   --lra LU        loudnorm's LRA target (default 50, its maximum; a measured LRA above it
#                   makes loudnorm fall back to dynamic mode, see scripts/bench/README.md)
#   --threads N     gloss --threads N, and N ffmpeg processes at a time (default 1)
#   --quick         with the corpus, its 6-track album only (wesnoth-short)
#   --generated     the generated signals (besides any FILE|DIR given)
#   --keep DIR      keep the outputs under DIR (default: a temporary folder, removed)
#
# Environment: BUILD_DIR (default: build) holds `gloss` (and maybe `ebur128-scan`); GLOSS and
# EBUR128_SCAN override them. Needs bash, coreutils, find, awk, ffmpeg/ffprobe and, unless
# ebur128-scan is built, a C++ compiler with pkg-config, libebur128-dev and libsndfile1-dev:
# all installed by scripts/install-deps.sh.
# shellcheck disable=SC2317  # the functions run through pool() look unreachable to it
set -euo pipefail
export LC_ALL=C

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BUILD_DIR:-build}
[[ $build_dir = /* ]] || build_dir="$repo/$build_dir"
gloss=${GLOSS:-$build_dir/gloss}
me=loudnorm-side-by-side
music=/usr/share/games/wesnoth/1.16/data/core/music
get_corpus="$repo/../shared/corpus/get-corpus"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e '/^# shellcheck/d' -e 's/^# \{0,1\}//' >&2
  exit 2
}
die() { echo "$me: $*" >&2; exit 2; }
is_number() { [[ $1 =~ ^-?[0-9]+(\.[0-9]+)?$ ]]; }

target=-14 ceiling=-1 lra=50 threads=1 quick=0 generated=0 keep=
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --target|--ceiling|--lra|--threads|--keep)
      [ $# -ge 2 ] || usage
      case $1 in --target) target=$2 ;; --ceiling) ceiling=$2 ;; --lra) lra=$2 ;; --threads) threads=$2 ;; --keep) keep=$2 ;; esac
      shift 2 ;;
    --target=*) target=${1#*=}; shift ;;
    --ceiling=*) ceiling=${1#*=}; shift ;;
    --lra=*) lra=${1#*=}; shift ;;
    --threads=*) threads=${1#*=}; shift ;;
    --keep=*) keep=${1#*=}; shift ;;
    --quick) quick=1; shift ;;
    --generated) generated=1; shift ;;
    -h|--help) usage ;;
    --) shift; args+=("$@"); break ;;
    -*) echo "$me: unknown option $1" >&2; usage ;;
    *) args+=("$1"); shift ;;
  esac
done
is_number "$target" || die "--target wants a number in LUFS (e.g. -14)"
is_number "$ceiling" || die "--ceiling wants a number in dBTP (e.g. -1)"
is_number "$lra" || die "--lra wants a number in LU (1 to 50)"
[[ $threads =~ ^[1-9][0-9]*$ ]] || die "--threads wants a positive integer"

# --- tools --------------------------------------------------------------------------------
for t in ffmpeg ffprobe awk find; do
  command -v "$t" >/dev/null || die "$t not found: install it (scripts/install-deps.sh installs ffmpeg)"
done
[ -x "$gloss" ] || die "$gloss not found: build the CLI (BUILD_DIR=$build_dir scripts/build.sh) or set GLOSS / BUILD_DIR"
filters=$(ffmpeg -hide_banner -filters 2>/dev/null || true)
grep -q ' loudnorm ' <<<"$filters" || die "this ffmpeg has no loudnorm filter"
grep -q ' ebur128 ' <<<"$filters" || die "this ffmpeg has no ebur128 filter"

if [ -n "$keep" ]; then
  mkdir -p "$keep" || die "cannot create $keep"
  work=$(cd "$keep" && pwd)
  [ -z "$(ls -A "$work")" ] || die "--keep $keep: the folder is not empty"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/$me.XXXXXX")
fi
cleanup() {  # on any exit: stop this script's own background jobs, remove the temporary folder
  local pids
  pids=$(jobs -pr)
  # shellcheck disable=SC2086
  [ -z "$pids" ] || { kill $pids 2>/dev/null || true; wait 2>/dev/null || true; }
  [ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log="$work/log.txt"
: >"$log"

scan=${EBUR128_SCAN:-$build_dir/ebur128-scan}
if [ ! -x "$scan" ] || ! grep -q -- '\[--precise\]' <<<"$("$scan" --precise 2>&1 || true)"; then
  # Not built (or an older build without --precise): build the harness here.
  command -v pkg-config >/dev/null || die "pkg-config not found (and no ebur128-scan in $build_dir)"
  cxx=${CXX:-c++}
  command -v "$cxx" >/dev/null || die "no C++ compiler ($cxx) to build the libebur128 harness"
  flags=$(pkg-config --cflags --libs libebur128 sndfile 2>/dev/null) ||
    die "libebur128-dev or libsndfile1-dev missing (pkg-config libebur128 sndfile failed)"
  echo "$me: building the libebur128 harness (scripts/bench/ebur128_harness.cpp)" >&2
  # shellcheck disable=SC2086
  "$cxx" -O2 -std=c++17 "$repo/scripts/bench/ebur128_harness.cpp" $flags -pthread -o "$work/ebur128-scan" 2>>"$log" ||
    { tail -n 20 "$log" >&2; die "could not build the libebur128 harness"; }
  scan="$work/ebur128-scan"
fi

# --- inputs -------------------------------------------------------------------------------
audio_find() {  # DIR -> audio files, sorted, NUL-separated
  find -L "$1" -type f \( -iname '*.wav' -o -iname '*.flac' -o -iname '*.ogg' -o -iname '*.oga' \
    -o -iname '*.opus' -o -iname '*.mp3' -o -iname '*.aif' -o -iname '*.aiff' -o -iname '*.w64' \
    -o -iname '*.caf' \) -print0 | sort -z
}
files=()
for a in "${args[@]}"; do
  if [ -d "$a" ]; then
    n=${#files[@]}
    while IFS= read -r -d '' f; do files+=("$f"); done < <(audio_find "$a")
    [ ${#files[@]} -gt "$n" ] || echo "$me: no audio files under $a" >&2
  elif [ -f "$a" ]; then
    files+=("$a")
  else
    die "$a: no such file or folder"
  fi
done

generate() {
  local dir="$work/generated" d=30
  mkdir -p "$dir"
  echo "$me: generating test signals (${d} s each) with ffmpeg lavfi" >&2
  local ff=(ffmpeg -nostdin -hide_banner -loglevel error -y)
  # Loud pink noise, 48 kHz 24-bit: true peak well over 0 dBTP, much limiting needed.
  "${ff[@]}" -f lavfi -i "anoisesrc=c=pink:a=1:r=48000:s=1:d=$d" -f lavfi -i "anoisesrc=c=pink:a=1:r=48000:s=2:d=$d" \
    -filter_complex "[0][1]amerge=inputs=2" -c:a pcm_s24le "$dir/noise-loud-48k-24.wav"
  # Sines, 44.1 kHz 16-bit: 997 Hz left, fs/4 at 45 degrees right (true peak 3 dB over its samples).
  "${ff[@]}" -f lavfi -i "aevalsrc=exprs=0.5*sin(2*PI*997*t)|0.7*sin(2*PI*11025*t+PI/4):s=44100:d=$d" \
    -c:a pcm_s16le "$dir/sines-44k-16.wav"
  # A clipped master, 44.1 kHz 16-bit: pink noise 15 dB too hot, hard-clipped at full scale.
  "${ff[@]}" -f lavfi -i "anoisesrc=c=pink:a=0.5:r=44100:s=3:d=$d" -f lavfi -i "anoisesrc=c=pink:a=0.5:r=44100:s=4:d=$d" \
    -filter_complex "[0][1]amerge=inputs=2,volume=15dB,asoftclip=type=hard" -c:a pcm_s16le "$dir/clipped-master-44k-16.wav"
  # Transients, 44.1 kHz 24-bit: a decaying 55 Hz kick and a noise snare over a faint pad: about
  # 16 dB from loudness to true peak, so -14 LUFS / -1 dBTP needs about 3 dB of peak limiting.
  "${ff[@]}" -f lavfi -i "aevalsrc=exprs=0.99*sin(2*PI*55*t)*exp(-20*mod(t\\,0.5))+0.3*(2*random(0)-1)*exp(-60*mod(t+0.25\\,0.5))+0.02*sin(2*PI*330*t)|0.99*sin(2*PI*55*t)*exp(-20*mod(t\\,0.5))+0.3*(2*random(1)-1)*exp(-60*mod(t+0.25\\,0.5))+0.02*sin(2*PI*440*t):s=44100:d=$d" \
    -c:a pcm_s24le "$dir/transients-44k-24.wav"
  # A quiet chord with a slow swell, 96 kHz 24-bit: needs +gain, little or no limiting.
  "${ff[@]}" -f lavfi -i "aevalsrc=exprs=(0.03+0.02*sin(2*PI*0.25*t))*(sin(2*PI*220*t)+sin(2*PI*277.2*t)+sin(2*PI*329.6*t))|(0.03+0.02*sin(2*PI*0.25*t+1))*(sin(2*PI*110*t)+sin(2*PI*440*t)):s=96000:d=$d" \
    -c:a pcm_s24le "$dir/quiet-chord-96k-24.wav"
  while IFS= read -r -d '' f; do files+=("$f"); done < <(audio_find "$dir")
}

source_desc=
if [ ${#args[@]} -gt 0 ]; then source_desc="files given"; fi
if [ ${#args[@]} -eq 0 ] && [ $generated -eq 0 ]; then
  if [ -d "$music" ] && [ -x "$get_corpus" ]; then
    album=wesnoth
    [ $quick -eq 1 ] && album=wesnoth-short
    "$get_corpus" "$work/corpus" >>"$log" 2>&1 || { tail -n 5 "$log" >&2; die "get-corpus failed"; }
    while IFS= read -r -d '' f; do files+=("$f"); done < <(audio_find "$work/corpus/$album")
    source_desc="corpus $album (wesnoth-1.16-music, Ogg Vorbis)"
  else
    echo "$me: the real-music corpus is not installed (needs root once: $get_corpus DEST);" \
      "using generated signals" >&2
    generated=1
  fi
fi
if [ $generated -eq 1 ]; then
  generate
  source_desc="${source_desc:+$source_desc + }generated signals"
fi
[ ${#files[@]} -gt 0 ] || die "no audio files to process"
nfiles=${#files[@]}

# Each input is linked as in16/NNN.ext or in24/NNN.ext (the output bit depth), so both tools
# get the same file and the outputs are easy to pair.
mkdir -p "$work/in16" "$work/in24" "$work/gloss" "$work/loudnorm" "$work/state"
rate=() bits=() name=() stage=()
for ((i = 0; i < nfiles; ++i)); do
  f=${files[$i]}
  probe=$(ffprobe -v error -select_streams a:0 -show_entries stream=codec_name,sample_rate,sample_fmt \
    -of default=noprint_wrappers=1 "$f" 2>>"$log") || die "ffprobe cannot read $f"
  r=$(sed -n 's/^sample_rate=//p' <<<"$probe")
  c=$(sed -n 's/^codec_name=//p' <<<"$probe")
  s=$(sed -n 's/^sample_fmt=//p' <<<"$probe")
  [[ $r =~ ^[0-9]+$ ]] || die "$f: no audio stream"
  b=24
  case $c/$s in pcm_s16*/* | pcm_u8/* | */s16 | */s16p) b=16 ;; esac
  id=$(printf '%03d' "$i")
  ext=${f##*.}
  ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$work/in$b/$id.$ext"
  rate+=("$r"); bits+=("$b"); name+=("$(basename "$f")"); stage+=("$work/in$b/$id.$ext")
done

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
# CPU time (user + sys, ms) of every child this shell has waited for, from the `times` builtin,
# into $work/cpu.txt (called in this shell, not in $(...): a subshell has no children yet).
child_cpu_ms() {
  times >"$work/times.txt"
  awk 'NR == 2 { t = 0
         for (f = 1; f <= 2; f++) { split($f, p, "m"); sub(/s$/, "", p[2]); t += p[1] * 60 + p[2] }
         printf "%d\n", t * 1000 + 0.5 }' "$work/times.txt" >"$work/cpu.txt"
}

# --- gloss master -------------------------------------------------------------------------
echo "$me: $nfiles files ($source_desc); target $target LUFS, ceiling $ceiling dBTP, threads $threads" >&2
echo "$me: gloss master ..." >&2
cat "${stage[@]}" >/dev/null  # page cache, for both tools alike
gloss_status=0
child_cpu_ms
c0=$(cat "$work/cpu.txt")
t0=$(now_us)
for b in 16 24; do
  [ -n "$(ls -A "$work/in$b")" ] || continue
  rc=0
  "$gloss" master "$work/in$b" -o "$work/gloss" --preset streaming --mode track --target "$target" \
    --ceiling "$ceiling" --format wav --bits "$b" --threads "$threads" --quiet \
    --json "$work/gloss-$b.json" >>"$log" 2>"$work/gloss-$b.err" || rc=$?
  if [ $rc -ne 0 ]; then
    echo "$me: gloss master exited $rc (in$b):" >&2
    head -n 20 "$work/gloss-$b.err" | sed 's/^/    /' >&2
    [ $rc -eq 1 ] || die "gloss master failed"
    gloss_status=1
  fi
done
t1=$(now_us)
child_cpu_ms
gloss_us=$((t1 - t0)) gloss_cpu=$(($(cat "$work/cpu.txt") - c0))

# --- ffmpeg loudnorm, two passes ----------------------------------------------------------
json_value() { sed -n "s/.*\"$1\" : \"\([^\"]*\)\".*/\1/p" "$2" | tail -n 1; }

loudnorm_one() {
  local i=$1 id in out j1 j2 k v opts
  id=$(printf '%03d' "$i"); in=${stage[$i]}; out="$work/loudnorm/$id.wav"
  j1="$work/state/$id.pass1"; j2="$work/state/$id.pass2"
  ffmpeg -nostdin -hide_banner -nostats -i "$in" -vn \
    -af "loudnorm=I=$target:TP=$ceiling:LRA=$lra:print_format=json" -f null - 2>"$j1" ||
    { echo "loudnorm pass 1 failed: $(tail -n 1 "$j1")" >"$work/state/$id.fail"; return 0; }
  opts=
  for k in input_i:measured_I input_lra:measured_LRA input_tp:measured_TP input_thresh:measured_thresh \
    target_offset:offset; do
    v=$(json_value "${k%%:*}" "$j1")
    is_number "$v" || { echo "loudnorm pass 1 gave ${k%%:*} = '$v' (silence?)" >"$work/state/$id.fail"; return 0; }
    opts="$opts:${k#*:}=$v"
  done
  ffmpeg -nostdin -hide_banner -nostats -y -i "$in" -vn \
    -af "loudnorm=I=$target:TP=$ceiling:LRA=$lra$opts:linear=true:print_format=json" \
    -ar "${rate[$i]}" -c:a "pcm_s${bits[$i]}le" "$out" 2>"$j2" ||
    { rm -f "$out"; echo "loudnorm pass 2 failed: $(tail -n 1 "$j2")" >"$work/state/$id.fail"; return 0; }
  json_value normalization_type "$j2" >"$work/state/$id.type"
}

# N at a time; results go to files, so a failure is reported per file.
pool() {
  local fn=$1 i
  for ((i = 0; i < nfiles; ++i)); do
    while [ "$(jobs -rp | wc -l)" -ge "$threads" ]; do wait -n || true; done
    "$fn" "$i" &
  done
  wait
}

echo "$me: ffmpeg loudnorm (two passes) ..." >&2
child_cpu_ms
c0=$(cat "$work/cpu.txt")
t0=$(now_us)
pool loudnorm_one
t1=$(now_us)
child_cpu_ms
loudnorm_us=$((t1 - t0)) loudnorm_cpu=$(($(cat "$work/cpu.txt") - c0))

# --- meters -------------------------------------------------------------------------------
echo "$me: measuring inputs and outputs (libebur128, ffmpeg ebur128) ..." >&2
outputs=()  # index: 0..n-1 inputs, n..2n-1 gloss, 2n..3n-1 loudnorm ("" when missing)
for ((i = 0; i < nfiles; ++i)); do outputs[i]=${stage[$i]}; done
for ((i = 0; i < nfiles; ++i)); do
  id=$(printf '%03d' "$i")
  g=$(find "$work/gloss" -name "$id.wav" -print -quit)
  outputs[nfiles + i]=$g
  l="$work/loudnorm/$id.wav"
  [ -f "$l" ] || l=
  outputs[2 * nfiles + i]=$l
done

# libebur128: "I LUFS  LRA LU  TP dBTP  SECONDS s  FILE", in the order given.
present=()
for f in "${outputs[@]}"; do [ -n "$f" ] && present+=("$f"); done
declare -A lib_i lib_tp lib_sec
while read -r li _ _ _ ltp _ lsec _ lf; do
  lib_i[$lf]=$li; lib_tp[$lf]=$ltp; lib_sec[$lf]=$lsec
done < <("$scan" --precise --threads "$threads" "${present[@]}" 2>>"$log" || true)

ffmeter_one() {  # index into outputs -> state/m<k>: "I TP_dB" by ffmpeg's ebur128 filter
  local k=$1 f=${outputs[$1]}
  [ -n "$f" ] || return 0
  ffmpeg -nostdin -hide_banner -nostats -i "$f" -vn \
    -af "ebur128=peak=true:metadata=1,ametadata=mode=print:file=-" -f null - 2>>"$work/state/m$k.err" |
    awk -F= '/^lavfi\.r128\.I=/ { i = $2 }
             /^lavfi\.r128\.true_peak=/ { if ($2 + 0 > p) p = $2 + 0 }
             END { if (i == "" || p <= 0) exit 1; printf "%s %.6f\n", i, 20 * log(p) / log(10) }' \
      >"$work/state/m$k" || rm -f "$work/state/m$k"
}
pool3() {  # like pool, over all 3n entries of outputs
  local k
  for ((k = 0; k < 3 * nfiles; ++k)); do
    while [ "$(jobs -rp | wc -l)" -ge "$threads" ]; do wait -n || true; done
    ffmeter_one "$k" &
  done
  wait
}
pool3

# --- per-file lines and the table ---------------------------------------------------------
rows="$work/rows.txt"
: >"$rows"
audio_s=0
printf '\n%-28s %6s %3s | %8s %7s | %-14s %8s %8s %8s %8s | %-8s\n' file rate bit "in LUFS" "in dBTP" \
  tool "I lib" "TP lib" "I ffm" "TP ffm" loudnorm
for ((i = 0; i < nfiles; ++i)); do
  id=$(printf '%03d' "$i")
  in=${outputs[$i]}
  short=${name[$i]}
  [ ${#short} -le 28 ] || short="${short:0:25}..."
  audio_s=$(awk -v a="$audio_s" -v b="${lib_sec[$in]:-0}" 'BEGIN { printf "%.3f", a + b }')
  type=-
  [ -f "$work/state/$id.type" ] && type=$(cat "$work/state/$id.type")
  for tool in gloss loudnorm; do
    [ "$tool" = gloss ] && k=$((nfiles + i)) || k=$((2 * nfiles + i))
    f=${outputs[$k]}
    li=- ltp=- fli=- ftp=-
    if [ -n "$f" ]; then
      li=${lib_i[$f]:--} ltp=${lib_tp[$f]:--}
      [ -f "$work/state/m$k" ] && read -r fli ftp <"$work/state/m$k"
      echo "$tool $li $ltp $fli $ftp" >>"$rows"
    else
      echo "$tool missing" >>"$rows"
    fi
    if [ "$tool" = gloss ]; then
      printf '%-28s %6s %3s | %8.2f %7.2f | %-14s %8s %8s %8s %8s |\n' "$short" "${rate[$i]}" "${bits[$i]}" \
        "${lib_i[$in]:-nan}" "${lib_tp[$in]:-nan}" "gloss" "$(printf '%.2f' "$li" 2>/dev/null || echo -)" \
        "$(printf '%.2f' "$ltp" 2>/dev/null || echo -)" "$(printf '%.2f' "$fli" 2>/dev/null || echo -)" \
        "$(printf '%.2f' "$ftp" 2>/dev/null || echo -)"
    else
      printf '%-28s %6s %3s | %8s %7s | %-14s %8s %8s %8s %8s | %-8s\n' "" "" "" "" "" "loudnorm" \
        "$(printf '%.2f' "$li" 2>/dev/null || echo -)" "$(printf '%.2f' "$ltp" 2>/dev/null || echo -)" \
        "$(printf '%.2f' "$fli" 2>/dev/null || echo -)" "$(printf '%.2f' "$ftp" 2>/dev/null || echo -)" "$type"
    fi
  done
done

for ((i = 0; i < nfiles; ++i)); do
  id=$(printf '%03d' "$i")
  [ -f "$work/state/$id.fail" ] && echo "$me: loudnorm failed on ${files[$i]}: $(cat "$work/state/$id.fail")" >&2
  [ -n "${outputs[nfiles + i]}" ] || echo "$me: gloss wrote no output for ${files[$i]}" >&2
done
for ((k = 0; k < 3 * nfiles; ++k)); do
  f=${outputs[$k]}
  [ -z "$f" ] && continue
  [ -n "${lib_i[$f]:-}" ] || echo "$me: libebur128 could not measure $f" >&2
  [ -f "$work/state/m$k" ] || echo "$me: ffmpeg ebur128 could not measure $f" >&2
done

dynamic=$(cat "$work"/state/*.type 2>/dev/null | grep -c dynamic || true)
lowered=$(cat "$work"/gloss-*.json 2>/dev/null | grep -c '"target_lowered": true' || true)

echo
awk -v n="$nfiles" -v T="$target" -v C="$ceiling" -v gus="$gloss_us" -v lus="$loudnorm_us" -v gcpu="$gloss_cpu" -v lcpu="$loudnorm_cpu" -v audio="$audio_s" '
  function num(x) { return x ~ /^-?[0-9]+(\.[0-9]+)?$/ }
  function abs(x) { return x < 0 ? -x : x }
  {
    t = $1; files[t]++
    if ($2 == "missing") { missing[t]++; next }
    for (m = 0; m < 2; m++) {
      key = t SUBSEP m; I = $(2 + 2 * m); P = $(3 + 2 * m)
      if (!num(I) || !num(P)) { unmeasured[key]++; continue }
      e = abs(I - T); cnt[key]++; sum[key] += e; if (e > mx[key]) mx[key] = e
      d = P - C; if (!(key in worst) || d > worst[key]) worst[key] = d
      if (P > C) over[key]++
    }
  }
  END {
    meter[0] = "libebur128"; meter[1] = "ffmpeg ebur128"
    label["gloss"] = "gloss master"; label["loudnorm"] = "ffmpeg loudnorm"
    us["gloss"] = gus; us["loudnorm"] = lus; cpu["gloss"] = gcpu; cpu["loudnorm"] = lcpu
    printf "%-16s %-15s %7s %13s %12s %9s %14s %8s %10s %8s\n", "tool", "meter", "files", "mean |err| LU", "max |err| LU", "TP > ceil", "max TP-ceil dB", "wall s", "x realtime", "CPU s"
    printf "%-16s %-15s %7s %13s %12s %9s %14s %8s %10s %8s\n", "----------------", "---------------", "-------", "-------------", "------------", "---------", "--------------", "--------", "----------", "--------"
    split("gloss loudnorm", tools, " ")
    for (ti = 1; ti <= 2; ti++) {
      t = tools[ti]
      for (m = 0; m < 2; m++) {
        key = t SUBSEP m; c = cnt[key] + 0
        w = (m == 0) ? sprintf("%.3f", us[t] / 1e6) : ""
        x = (m == 0 && us[t] > 0) ? sprintf("%.1f", audio * 1e6 / us[t]) : ""
        u = (m == 0) ? sprintf("%.3f", cpu[t] / 1e3) : ""
        printf "%-16s %-15s %7s %13s %12s %9s %14s %8s %10s %8s\n", (m == 0 ? label[t] : ""), meter[m], c "/" n,
          c ? sprintf("%.3f", sum[key] / c) : "-", c ? sprintf("%.3f", mx[key]) : "-",
          (over[key] + 0) "/" c, c ? sprintf("%+.3f", worst[key]) : "-", w, x, u
      }
    }
    printf "\nloudnorm / gloss: wall time %.2f, CPU time %.2f (above 1: gloss is faster); %.1f s of audio\n",
      lus / (gus > 0 ? gus : 1), lcpu / (gcpu > 0 ? gcpu : 1), audio
  }' "$rows"
echo "target $target LUFS, ceiling $ceiling dBTP; |err| = |integrated loudness of the output - target|;"
echo "TP > ceil = files whose true peak exceeds the ceiling by that meter; max TP-ceil = the largest true peak"
echo "minus the ceiling (negative: every file under it). gloss lowered its target on $lowered file(s) (limiting"
echo "budget); loudnorm used dynamic mode instead of linear on $dynamic of $nfiles file(s)."
[ -n "$keep" ] && echo "outputs kept under $work (gloss/, loudnorm/, state/, log.txt)"
[ "$gloss_status" -eq 0 ] || echo "$me: gloss master reported failed tracks (see above)" >&2
exit 0
