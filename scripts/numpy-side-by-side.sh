#!/bin/sh
# One epoch of the published NumPy `bidir` script beside one epoch of
# `bdc train --model bidir`, as a user would run both here (docs/engine.md).
#
# usage: scripts/numpy-side-by-side.sh PATH/TO/bidirect2.py [OUT.csv]
#
# The NumPy proof of concept is not part of bdc (it is someone else's
# code): fetch bidirect2.py from github.com/livinter/bi_direct_cluster
# yourself.  It loads MNIST through keras.datasets; this script gives it a
# stand-in module that reads the same IDX files bdc reads (data/mnist), so
# no keras is needed, and runs a copy with EPOCHS=1 under Debian's python3
# and numpy (python3-numpy, OpenBLAS through libopenblas0-pthread).  Both
# runs train one epoch and test on the 10 000 test images; the wall times
# of the whole commands are compared.
set -eu

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: scripts/numpy-side-by-side.sh PATH/TO/bidirect2.py [OUT.csv]" >&2
    exit 2
fi
script=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
out=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/deps.sh" reference
python=/usr/bin/python3
[ -x "$python" ] || { echo "numpy-side-by-side.sh: $python not found (Debian's python3)" >&2; exit 1; }
"$python" -c 'import numpy' 2>/dev/null ||
    { echo "numpy-side-by-side.sh: Debian's python3-numpy is missing (scripts/deps.sh reference)" >&2; exit 1; }
grep -q '^EPOCHS *=' "$script" ||
    { echo "numpy-side-by-side.sh: $1 has no EPOCHS line; is it bidirect2.py?" >&2; exit 1; }

cd "$root"
make -s bdc >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/keras/datasets"
: > "$tmp/keras/__init__.py"
: > "$tmp/keras/datasets/__init__.py"
cat > "$tmp/keras/datasets/mnist.py" <<EOF
# A stand-in for keras.datasets.mnist: the IDX files bdc reads.
import os, numpy as np
def _read(name, offset, shape):
    with open(os.path.join("$root/data/mnist", name), "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset).reshape(shape)
def load_data():
    return ((_read("train-images-idx3-ubyte", 16, (-1, 28, 28)),
             _read("train-labels-idx1-ubyte", 8, (-1,))),
            (_read("t10k-images-idx3-ubyte", 16, (-1, 28, 28)),
             _read("t10k-labels-idx1-ubyte", 8, (-1,))))
EOF
sed 's/^EPOCHS *=.*/EPOCHS = 1/' "$script" > "$tmp/bidirect2_1epoch.py"

now() { "$python" -c 'import time; print(time.monotonic())'; }
t0=$(now)
PYTHONPATH="$tmp" "$python" "$tmp/bidirect2_1epoch.py" > "$tmp/numpy.out"
t1=$(now)
./bdc train --model bidir --epochs 1 --json > "$tmp/bdc.json"
t2=$(now)

"$python" - "$tmp" "$t0" "$t1" "$t2" "$out" <<'EOF'
import json, sys
tmp, t0, t1, t2, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
numpy_s, bdc_s = t1 - t0, t2 - t1
last = [l for l in open(tmp + "/numpy.out") if l.startswith("Test")]
r = json.load(open(tmp + "/bdc.json"))
print("one epoch of bidir, training and test, wall time:")
print("  NumPy bidirect2.py: %.1f s (%s)" % (numpy_s, last[-1].strip() if last else "no test line"))
print("  bdc train:          %.2f s (test accuracy %.4f, %d threads)" % (bdc_s, r["test_accuracy"], r["threads"]))
print("  speed-up:           %.0fx" % (numpy_s / bdc_s))
if out:
    with open(out, "w") as f:
        f.write("numpy_seconds,bdc_seconds,speedup,bdc_threads,bdc_test_accuracy\n")
        f.write("%.3f,%.3f,%.1f,%d,%.4f\n" % (numpy_s, bdc_s, numpy_s / bdc_s, r["threads"], r["test_accuracy"]))
EOF
