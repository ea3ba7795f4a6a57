#!/bin/sh
# Trains bidir for one epoch once per native kernel family (scalar first, as
# the baseline) and writes a CSV:
#   family,train_seconds,test_accuracy,weights_fnv1a64,speedup_vs_scalar
# Every family must give scalar's weights; a difference is an error (exit 1).
# Emulated families are left out: they are correctness checks, not contenders.
#
# usage: scripts/family-speedup.sh OUT.csv [bdc train options...]
#   e.g. scripts/family-speedup.sh /tmp/speedup.csv --train-limit 2000
# The extra options are passed to every run.  BDC_BIN names the program
# (default ./bdc).  One run per family: timings on a busy machine are noisy.
set -eu

if [ $# -lt 1 ] || [ "$1" = "--help" ]; then
    sed -n '2,11s/^# \{0,1\}//p' "$0"
    [ $# -ge 1 ] && exit 0
    exit 2
fi
out=$1
shift
bdc=${BDC_BIN:-./bdc}
if [ ! -x "$bdc" ]; then
    echo "family-speedup.sh: $bdc is not an executable; run make first or set BDC_BIN" >&2
    exit 2
fi

# The value of one field of a one-line JSON object (quotes stripped).
field() {
    printf '%s\n' "$1" | sed -n "s/.*\"$2\": \"\{0,1\}\([^\",}]*\).*/\1/p"
}

native=$("$bdc" info --json | tr '{' '\n' |
    sed -n 's/^"name": "\([a-z0-9_]*\)", "status": "native".*/\1/p' | grep -vx scalar || true)

rows=""
base=""
base_fp=""
for family in scalar $native; do
    echo "+ $bdc train --model bidir --epochs 1 --json --kernel $family $*" >&2
    json=$("$bdc" train --model bidir --epochs 1 --json --kernel "$family" "$@")
    seconds=$(field "$json" train_seconds)
    accuracy=$(field "$json" test_accuracy)
    fp=$(field "$json" weights_fnv1a64)
    if [ -z "$seconds" ] || [ -z "$accuracy" ] || [ -z "$fp" ]; then
        echo "family-speedup.sh: unexpected output of $bdc train: $json" >&2
        exit 1
    fi
    if [ -z "$base" ]; then
        base=$seconds
        base_fp=$fp
    elif [ "$fp" != "$base_fp" ]; then
        echo "family-speedup.sh: $family trained weights $fp, scalar $base_fp" >&2
        exit 1
    fi
    speedup=$(awk -v b="$base" -v s="$seconds" 'BEGIN { printf "%.3f", b / s }')
    rows="$rows$family,$seconds,$accuracy,$fp,$speedup
"
done

{
    echo "family,train_seconds,test_accuracy,weights_fnv1a64,speedup_vs_scalar"
    printf '%s' "$rows"
} >"$out"
echo "family-speedup.sh: wrote $out" >&2
