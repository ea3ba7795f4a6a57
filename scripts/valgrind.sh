#!/bin/sh
# valgrind memcheck of bdc: a small training run of every model bdc knows
# (asked of bdc itself, so a new model is covered without editing this),
# recorded in a results folder, then the commands that read and combine
# results, and a sweep with its child runs.  Any memcheck report (invalid
# access, uninitialised value, leak of any kind bdc owns) fails the target.
# usage: scripts/valgrind.sh ./bdc
set -eu
bdc=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/bdc-valgrind-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

vg() {
    valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
        --errors-for-leak-kinds=all --track-origins=yes --num-callers=40 \
        --suppressions="$here/valgrind.supp" --trace-children=yes "$@"
}

# One line per step: what ran and how it ended.
step() {
    name=$1
    shift
    if vg "$@" > "$work/out" 2> "$work/err"; then
        echo "valgrind: ok    $name"
    else
        rc=$?
        cat "$work/err" >&2
        echo "valgrind: FAIL  $name (exit $rc; 99: memcheck errors)" >&2
        exit 1
    fi
}

# The same for a step that must fail with exit status 1 (not 99).
step_fails() {
    name=$1
    shift
    rc=0
    vg "$@" > "$work/out" 2> "$work/err" || rc=$?
    if [ "$rc" = 1 ]; then
        echo "valgrind: ok    $name (exit 1, as it should)"
    else
        cat "$work/err" >&2
        echo "valgrind: FAIL  $name (exit $rc, expected 1; 99: memcheck errors)" >&2
        exit 1
    fi
}

models=$("$bdc" train --model '?' 2>&1 | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ',')
[ -n "$models" ] || { echo "valgrind: cannot get the model list from $bdc train" >&2; exit 1; }

small="--hidden 8 --epochs 2 --train-limit 120 --test-limit 60 --eval-every 100"
for m in $models; do
    # shellcheck disable=SC2086
    step "train --model $m" "$bdc" train --model "$m" $small \
        --results "$work/r" --experiment vg --json
done
step "train --model bidir --kernel scalar" "$bdc" train --model bidir $small \
    --kernel scalar --results "$work/r" --experiment vg
# A commit that fails half-way and is undone (docs/robustness.md).
export BDC_TEST_FULL_DISK=runs.csv
step_fails "train, the disk full at runs.csv" "$bdc" train \
    --model bidir $small --results "$work/r" --experiment vg
unset BDC_TEST_FULL_DISK
step "table" "$bdc" table --results "$work/r" --experiment vg
step "merge" "$bdc" merge --into "$work/merged" "$work/r"
step "info --json" "$bdc" info --json
cat > "$work/tiny.sweep" <<SWEEP
experiment = vgsweep
model = bidir
hidden = 4, 6
epochs = 1
train-limit = 50
test-limit = 20
SWEEP
step "sweep (2 child runs)" "$bdc" sweep "$work/tiny.sweep" --results "$work/r"
step "sweep --list" "$bdc" sweep "$work/tiny.sweep" --list
echo "valgrind: every step clean"
