#!/usr/bin/env bash
# The cluster harness on its own, with plain shell tasks: a 3-task array runs every task
# once, each sees the array variables `--shard auto` reads, and a failing task is reported
# as a failure. Run under slurm_cluster.sh.
# shellcheck disable=SC2016  # the task command lines expand in the job, not here
set -euo pipefail
. "$(dirname "$0")/slurm_jobs.sh"

cd "$GLOSS_CLUSTER_WORK"
job=$(submit_array 3 env 'echo "$SLURM_ARRAY_TASK_ID $SLURM_ARRAY_TASK_COUNT $SLURM_ARRAY_TASK_MIN" > "task-$SLURM_ARRAY_TASK_ID.txt"')
wait_for_array "$job" 60
for task in 1 2 3; do
  [ "$(cat "task-$task.txt")" = "$task 3 1" ] ||
    fail "task $task saw '$(cat "task-$task.txt" 2>/dev/null)', expected '$task 3 1'"
done
[ "$(find . -name 'task-*.txt' | wc -l)" -eq 3 ] || fail "expected exactly 3 task files: $(ls)"

# wait_for_array must not take a failed task for success.
job=$(submit_array 2 failing 'exit $((SLURM_ARRAY_TASK_ID - 1))')
if (wait_for_array "$job" 60) 2>/dev/null; then
  fail "a task that exited 1 was reported as a success"
fi
echo "array self-test passed: 3 tasks saw their ids, a failing task was caught"
