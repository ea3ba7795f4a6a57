#!/usr/bin/python3
"""`make check-reference`: runs the spec oracle (spec_ref.py) and `bdc train`
side by side on small slices and fails on any difference in the test result
or the weights' fingerprint.  Also re-derives the expected values committed
in tests/e2e_cases.h (the constants of the e2e suite) and fails if one of
them is stale.

usage: check_reference.py [--bdc PATH] [--print]
  --print   print the BDC_E2E_CASES lines as the oracle derives them
            (to paste into tests/e2e_cases.h after a deliberate change)
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FASHION_DIR = "/usr/share/datasets/fashion-mnist"

# Heavier or odder runs than the e2e suite affords: the published widths,
# ablations of every spec constant, the full test set, Fashion-MNIST.
EXTRA_CASES = [
    "--model bidir --train-limit 3000 --test-limit 1000 --hidden 1500 --epochs 1",
    "--model entangled --train-limit 3000 --test-limit 1000 --hidden 784 --epochs 1",
    "--model binconv --train-limit 1000 --test-limit 500 --hidden 1000 --epochs 1",
    "--model bidir --train-limit 1000 --test-limit 10000 --hidden 32 --epochs 1",
    "--model bidir --train-limit 1500 --test-limit 500 --hidden 64 --epochs 2 --beta 0",
    "--model bidir --train-limit 1500 --test-limit 500 --hidden 64 --epochs 2 --alpha 0",
    "--model entangled --train-limit 1500 --test-limit 500 --hidden 64 --epochs 2 --beta 0",
    "--model bidir --train-limit 4000 --test-limit 500 --hidden 3 --epochs 3",
    "--model binconv --train-limit 3000 --test-limit 500 --hidden 4 --epochs 2",
    "--model bidir --train-limit 800 --test-limit 300 --hidden 40 --epochs 2 "
    "--lr 0.2 --lr-horizon 50 --decay 0.9 --init 0.3 --q-input 0.5 --q-label 1.5",
    "--model entangled --train-limit 600 --test-limit 300 --hidden 40 --epochs 2 --init 0",
    "--model entangled --train-limit 600 --test-limit 300 --hidden 40 --epochs 2 --init -0.25",
    "--model entangled --dataset fashion --train-limit 1000 --test-limit 500 --hidden 64 --epochs 2",
    "--model binconv --dataset fashion --train-limit 500 --test-limit 300 --hidden 64 --epochs 2",
]

CASE_LINE = re.compile(
    r'X\((\w+),\s*"([^"]*)",\s*(\d+),\s*(\d+),\s*"([0-9a-f]{16})"\)')


def e2e_cases():
    """(name, args, correct, samples, fingerprint) from tests/e2e_cases.h."""
    with open(os.path.join(ROOT, "tests", "e2e_cases.h")) as f:
        cases = [(m[1], m[2], int(m[3]), int(m[4]), m[5])
                 for m in CASE_LINE.finditer(f.read())]
    if not cases:
        sys.exit("check-reference: no cases found in tests/e2e_cases.h")
    return cases


def oracle_args(args):
    """The oracle reads the files itself: --dataset becomes --data-dir."""
    words = shlex.split(args)
    dataset = "mnist"
    if "--dataset" in words:
        at = words.index("--dataset")
        dataset = words[at + 1]
        del words[at:at + 2]
    if dataset == "fashion":
        folder = FASHION_DIR
    else:
        root = os.environ.get("BDC_DATA_DIR") or os.path.join(ROOT, "data")
        folder = os.path.join(root, "mnist")
    return words + ["--data-dir", folder]


def run(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"check-reference: {shlex.join(cmd)} exited "
                 f"{done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def compare(bdc, args):
    """Both results of one configuration, run concurrently (2 processes)."""
    start = time.time()
    ref_cmd = ["/usr/bin/python3", os.path.join(HERE, "spec_ref.py")] + oracle_args(args)
    bdc_cmd = [bdc, "train", "--json"] + shlex.split(args)
    ref_proc = subprocess.Popen(ref_cmd, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    got = run(bdc_cmd)
    out, err = ref_proc.communicate()
    if ref_proc.returncode != 0:
        sys.exit(f"check-reference: {shlex.join(ref_cmd)} exited "
                 f"{ref_proc.returncode}: {err.strip()}")
    ref = json.loads(out)
    return ref, got, time.time() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bdc", default=os.path.join(ROOT, "bdc"))
    p.add_argument("--print", action="store_true")
    args = p.parse_args()

    failures = 0
    keys = ("test_samples", "test_correct", "test_accuracy", "weights_fnv1a64")
    rows = [(name, a, (correct, samples, fp)) for name, a, correct, samples, fp
            in e2e_cases()] + [(None, a, None) for a in EXTRA_CASES]
    derived = []
    for name, case_args, committed in rows:
        ref, got, seconds = compare(args.bdc, case_args)
        problems = [f"{k}: oracle {ref[k]!r}, bdc {got[k]!r}"
                    for k in keys if ref[k] != got[k]]
        if committed is not None:
            correct, samples, fp = committed
            if (ref["test_correct"], ref["test_samples"], ref["weights_fnv1a64"]) \
                    != (correct, samples, fp):
                problems.append(
                    f"tests/e2e_cases.h says {correct}/{samples} {fp}, the oracle "
                    f"derives {ref['test_correct']}/{ref['test_samples']} "
                    f"{ref['weights_fnv1a64']}")
            derived.append(
                f'    X({name}, "{case_args}", {ref["test_correct"]}, '
                f'{ref["test_samples"]}, "{ref["weights_fnv1a64"]}")')
        status = "ok  " if not problems else "FAIL"
        print(f"{status} {ref['test_correct']:5}/{ref['test_samples']:<5} "
              f"{ref['weights_fnv1a64']}  {seconds:5.1f}s  {case_args}", flush=True)
        for problem in problems:
            print(f"     {problem}")
        failures += bool(problems)
    if args.print:
        print(" \\\n".join(derived))
    if failures:
        print(f"check-reference: {failures} of {len(rows)} configurations differ")
        return 1
    print(f"check-reference: oracle and bdc agree on all {len(rows)} configurations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
