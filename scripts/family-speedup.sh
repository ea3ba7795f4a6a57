#!/bin/sh
# Trains bidir for one epoch with each native kernel family (scalar first,
# as the baseline), $REPEATS rounds of every family in turn (default 3),
# and writes a CSV of each family's median training time:
#   family,train_seconds,test_accuracy,weights_fnv1a64,speedup_vs_scalar
# Every family must give scalar's weights; a difference is an error (exit 1).
# Emulated families are left out: they are correctness checks, not contenders.
#
# usage: scripts/family-speedup.sh OUT.csv [bdc train options...]
#   e.g. scripts/family-speedup.sh /tmp/speedup.csv --train-limit 2000
# The extra options are passed to every run.  BDC_BIN names the program
# (default ./bdc).  Rounds alternate the families, so that a slow spell of
# a shared machine falls on all of them; the median drops it.
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

repeats=${REPEATS:-3}
case "$repeats" in ''|*[!0-9]*|0) echo "family-speedup.sh: REPEATS must be a positive number" >&2; exit 2 ;; esac

times=$(mktemp)
trap 'rm -f "$times"' EXIT
round=1
while [ "$round" -le "$repeats" ]; do
    for family in scalar $native; do
        echo "+ $bdc train --model bidir --epochs 1 --json --kernel $family $* (round $round)" >&2
        json=$("$bdc" train --model bidir --epochs 1 --json --kernel "$family" "$@")
        seconds=$(field "$json" train_seconds)
        accuracy=$(field "$json" test_accuracy)
        fp=$(field "$json" weights_fnv1a64)
        if [ -z "$seconds" ] || [ -z "$accuracy" ] || [ -z "$fp" ]; then
            echo "family-speedup.sh: unexpected output of $bdc train: $json" >&2
            exit 1
        fi
        echo "$family $seconds $accuracy $fp" >>"$times"
    done
    round=$((round + 1))
done

rows=""
base=""
base_fp=""
for family in scalar $native; do
    seconds=$(awk -v f="$family" '$1 == f { print $2 }' "$times" | sort -g |
        awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
    accuracy=$(awk -v f="$family" '$1 == f { print $3; exit }' "$times")
    fp=$(awk -v f="$family" '$1 == f { print $4 }' "$times" | sort -u)
    if [ "$(printf '%s\n' "$fp" | wc -l)" -ne 1 ]; then
        echo "family-speedup.sh: $family trained different weights from run to run" >&2
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
