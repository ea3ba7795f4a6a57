#!/bin/sh
# The blocked engine's speed on the published bidir run (docs/engine.md):
# five timed runs of `bdc train --model bidir` (training and test), their
# median, and the sustained rate of executed multiply-adds against the
# machine's peak for separate multiply and add (the roofline probe of
# bench/, run on every core used at the same time, summed; before and
# after the runs, the larger kept).
#
# usage: scripts/engine-timing.sh OUT.csv [THREADS] [REPEATS] [-- extra bdc train flags]
#   THREADS  default: every core bdc may use;  REPEATS  default 5
#
# OUT.csv gets one row per run and a last row "median" (per column);
# every run must end with the same weights, or the script fails.
set -eu

if [ $# -lt 1 ]; then
    echo "usage: scripts/engine-timing.sh OUT.csv [THREADS] [REPEATS] [-- bdc train flags]" >&2
    exit 2
fi
out=$1; shift
threads=""; repeats=5
if [ $# -gt 0 ] && [ "$1" != "--" ]; then threads=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then repeats=$1; shift; fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
case "$repeats" in ''|*[!0-9]*) echo "engine-timing.sh: REPEATS must be a number" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
make -s bdc build/release/bdc-bench >/dev/null
[ -n "$threads" ] || threads=$(./bdc info --json | python3 -c \
    'import json,sys; m=json.load(sys.stdin)["machine"]; print(m.get("cores_allowed") or m["cores"])')

# The peak: the separate multiply-and-add probe of bench/ on every core used
# at once (FLOP/s summed; a multiply-add is two FLOPs).  At once, because a
# core runs slower while the others are busy too, as they are in training.
# Measured before and after the runs, the larger kept: the machine's speed
# drifts by a few percent, and the higher peak is the harder bar.
measure_peak() {
    probes=$(mktemp -d)
    core=0
    while [ "$core" -lt "$threads" ]; do
        BDC_BENCH_CORE=$core build/release/bdc-bench --benchmark_filter='^roofline/mul_add' \
            --benchmark_min_time=1 --benchmark_format=json > "$probes/core$core.json" 2>/dev/null &
        core=$((core + 1))
    done
    wait
    python3 - "$probes" <<'EOF_PEAK'
import glob, json, sys
total = 0.0
for path in glob.glob(sys.argv[1] + "/core*.json"):
    runs = json.load(open(path))["benchmarks"]
    total += max(b["FLOPS"] for b in runs if b["run_name"].startswith("roofline/mul_add"))
print(total)
EOF_PEAK
    rm -rf "$probes"
}
peak_before=$(measure_peak)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
i=1
while [ "$i" -le "$repeats" ]; do
    start=$(python3 -c 'import time; print(time.monotonic())')
    ./bdc train --model bidir --threads "$threads" --json "$@" > "$tmp/run$i.json"
    python3 -c "import time; print(time.monotonic() - $start)" > "$tmp/wall$i"
    i=$((i + 1))
done
peak_after=$(measure_peak)
peak_flops=$(python3 -c "print(max($peak_before, $peak_after))")

python3 - "$tmp" "$repeats" "$threads" "$peak_flops" "$out" <<'EOF'
import json, os, statistics, sys
tmp, repeats, threads, peak_flops, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
cols = ["run", "threads", "wall_seconds", "prep_seconds", "train_seconds", "test_seconds",
        "train_plus_test_seconds", "engine_macs", "macs_per_second", "peak_macs_per_second",
        "fraction_of_peak", "test_correct", "peak_rss_bytes", "weights_fnv1a64"]
rows = []
for i in range(1, repeats + 1):
    r = json.load(open(os.path.join(tmp, "run%d.json" % i)))
    wall = float(open(os.path.join(tmp, "wall%d" % i)).read())
    macs = r.get("engine_macs", r["train_macs"])  # the sample engine reports no engine_macs
    rate = macs / r["train_seconds"]
    rows.append({"run": str(i), "threads": threads, "wall_seconds": wall,
                 "prep_seconds": r["prep_seconds"], "train_seconds": r["train_seconds"],
                 "test_seconds": r["test_seconds"],
                 "train_plus_test_seconds": r["train_seconds"] + r["test_seconds"],
                 "engine_macs": int(macs), "macs_per_second": rate,
                 "peak_macs_per_second": peak_flops / 2, "fraction_of_peak": rate / (peak_flops / 2),
                 "test_correct": int(r["test_correct"]), "peak_rss_bytes": int(r["peak_rss_bytes"]),
                 "weights_fnv1a64": r["weights_fnv1a64"]})
if len({row["weights_fnv1a64"] for row in rows}) != 1:
    sys.exit("engine-timing.sh: the runs ended with different weights")
median = {"run": "median"}
for c in cols[1:]:
    values = [row[c] for row in rows]
    if isinstance(values[0], int):
        median[c] = int(statistics.median_low(values))
    elif isinstance(values[0], float):
        median[c] = statistics.median(values)
    else:
        median[c] = values[0]
with open(out, "w") as f:
    f.write(",".join(cols) + "\n")
    for row in rows + [median]:
        f.write(",".join(("%.6f" % row[c]) if isinstance(row[c], float) else str(row[c]) for c in cols) + "\n")
m = median
print("bidir, %d threads, median of %d: %.2f s wall (train %.2f s + test %.2f s, prep %.2f s); "
      "%.1f G multiply-adds/s = %.3f of the peak (%.1f G/s); peak memory %.0f MiB; weights %s"
      % (threads, repeats, m["wall_seconds"], m["train_seconds"], m["test_seconds"],
         m["prep_seconds"], m["macs_per_second"] / 1e9, m["fraction_of_peak"],
         m["peak_macs_per_second"] / 1e9, m["peak_rss_bytes"] / 1048576, m["weights_fnv1a64"]))
EOF
