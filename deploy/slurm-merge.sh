#!/bin/bash
# Merges the shards of deploy/slurm-array.sh into one results folder (same digest as one machine).
#SBATCH --job-name=urbanize-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=00:30:00
set -euo pipefail
cd "$SLURM_SUBMIT_DIR"
node dist/cli/main.js merge results/baseline-shards/shard-* --out results/baseline
