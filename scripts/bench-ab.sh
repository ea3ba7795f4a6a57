#!/bin/sh
# A/B of two commits on a shared, noisy machine: builds bdc-bench at each
# commit (in temporary git worktrees), then runs the benchmarks matching
# FILTER with the two binaries in turn, PAIRS times, and writes a CSV of
# every pair:
#   pair,benchmark,old_ns,new_ns,new_over_old
# and, per benchmark, two last rows: "median" (of the per-pair ratios) and
# "fastest" (each side's fastest time, and their ratio).  A slow spell of
# the machine then falls on both sides of a pair, and the median of the
# ratios drops the pairs it split; noise only ever adds time, so the
# fastest runs show what each side can do when it is left alone.
#
# usage: scripts/bench-ab.sh OLD_REV NEW_REV FILTER OUT.csv [PAIRS]
#   e.g. scripts/bench-ab.sh HEAD~1 HEAD 'forward_panel/784x1500/avx2' /tmp/ab.csv 7
# PAIRS defaults to 5.  Times are Google Benchmark's real time per call;
# a benchmark skipped by either side (no data, a family the CPU cannot
# run) is left out.  The datasets are this checkout's data/ (BDC_DATA_DIR).
set -eu

if [ $# -lt 4 ] || [ "$1" = "--help" ]; then
    sed -n '2,17s/^# \{0,1\}//p' "$0"
    [ $# -ge 1 ] && [ "$1" = "--help" ] && exit 0
    exit 2
fi
old_rev=$1 new_rev=$2 filter=$3 out=$4 pairs=${5:-5}
case "$pairs" in ''|*[!0-9]*|0) echo "bench-ab.sh: PAIRS must be a positive number, not '$pairs'" >&2; exit 2 ;; esac
out_dir=$(dirname "$out")
[ -d "$out_dir" ] && [ -w "$out_dir" ] ||
    { echo "bench-ab.sh: cannot write $out: '$out_dir' is not a writable folder" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for rev in "$old_rev" "$new_rev"; do
    git rev-parse --verify --quiet "$rev^{commit}" >/dev/null ||
        { echo "bench-ab.sh: '$rev' is not a commit of this repository" >&2; exit 2; }
done

tmp=$(mktemp -d)
cleanup() {
    for side in old new; do
        [ -d "$tmp/$side" ] && git worktree remove --force "$tmp/$side" >/dev/null 2>&1
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

# Each side's bdc-bench, built in a worktree of its commit.
for side in old new; do
    [ "$side" = old ] && rev=$old_rev || rev=$new_rev
    git worktree add --detach --quiet "$tmp/$side" "$rev"
    make -s -C "$tmp/$side" build/release/bdc-bench >"$tmp/$side.log" 2>&1 ||
        { echo "bench-ab.sh: building bdc-bench at $rev failed; its output:" >&2; cat "$tmp/$side.log" >&2; exit 1; }
done

i=1
while [ "$i" -le "$pairs" ]; do
    for side in old new; do
        BDC_DATA_DIR=${BDC_DATA_DIR:-$root/data} \
        "$tmp/$side/build/release/bdc-bench" --benchmark_filter="$filter" \
            --benchmark_format=json >"$tmp/$side.$i.json" 2>"$tmp/$side.err" ||
            { echo "bench-ab.sh: bdc-bench of the $side commit failed: $(tail -n 1 "$tmp/$side.err")" >&2; exit 1; }
    done
    i=$((i + 1))
done

python3 - "$tmp" "$pairs" "$out" "$filter" <<'EOF'
import json, os, statistics, sys
tmp, pairs, out, filt = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def times(path):
    runs = json.load(open(path))["benchmarks"]
    return {b["run_name"]: b["real_time"] * {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b["time_unit"]]
            for b in runs if b.get("run_type", "iteration") == "iteration"
            and not b.get("error_occurred") and b["real_time"] > 0}
rows, ratios, fastest = [], {}, {}
for i in range(1, pairs + 1):
    old = times(os.path.join(tmp, "old.%d.json" % i))
    new = times(os.path.join(tmp, "new.%d.json" % i))
    for name in sorted(old):
        if name in new:
            r = new[name] / old[name]
            rows.append((str(i), name, old[name], new[name], r))
            ratios.setdefault(name, []).append(r)
            o, n = fastest.get(name, (old[name], new[name]))
            fastest[name] = (min(o, old[name]), min(n, new[name]))
if not rows:
    sys.exit("bench-ab.sh: no benchmark matches '%s' in both commits" % filt)
with open(out + ".tmp", "w") as f:  # renamed when whole: no half-written CSV
    f.write("pair,benchmark,old_ns,new_ns,new_over_old\n")
    for p, name, o, n, r in rows:
        f.write("%s,%s,%.1f,%.1f,%.4f\n" % (p, name, o, n, r))
    for name in sorted(ratios):
        f.write("median,%s,,,%.4f\n" % (name, statistics.median(ratios[name])))
    for name in sorted(fastest):
        o, n = fastest[name]
        f.write("fastest,%s,%.1f,%.1f,%.4f\n" % (name, o, n, n / o))
os.replace(out + ".tmp", out)
for name in sorted(ratios):
    rs = ratios[name]
    o, n = fastest[name]
    print("%s: new/old %.3f (median of %d pairs; %.3f-%.3f), fastest runs %.3f"
          % (name, statistics.median(rs), len(rs), min(rs), max(rs), n / o))
EOF
