#!/bin/sh
# `make profile`: everything one machine contributes, under results/<id>/
# (docs/profiling.md):
#   machine.json         the machine record (bdc info --json)
#   bench.json           bdc-bench's Google Benchmark report
#   profile/train.jsonl  one line per short training run (bdc train --json):
#                        every model with every native kernel family, one
#                        epoch over the first $PROFILE_TRAIN training images,
#                        tested on the first $PROFILE_TEST test images
#   profile/log.txt      what the runs printed on stderr
# and checks that every family trained to the same weights.
# usage: scripts/profile.sh [Google Benchmark flags for bdc-bench...]
# $BDC_BIN and $BDC_BENCH_BIN name the binaries (the Makefile sets them).
set -eu

bdc=${BDC_BIN:-./bdc}
bench=${BDC_BENCH_BIN:-build/release/bdc-bench}
train=${PROFILE_TRAIN:-10000}
test=${PROFILE_TEST:-2000}
models="bidir entangled binconv mlp"

for bin in "$bdc" "$bench"; do
    if [ ! -x "$bin" ]; then
        echo "profile: $bin is missing; run 'make profile' rather than this script" >&2
        exit 2
    fi
done
case "$train$test" in
*[!0-9]*) echo "profile: PROFILE_TRAIN and PROFILE_TEST must be numbers" >&2; exit 2 ;;
esac

id=$("$bdc" info --id)
out=results/$id
mkdir -p "$out/profile"
log=$out/profile/log.txt
: > "$log"

echo "profile: machine $id -> $out/"
"$bdc" info --json > "$out/machine.json"
"$bdc" info

# The families this CPU runs natively; emulated ones are no speed contenders.
natives=$("$bdc" info --json | python3 -c '
import json, sys
print(" ".join(k["name"] for k in json.load(sys.stdin)["kernels"] if k["status"] == "native"))')

echo "profile: benchmarks (a few minutes) -> $out/bench.json"
"$bench" --benchmark_time_unit=us --benchmark_out_format=json \
    --benchmark_out="$out/bench.json" "$@"

echo "profile: training runs ($models x $natives; $train images, 1 epoch) -> $out/profile/train.jsonl"
runs=$out/profile/train.jsonl
: > "$runs.tmp"
for model in $models; do
    for family in $natives; do
        printf '  %-10s %-7s ' "$model" "$family"
        if ! "$bdc" train --model "$model" --kernel "$family" --epochs 1 \
                --train-limit "$train" --test-limit "$test" --json \
                >> "$runs.tmp" 2>> "$log"; then
            echo "failed (see $log)"
            exit 1
        fi
        tail -n 1 "$runs.tmp" | python3 -c '
import json, sys
r = json.load(sys.stdin)
print("%.2f s training, test accuracy %.4f" % (r["train_seconds"], r["test_accuracy"]))'
    done
done
mv "$runs.tmp" "$runs"

# Every family must give the same weights, bit for bit (the spec's contract):
# a difference here is a bug on this CPU worth reporting.
python3 - "$runs" <<'PY'
import json, sys
by_model = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    by_model.setdefault(r["model"], {})[r["kernel"]] = r["weights_fnv1a64"]
bad = [m for m, fp in by_model.items() if len(set(fp.values())) > 1]
for m in bad:
    print("profile: %s: the families' weights differ: %s (please report this)" % (
        m, ", ".join("%s %s" % kv for kv in sorted(by_model[m].items()))), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
echo "profile: every family gave the same weights"

echo "profile: done.  Send the folder $out/ (e.g. tar czf $id.tar.gz $out)."
