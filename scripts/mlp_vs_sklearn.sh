#!/bin/sh
# Times bdc's mlp baseline and scikit-learn's MLPClassifier of the same
# shape, batch, step size and epochs, side by side on this machine, and
# prints the ratio of their training times (docs/mlp.md).
# usage: scripts/mlp_vs_sklearn.sh [REPEATS] [-- extra flags for both, e.g. --batch 32]
# The flags passed after -- must be ones both understand: --hidden --batch
# --lr --epochs --seed.  Needs ./bdc (make) and scripts/deps.sh reference.
set -eu
cd "$(dirname "$0")/.."
repeats=${1:-1}
[ $# -gt 0 ] && shift
[ "${1:-}" = "--" ] && shift
case $repeats in ''|*[!0-9]*) echo "mlp_vs_sklearn.sh: REPEATS must be a whole number" >&2; exit 2 ;; esac
[ -x ./bdc ] || { echo "mlp_vs_sklearn.sh: ./bdc is missing; run make" >&2; exit 1; }
scripts/deps.sh reference

field() { sed -n "s/.*\"$1\": \\([^,}]*\\).*/\\1/p" | tr -d '"'; }

i=0
while [ "$i" -lt "$repeats" ]; do
    i=$((i + 1))
    b=$(./bdc train --model mlp --json "$@")
    s=$(/usr/bin/python3 scripts/sklearn_mlp.py "$@")
    bt=$(echo "$b" | field train_seconds)
    st=$(echo "$s" | field train_seconds)
    printf 'run %d: bdc mlp (kernel %s) %.2f s, test %.2f%% | sklearn %.2f s, test %.2f%% | sklearn/bdc %.2fx\n' \
        "$i" "$(echo "$b" | field kernel)" "$bt" \
        "$(echo "$b" | field test_accuracy | awk '{print 100*$1}')" "$st" \
        "$(echo "$s" | field test_accuracy | awk '{print 100*$1}')" \
        "$(awk -v a="$st" -v b="$bt" 'BEGIN{print a/b}')"
done
echo "sklearn: $(echo "$s" | field sklearn_version), BLAS $(echo "$s" | sed -n 's/.*"blas": \[\([^]]*\)\].*/\1/p')"
