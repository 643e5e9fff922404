#!/usr/bin/env bash
# End-to-end test of `plasticity sweep --backend slurm` on a real single-node Slurm cluster.
#
# As root on Debian: installs slurmctld, slurmd and munge (if missing), creates a munge key,
# starts munged, writes a minimal slurm.conf (this host as the only node, one partition,
# select/cons_tres, proctrack/linuxproc, no cgroups), starts slurmctld and slurmd, submits a
# 4-run sweep, waits for it, and checks all 4 run directories and the results index. It stops
# the daemons it started. Skipped (exit 0, with a message) when not root.
# Usage: bash scripts/slurm-test.sh   (uses $PLASTICITY or .build/release/plasticity, building it if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) -ne 0 ]]; then
    echo "slurm-test: SKIPPED: needs root to install and start munge, slurmctld and slurmd"
    exit 0
fi
start=$(date +%s)
log() { echo "slurm-test: [$(( $(date +%s) - start )) s] $*"; }

# The binary `swift test -c release` left behind, else a fresh release build.
plasticity=${PLASTICITY:-.build/release/plasticity}
if [[ ! -x $plasticity ]]; then
    swift build -c release --product plasticity >/dev/null
    plasticity=.build/release/plasticity
fi
plasticity=$(realpath "$plasticity")

missing=()
for p in slurmctld slurmd munge; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
log "packages ready"

started=()
cleanup() {
    for pidfile in "${started[@]}"; do
        [[ -s $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
}
trap cleanup EXIT

# munge: a key readable only by the munge user, and the daemon running as that user.
mkdir -p /etc/munge /run/munge /var/log/munge /var/lib/munge
if [[ ! -s /etc/munge/munge.key ]]; then
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown -R munge:munge /etc/munge /run/munge /var/log/munge /var/lib/munge
chmod 0400 /etc/munge/munge.key
chmod 0755 /run/munge
if ! munge -n </dev/null >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged
    started+=(/run/munge/munged.pid)
fi
munge -n </dev/null | unmunge >/dev/null
log "munged running"

host=$(hostname -s)
cpus=$(nproc)
memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.8) }' /proc/meminfo)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
cat > /etc/slurm/slurm.conf <<CONF
# Written by scripts/slurm-test.sh: one node (this host), one partition, no cgroups.
ClusterName=plasticity-test
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
if ! scontrol ping >/dev/null 2>&1 || ! scontrol ping | grep -q UP; then
    slurmctld
    started+=(/run/slurmctld.pid)
fi
if ! pgrep -x slurmd >/dev/null; then
    slurmd
    started+=(/run/slurmd.pid)
fi
for _ in $(seq 60); do
    state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
    [[ $state == idle* || $state == mix* ]] && break
    [[ $state == down* || $state == drain* ]] && scontrol update nodename="$host" state=resume 2>/dev/null || true
    sleep 1
done
sinfo
[[ $(sinfo -h -n "$host" -o %t) == idle* ]] || { echo "slurm-test: FAILED: node not idle"; tail -20 /var/log/slurm/slurmd.log; exit 1; }
log "slurmctld and slurmd up"

work=$(mktemp -d /tmp/plasticity-slurm-test.XXXXXX)
cat > "$work/sweep.toml" <<SWEEP
name = "slurm-test"
[base]
name = "slurm-test"
[base.data]
dataset = "gaussian-clusters"
count = 256
classes = 4
dimension = 8
[base.stream]
tasks = 2
steps_per_task = 100
[base.model]
widths = [32]
[base.train]
batch_size = 32
log_every = 20
[grid]
"stream.protocol" = ["random-labels", "label-permutation"]
seed = [0, 1]
[slurm]
partition = "test"
time = "00:10:00"
SWEEP
"$plasticity" sweep "$work/sweep.toml" --out "$work/out" --backend slurm --jobs 0
squeue
for _ in $(seq 300); do
    [[ -z $(squeue -h -n plasticity-slurm-test 2>/dev/null) ]] && break
    sleep 1
done
log "array job finished"
status=$("$plasticity" sweep status "$work/out")
echo "$status"
grep -q "4 runs: 4 done, 0 diverged, 0 running, 0 failed, 0 pending" <<<"$status" || { echo "slurm-test: FAILED: not all 4 runs done"; cat "$work"/out/slurm/*.out "$work"/out/logs/*.log 2>/dev/null | tail -30; exit 1; }
for run in $(cut -f2 "$work/out/runs.tsv"); do
    for f in config.toml metrics.jsonl summary.json model.safetensors; do
        [[ -s $work/out/$run/$f ]] || { echo "slurm-test: FAILED: $run/$f missing"; exit 1; }
    done
    ls "$work/out/$run"/events.out.tfevents.* >/dev/null
done
rows=$("$plasticity" query --db "$work/out/index.sqlite" --study slurm-test --csv | tail -n +2)
echo "$rows"
[[ $(grep -c ",finished,2,200," <<<"$rows") == 4 ]] || { echo "slurm-test: FAILED: index does not list 4 finished runs"; exit 1; }
ls "$work"/out/slurm/slurm-*.out | wc -l | grep -qx 4 || { echo "slurm-test: FAILED: expected 4 Slurm array task logs"; exit 1; }
rm -rf "$work"
log "passed: 4 Slurm array tasks ran, 4 run directories complete, index lists 4 finished runs"
echo "slurm-test: 1 passed, 0 failed"
