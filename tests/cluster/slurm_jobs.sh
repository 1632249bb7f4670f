# shellcheck shell=bash
# Sourced by the cluster tests, which slurm_cluster.sh runs with SLURM_CONF and
# GLOSS_CLUSTER_WORK set: submit a job array and wait for it, with a deadline.

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# submit_array COUNT NAME COMMAND: submits COMMAND (a shell command line, run by bash in the
# current folder) as tasks 1..COUNT of a job array; prints the job id. Each task's output
# goes to $GLOSS_CLUSTER_WORK/NAME-<task>.out.
submit_array() {
  local count=$1 name=$2 command=$3
  sbatch --parsable --job-name="$name" --array="1-$count" --ntasks=1 --cpus-per-task=1 \
    --time=5 --chdir="$PWD" --output="$GLOSS_CLUSTER_WORK/$name-%a.out" \
    --wrap="$command" || fail "sbatch refused the $name array"
}

# wait_for_array JOBID SECONDS: polls squeue until no task of the array is pending or
# running, then requires every task to have COMPLETED with exit code 0. On failure it shows
# each task's state and output.
wait_for_array() {
  local job=$1 seconds=$2 deadline states
  deadline=$((SECONDS + seconds))
  while [ -n "$(squeue -h -j "$job" -t PD,R,CG,CF,S -o %i 2>/dev/null)" ]; do
    if ((SECONDS >= deadline)); then
      squeue -j "$job" -t all >&2
      scancel "$job"
      fail "job array $job still running after ${seconds}s"
    fi
    sleep 0.25
  done
  # Finished jobs stay known to slurmctld for MinJobAge (300 s), long enough to read them.
  states=$(scontrol -o show job "$job" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\) .*/\1 \2 \3/p')
  if [ -z "$states" ] || grep -qv ' COMPLETED 0:0$' <<<"$states"; then
    echo "tasks of job array $job (task state exit):" >&2
    echo "${states:-<none>}" >&2
    tail -n +1 "$GLOSS_CLUSTER_WORK"/*.out >&2 2>/dev/null
    fail "job array $job did not complete cleanly"
  fi
}
