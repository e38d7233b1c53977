#!/bin/bash
# Combines the shard folders of deploy/slurm-array.sh into one results folder, with the same files
# and digest as the batch run on one machine. Submit it from the repository root to start when
# every array task has succeeded, with the same environment as the array:
#
#   jobid=$(sbatch --parsable --array=0-9 deploy/slurm-array.sh)
#   sbatch --dependency=afterok:$jobid deploy/slurm-merge.sh
#
# or run it yourself once the array is done: bash deploy/slurm-merge.sh
#
# Environment (each optional; default in brackets):
#   URBANIZE_SHARDS_DIR  folder of the shard folders [results/baseline-shards]
#   URBANIZE_OUT         the merged results folder; it must not exist yet [results/baseline]
#
# It fails (exit 2) when a shard folder is missing, naming the shards, and urbanize merge refuses
# unfinished shards and shards of different batches. Exit 1 (some runs failed, listed in the
# manifest) counts as success, as in the array. With --kill-on-invalid-dep, Slurm cancels this
# job when an array task fails for good, instead of leaving it pending forever.
#SBATCH --job-name=urbanize-merge
#SBATCH --cpus-per-task=1
#SBATCH --mem=4G
#SBATCH --time=00:30:00
#SBATCH --kill-on-invalid-dep=yes
set -euo pipefail
shards_dir="${URBANIZE_SHARDS_DIR:-results/baseline-shards}"
out="${URBANIZE_OUT:-results/baseline}"
# shard-T only: not the shard-T.tmp-PID a task killed while creating its folder may leave.
shards=()
for d in "$shards_dir"/shard-*; do
  if [[ "${d##*/}" =~ ^shard-[0-9]+$ ]]; then shards+=("$d"); fi
done
if [ ${#shards[@]} -eq 0 ]; then
  echo "error: no shard folders in $shards_dir: run deploy/slurm-array.sh first (or set URBANIZE_SHARDS_DIR)" >&2
  exit 2
fi
# Every shard records its index and the shard count: name the ones that left no folder.
node -e '
  const fs = require("fs");
  const [dir, ...dirs] = process.argv.slice(1);
  const have = new Set(); let count = 0;
  for (const d of dirs) {
    try { const s = JSON.parse(fs.readFileSync(d + "/manifest.json", "utf8")).shard; if (s) { have.add(s.index); count = Math.max(count, s.count); } } catch {}
  }
  const missing = [...Array(count).keys()].filter((i) => !have.has(i));
  if (missing.length) {
    console.error(`error: ${missing.length} of ${count} shards missing in ${dir} (shard ${missing.join(", ")}; ` +
      `shard I is array task SLURM_ARRAY_TASK_MIN + I): rerun those tasks, then merge again`);
    process.exit(2);
  }' "$shards_dir" "${shards[@]}"
# On a restart of this job (requeued after a node failure) the merged folder is its own: replace it.
force=()
if [ "${SLURM_RESTART_COUNT:-0}" -gt 0 ]; then force=(--force); fi
node dist/cli/main.js merge "${shards[@]}" --out "$out" ${force[@]+"${force[@]}"} || [ $? -eq 1 ]
