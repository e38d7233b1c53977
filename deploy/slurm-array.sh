#!/bin/bash
# A Slurm job array: each array task runs one shard of a batch on the cores it was given, into a
# folder of its own; deploy/slurm-merge.sh then combines the shards into one results folder.
# Submit from the repository root (after npm ci && npm run build); the settings come from the
# environment, which sbatch passes on to the job (--export=ALL, its default):
#
#   export URBANIZE_SCENARIO=scenarios/shanxi-baseline.yaml URBANIZE_RUNS=1000
#   export URBANIZE_SHARDS_DIR=results/baseline-shards URBANIZE_OUT=results/baseline
#   jobid=$(sbatch --parsable --array=0-9 deploy/slurm-array.sh)
#   sbatch --dependency=afterok:$jobid deploy/slurm-merge.sh
#
# Environment (each optional; default in brackets):
#   URBANIZE_SCENARIO    scenario file [scenarios/shanxi-baseline.yaml]
#   URBANIZE_RUNS        runs of the whole batch, all shards together [1000]
#   URBANIZE_SCALE       persons per agent, passed as --scale [the scenario's]
#   URBANIZE_SEED        master seed, passed as --seed [the scenario's]
#   URBANIZE_SHARDS_DIR  folder of the shard folders [results/baseline-shards]
#   URBANIZE_WORKERS     worker threads per task [$SLURM_CPUS_PER_TASK, else 1]
# Relative paths are taken from the job's working directory: the folder sbatch was called from
# (or --chdir).
#
# The array's size is the number of shards (any contiguous range: --array=0-9 gives 10, and
# --array=0-99%10 runs 100 shards 10 at a time); task T writes $URBANIZE_SHARDS_DIR/shard-T.
# A requeued task (node failure, preemption, scontrol requeue) finds its folder and completes it
# with run --resume: runs are stored one by one, atomically, so it ends with the same results as a
# task that was never interrupted, whether the first attempt was stopped by SIGTERM (folder
# "partial") or killed outright (folder left "running"). Slurm holds a requeued task about two
# minutes before it may start again; `scontrol update JobId=<job>_<task> StartTime=now` skips that.
# Use a new URBANIZE_SHARDS_DIR for each batch: an existing shard folder is resumed as it is.
#SBATCH --job-name=urbanize
#SBATCH --array=0-9
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --requeue
#SBATCH --open-mode=append
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?run this as a Slurm job array: sbatch --array=0-9 deploy/slurm-array.sh}"
scenario="${URBANIZE_SCENARIO:-scenarios/shanxi-baseline.yaml}"
runs="${URBANIZE_RUNS:-1000}"
workers="${URBANIZE_WORKERS:-${SLURM_CPUS_PER_TASK:-1}}"
out="${URBANIZE_SHARDS_DIR:-results/baseline-shards}/shard-$SLURM_ARRAY_TASK_ID"
extra=()   # the ${a[@]+"${a[@]}"} below: an empty array under set -u, also on bash < 4.4
if [ -n "${URBANIZE_SCALE:-}" ]; then extra+=(--scale "$URBANIZE_SCALE"); fi
if [ -n "${URBANIZE_SEED:-}" ]; then extra+=(--seed "$URBANIZE_SEED"); fi

# Exit 1 means some runs failed (each is listed in the manifest with its seed and error): the
# task succeeds, and the merge carries them over. Any other failure fails the task.
if [ -f "$out/manifest.json" ]; then
  # A requeued task: complete the folder instead of starting over.
  node dist/cli/main.js run --resume "$out" --workers "$workers" --quiet || [ $? -eq 1 ]
else
  # No manifest: nothing was stored yet (a folder is created with its manifest before any run),
  # so a folder left by a task killed while creating it is replaced (--force).
  force=()
  if [ -d "$out" ]; then force=(--force); fi
  # --shard auto: index = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, count = SLURM_ARRAY_TASK_COUNT.
  node dist/cli/main.js run "$scenario" --runs "$runs" ${extra[@]+"${extra[@]}"} --workers "$workers" \
    --shard auto --out "$out" --quiet ${force[@]+"${force[@]}"} || [ $? -eq 1 ]
fi
