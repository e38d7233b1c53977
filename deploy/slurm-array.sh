#!/bin/bash
# A Slurm job array: each array task runs one shard of the batch on the cores it was given.
# Submit from the repository root (after npm ci && npm run build):
#   jobid=$(sbatch --parsable deploy/slurm-array.sh)
#   sbatch --dependency=afterok:$jobid deploy/slurm-merge.sh
#SBATCH --job-name=urbanize
#SBATCH --array=0-9
#SBATCH --cpus-per-task=8
#SBATCH --mem=8G
#SBATCH --time=02:00:00
set -euo pipefail
cd "$SLURM_SUBMIT_DIR"
out="results/baseline-shards/shard-$SLURM_ARRAY_TASK_ID"
# A requeued task finds its folder and completes it instead of starting over.
if [ -f "$out/manifest.json" ]; then
  node dist/cli/main.js run --resume "$out" --workers "$SLURM_CPUS_PER_TASK" --quiet || [ $? -eq 1 ]
else
  # --shard auto: index = SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, count = SLURM_ARRAY_TASK_COUNT.
  node dist/cli/main.js run scenarios/shanxi-baseline.yaml --runs 1000 --workers "$SLURM_CPUS_PER_TASK" \
    --shard auto --out "$out" --quiet || [ $? -eq 1 ]
fi
# Exit 1 means some runs failed (they are listed in the manifest); the merge still works.
