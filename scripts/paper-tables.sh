#!/bin/sh
# The paper's tables of an experiment, in Markdown and LaTeX, from recorded
# results alone (no training): `make tables` runs it.
# usage: scripts/paper-tables.sh RESULTS EXPERIMENT OUT
#   RESULTS/<machine>/EXPERIMENT/runs.csv -> OUT/<machine>/NAME.{md,tex};
#   with several machines also OUT/machines.{md,tex}.
# $BDC is the bdc to run (default ./bdc).  docs/tables.md explains them.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 RESULTS EXPERIMENT OUT" >&2; exit 2; }
results=$1 experiment=$2 out=$3
bdc=${BDC:-./bdc}

# One table in both formats: NAME, then bdc table's arguments.
table() {
    name=$1
    shift
    "$bdc" table "$@" --format markdown > "$name.md"
    "$bdc" table "$@" --format latex > "$name.tex"
    echo "$name.md $name.tex"
}

folders=""
for runs in "$results"/*/"$experiment"/runs.csv; do
    [ -f "$runs" ] || continue
    dir=${runs%/runs.csv}
    machine=$(basename "$(dirname "$dir")")
    folders="$folders $dir"
    mkdir -p "$out/$machine"
    o=$out/$machine

    # Every learner at every size with the published mixing weights (the
    # ablations have other alphas; the mlp has none: 0 in runs.csv), each
    # run by its fastest kernel family on this machine.
    table "$o/comparison" "$dir" --fastest --where 'model=mlp|alpha=1.75' --group dataset

    # The ablation of bidir's winner mixing weights.
    table "$o/ablation" "$dir" --fastest --where model=bidir --group dataset \
        --columns hidden,epochs,alpha,beta,accuracy,train_gflop,time_to_target \
        --sort hidden,epochs,-alpha

    # End-to-end speed-up: the runs made with several kernel families
    # (and thread counts).
    if "$bdc" table "$dir" --compared --columns run_id | grep -q '^[a-z]*-h[0-9]'; then
        table "$o/speedup" "$dir" --compared --group model \
            --columns model,dataset,hidden,epochs,kernel,threads,train_s,speedup \
            --sort dataset,hidden,epochs,speedup
    fi
done
[ -n "$folders" ] || {
    echo "paper-tables: no $results/<machine>/$experiment/runs.csv" >&2
    exit 1
}

# Several machines: the same runs side by side.
set -- $folders
if [ $# -gt 1 ]; then
    table "$out/machines" "$@" --fastest --where 'model=mlp|alpha=1.75' --group dataset \
        --columns model,hidden,epochs,machine,kernel,accuracy,train_s \
        --sort model,hidden,epochs,machine
fi
