#!/usr/bin/env bash
# gloss_array_test.sh GLOSS MAKE_CATALOG
#
# The real cluster run of issue 5, under slurm_cluster.sh: `gloss master` and `gloss
# analyze` run as 3-task Slurm job arrays (--shard auto) over a small catalog, all tasks at
# once into one output folder; `gloss report merge` joins the shard reports. The outputs must
# be byte for byte those of a single-process run, the merged report byte for byte its report,
# and nothing temporary may be left behind.
#
# Each run uses the same paths (catalog, out/, report names): the single run's results are
# moved aside before the array runs, so any path a report records is the same in both.
set -euo pipefail
. "$(dirname "$0")/slurm_jobs.sh"

[ $# -eq 2 ] || { echo "usage: gloss_array_test.sh GLOSS MAKE_CATALOG" >&2; exit 2; }
gloss=$(realpath "$1")
make_catalog=$(realpath "$2")
readonly tasks=3 albums=5 tracks=11 run_timeout=90
cd "$GLOSS_CLUSTER_WORK"

master_help=$("$gloss" master --help)
[[ $master_help == *--shard* ]] ||
  fail "$gloss master has no --shard option: this build predates catalog sharding (issue 5)"
"$make_catalog" catalog

# The settings every run shares; a shard differs only by --shard and its report's name.
master_args=(master catalog -o out --preset streaming --device cpu --quiet)
analyze_args=(analyze catalog --device cpu --quiet)

# run_array NAME GLOSS-ARGS...: the arguments plus `--shard auto --json reports/NAME-<task>.json`
# as a job array, then the shard reports merged into NAME-merged.json.
run_array() {
  local name=$1 command job started=$SECONDS
  shift
  command="$(printf '%q ' "$gloss" "$@") --threads 1 --shard auto --json reports/$name-\$SLURM_ARRAY_TASK_ID.json"
  mkdir -p reports
  job=$(submit_array "$tasks" "$name" "$command")
  wait_for_array "$job" "$run_timeout"
  echo "$name: $tasks-task array took $((SECONDS - started)) s"
  local shard_reports=()
  for ((task = 1; task <= tasks; task++)); do
    [ -s "reports/$name-$task.json" ] || fail "task $task of the $name array wrote no report"
    shard_reports+=("reports/$name-$task.json")
  done
  timeout 30 "$gloss" report merge "${shard_reports[@]}" --json "$name-merged.json" ||
    fail "gloss report merge refused the $name shard reports"
}

# Every album in exactly one shard, and the work really split: a stable hash of 5 album
# names over 3 shards must not give one shard everything. Every album entry of a report
# has one catalog_index.
check_split() {
  local name=$1 counts=() total=0 busy=0 n task
  for ((task = 1; task <= tasks; task++)); do
    n=$(grep -o '"catalog_index"' "reports/$name-$task.json" | wc -l)
    counts+=("$n")
    total=$((total + n))
    if ((n > 0)); then busy=$((busy + 1)); fi
  done
  echo "$name: albums per shard: ${counts[*]}"
  [ "$total" -eq "$albums" ] || fail "$name shards hold $total albums between them, the catalog has $albums"
  [ "$busy" -ge 2 ] || fail "$name: one shard did all the work (${counts[*]}): --shard auto did not split the catalog"
}

same_report() {  # same_report SINGLE MERGED
  cmp -s "$1" "$2" && return 0
  echo "--- $1 vs $2:" >&2
  diff "$1" "$2" | head -n 40 >&2
  fail "the merged report $2 differs from the single-process report $1"
}

audio_files() { (cd "$1" && find . -type f | grep -E '\.(wav|flac|aiff?|w64|caf|ogg|opus|mp3)$' | sort); }

no_leftovers() {  # temp files of atomic writes, in the outputs or beside the reports
  local left
  left=$(find . -name '.*.tmp-*' -o -name '*.partial' -o -name '*.tmp')
  [ -z "$left" ] || fail "temporary files left behind: $left"
}

# --- gloss master
started=$SECONDS
timeout "$run_timeout" "$gloss" "${master_args[@]}" --json master-single.json >master-single.log
echo "master: single process took $((SECONDS - started)) s"
mv out single-out
run_array master "${master_args[@]}"
check_split master
same_report master-single.json master-merged.json

audio_files single-out >single-audio.txt
audio_files out >sharded-audio.txt
[ "$(wc -l <single-audio.txt)" -eq "$tracks" ] ||
  fail "the single run wrote $(wc -l <single-audio.txt) audio files, the catalog has $tracks tracks"
diff single-audio.txt sharded-audio.txt >&2 || fail "the array wrote other audio files than the single run"
while IFS= read -r file; do
  cmp "single-out/$file" "out/$file" || fail "$file differs between the single run and the array"
done <single-audio.txt
echo "master: $tracks outputs byte-identical, merged report identical to the single run's"

# --- gloss analyze
started=$SECONDS
timeout "$run_timeout" "$gloss" "${analyze_args[@]}" --json analyze-single.json >analyze-single.log
echo "analyze: single process took $((SECONDS - started)) s"
run_array analyze "${analyze_args[@]}"
check_split analyze
same_report analyze-single.json analyze-merged.json
echo "analyze: merged report identical to the single run's"

no_leftovers
echo "cluster run passed: master and analyze over $albums albums as $tasks-task Slurm arrays equal one process"
