#!/usr/bin/env bash
# slurm_cluster.sh COMMAND [ARG...]
#
# Starts a private single-node Slurm on this machine (munged, slurmctld and slurmd on
# loopback, every file in one temp folder, random free ports), runs COMMAND with SLURM_CONF
# pointing at it, then stops everything it started, whatever happened. Needs root and
# Debian's slurm-wlm and munge (scripts/install-deps.sh installs them); no systemd.
#
# Exit status: COMMAND's, or 77 (the CTest skip code) when Slurm is not installed or will
# not start here, with the reason on stderr. Set GLOSS_CLUSTER_KEEP=1 to keep the folder
# (configuration and daemon logs) for a post-mortem.
# shellcheck disable=SC2317  # teardown and the wait_for probes run through trap and wait_for
set -uo pipefail

skip_code=77
readonly startup_timeout=${GLOSS_CLUSTER_STARTUP_TIMEOUT:-30}
# COMMAND's deadline: inside CTest's TIMEOUT, so that this script, not CTest's kill, stops a
# hung run and the daemons are torn down.
readonly command_timeout=${GLOSS_CLUSTER_COMMAND_TIMEOUT:-480}

skip() {
  echo "cluster test skipped: $*" >&2
  exit "$skip_code"
}

[ $# -ge 1 ] || { echo "usage: slurm_cluster.sh COMMAND [ARG...]" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || skip "slurmd must run as root to launch jobs (run the test as root)"
for tool in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
  command -v "$tool" >/dev/null ||
    skip "'$tool' not found: install Debian's slurm-wlm and munge (scripts/install-deps.sh)"
done

cluster_dir=$(mktemp -d "${TMPDIR:-/tmp}/gloss-slurm.XXXXXX") || skip "can't create a temp folder"
# munged insists that every folder above its socket is searchable by all and that the key
# folder is private.
chmod 755 "$cluster_dir"
mkdir -m 755 "$cluster_dir/munge" "$cluster_dir/log" "$cluster_dir/state" "$cluster_dir/spool"
mkdir -m 700 "$cluster_dir/munge-key"
mkdir -m 755 "$cluster_dir/work"
readonly munge_socket=$cluster_dir/munge/munge.socket
readonly conf=$cluster_dir/slurm.conf
munged_pid="" slurmctld_pid="" slurmd_pid="" command_pid=""

log_tail() {  # log_tail FILE...: the last lines of each file, for skip and failure messages
  local f
  for f in "$@"; do
    [ -s "$f" ] && { echo "--- $(basename "$f"):"; tail -n 15 "$f"; }
  done
}

# Stops a process we started: TERM, up to 10 s, then KILL.
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

# Job steps (slurmstepd) and the jobs under them are not our children: slurmd daemonizes
# them. They all carry our SLURM_CONF in their environment, which no other process on the
# machine can have (the path is our fresh temp folder), so that is how we find them.
processes_of_this_cluster() {
  # Processes of other users, or gone meanwhile, can't be read: not ours either way.
  grep -lzxF "SLURM_CONF=$conf" /proc/[0-9]*/environ 2>/dev/null |
    sed -n 's|^/proc/\([0-9]*\)/environ$|\1|p' | grep -vx "$$"
}

teardown() {
  local status=$? pid leftovers
  trap - EXIT INT TERM
  stop_pid "$command_pid"  # timeout passes the signal on to the command
  if [ -n "$slurmctld_pid" ] && alive "$slurmctld_pid"; then
    timeout 10 scancel --quiet --full --partition=gloss 2>/dev/null
  fi
  stop_pid "$slurmd_pid"
  stop_pid "$slurmctld_pid"
  # From here on no program we run may carry the marker, or it would find itself.
  unset SLURM_CONF
  leftovers=$(processes_of_this_cluster)
  for pid in $leftovers; do kill -KILL "$pid" 2>/dev/null; done
  stop_pid "$munged_pid"
  leftovers=$(processes_of_this_cluster)
  if [ -n "$leftovers" ]; then
    echo "slurm_cluster: processes survived teardown: $leftovers" >&2
    [ "$status" -eq 0 ] && status=1
  fi
  if [ "${GLOSS_CLUSTER_KEEP:-0}" = 1 ]; then
    echo "slurm_cluster: kept $cluster_dir" >&2
  else
    rm -rf "$cluster_dir"
  fi
  exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for PID SECONDS COMMAND...: polls COMMAND every 0.2 s until it succeeds; gives up
# after SECONDS, or at once when the daemon PID has exited.
wait_for() {
  local pid=$1 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    alive "$pid" && ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

alive() { kill -0 "$1" 2>/dev/null; }

free_port() {  # a TCP port on loopback nobody listens on
  local port i
  for ((i = 0; i < 50; i++)); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}

# --- munge: our own key and socket, so the machine's munge (if any) is left alone
mungekey --create --keyfile="$cluster_dir/munge-key/munge.key" >"$cluster_dir/log/mungekey.log" 2>&1 ||
  skip "mungekey could not create a key: $(log_tail "$cluster_dir/log/mungekey.log")"
munged --foreground --socket="$munge_socket" --key-file="$cluster_dir/munge-key/munge.key" \
  --pid-file="$cluster_dir/munge/munged.pid" --seed-file="$cluster_dir/munge-key/munged.seed" \
  --log-file="$cluster_dir/log/munged.log" >"$cluster_dir/log/munged.out" 2>&1 &
munged_pid=$!
munge_works() { munge -n -S "$munge_socket" | unmunge -S "$munge_socket"; }
wait_for "$munged_pid" "$startup_timeout" munge_works ||
  skip "munged would not start: $(log_tail "$cluster_dir/log/munged.out")"

# --- slurm.conf: one node, no cgroups, no accounting, everything under cluster_dir
ctld_port=$(free_port) || skip "no free TCP port on loopback"
slurmd_port=$ctld_port
while [ "$slurmd_port" = "$ctld_port" ]; do
  slurmd_port=$(free_port) || skip "no free TCP port on loopback"
done
cpus=$(nproc)
# RealMemory may not exceed what slurmd finds, or the node is drained as "Low RealMemory".
memory_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 / 2 }' /proc/meminfo)
cat >"$conf" <<EOF
# Written by tests/cluster/slurm_cluster.sh: a throwaway single-node cluster on loopback.
ClusterName=glosstest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$munge_socket
CredType=cred/munge
StateSaveLocation=$cluster_dir/state
SlurmdSpoolDir=$cluster_dir/spool
SlurmctldPidFile=$cluster_dir/slurmctld.pid
SlurmdPidFile=$cluster_dir/slurmd.pid
SlurmctldLogFile=$cluster_dir/log/slurmctld.log
SlurmdLogFile=$cluster_dir/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Start a batch job as soon as it is submitted (the default waits up to 3 s for more).
SchedulerParameters=batch_sched_delay=0
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory_mb State=UNKNOWN
# FORCE:4 lets up to 4 tasks share a CPU: every task of a small array runs at once, as
# on a real cluster, whatever the CPU count of the test machine.
PartitionName=gloss Nodes=localhost Default=YES MaxTime=10 State=UP OverSubscribe=FORCE:4
EOF
export SLURM_CONF=$conf

# --- the daemons, in the foreground of their own background jobs so we hold their pids
slurmctld -D -c -f "$conf" >"$cluster_dir/log/slurmctld.out" 2>&1 &
slurmctld_pid=$!
ctld_answers() { scontrol ping | grep -q "is UP"; }
wait_for "$slurmctld_pid" "$startup_timeout" ctld_answers ||
  skip "slurmctld would not start: $(log_tail "$cluster_dir/log/slurmctld.out" "$cluster_dir/log/slurmctld.log")"

slurmd -D -N localhost -f "$conf" >"$cluster_dir/log/slurmd.out" 2>&1 &
slurmd_pid=$!
node_idle() { [ "$(sinfo -h -n localhost -o %T)" = idle ]; }
wait_for "$slurmd_pid" "$startup_timeout" node_idle ||
  skip "slurmd would not bring the node up (state '$(sinfo -h -n localhost -o %T 2>&1)'): $(log_tail "$cluster_dir/log/slurmd.out" "$cluster_dir/log/slurmd.log")"

echo "slurm_cluster: single-node cluster up in ${SECONDS}s ($cluster_dir, ports $ctld_port/$slurmd_port, $cpus CPUs)" >&2

# --- the caller's test, in a folder it may fill (removed with the cluster)
export GLOSS_CLUSTER_WORK=$cluster_dir/work
# In the background, so that a signal to this script is handled at once, not after COMMAND.
timeout --kill-after=10 "$command_timeout" "$@" &
command_pid=$!
wait "$command_pid"
status=$?
command_pid=""
[ "$status" -eq 124 ] && echo "slurm_cluster: '$*' still running after ${command_timeout}s, stopped" >&2
if [ "$status" -ne 0 ]; then
  echo "slurm_cluster: '$*' exited with $status; daemon logs:" >&2
  log_tail "$cluster_dir/log/slurmctld.log" "$cluster_dir/log/slurmd.log" >&2
fi
exit "$status"
