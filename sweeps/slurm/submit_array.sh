#!/bin/bash
# Submits a sweep as an N-task job array plus a job that merges the shards when all succeed.
#   sweeps/slurm/submit_array.sh sweeps/overnight.yaml 64 [OUT_DIR]
# Result: OUT_DIR.sqlite (default results/NAME.sqlite), then: chipdse pareto --db OUT_DIR.sqlite
set -euo pipefail
SWEEP=${1:?usage: submit_array.sh SWEEP.yaml TASKS [OUT_DIR]}
N=${2:?usage: submit_array.sh SWEEP.yaml TASKS [OUT_DIR]}
OUT=${3:-results/$(basename "$SWEEP" .yaml)}
CHIPDSE=${CHIPDSE:-build/bin/chipdse}
HERE=$(dirname "$0")

array=$(sbatch --parsable --array=0-$((N - 1)) "$HERE/sweep_array.sbatch" "$SWEEP" "$OUT")
merge=$(sbatch --parsable --dependency=afterok:"$array" --job-name=chipdse-merge --time=01:00:00 \
  --output=chipdse-merge-%j.log --wrap="$CHIPDSE merge $OUT.sqlite $OUT/shard-*-of-$N.sqlite")
echo "submitted array $array ($N tasks) and merge $merge -> $OUT.sqlite"
