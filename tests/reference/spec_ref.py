#!/usr/bin/python3
"""An independent oracle for bdc's learners, written from the spec
(../shared/docs/algorithms.md), not from the C code.

Every float32 operation is a NumPy float32 operation on its own, so it is
rounded on its own; every sum is an explicit loop over the non-zero inputs
in ascending order, starting from +0.0f (never np.sum or matmul, which
reorder).  The scalar coefficients (t of GReLU, lr, c1..c3, the binconv
weights and feature levels) are Python floats, i.e. double, rounded once.

usage: spec_ref.py --model bidir|entangled|binconv --data-dir DIR
                   --train-limit N --test-limit M --hidden H --epochs E
                   [--alpha A --beta B --lr LR --lr-horizon T --decay D
                    --init W --q-input Q --q-label Q]
prints one JSON object: test_correct, test_accuracy, weights_fnv1a64, ...
"""
import argparse
import gzip
import json
import math
import os
import sys

import numpy as np

F32 = np.float32
CLASSES = 10

# The published constants (spec): model -> defaults.
PUBLISHED = {
    "bidir": dict(hidden=1500, epochs=8, alpha=1.75, beta=1.0, init=0.9,
                  lr=0.03, lr_horizon=8000.0, decay=0.99, q_input=1.0, q_label=1.0),
    "entangled": dict(hidden=784, epochs=3, alpha=1.75, beta=1.0, init=0.75,
                      lr=0.04, lr_horizon=4000.0, decay=0.986, q_input=1.2, q_label=1.0),
    "binconv": dict(hidden=1000, epochs=2, alpha=1.75, beta=1.0, init=0.75,
                    lr=0.04, lr_horizon=4000.0, decay=0.986, q_input=1.0, q_label=1.0),
}


# --- data ---------------------------------------------------------------

def read_idx(path, ndims):
    """The unsigned-byte payload of an IDX file as an array of its shape."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 8 or raw[3] != ndims:
        sys.exit(f"{path}: not an unsigned-byte IDX file of {ndims} dimensions")
    dims = [int.from_bytes(raw[4 + 4 * d:8 + 4 * d], "big") for d in range(ndims)]
    body = raw[4 + 4 * ndims:]
    if len(body) != math.prod(dims):
        sys.exit(f"{path}: payload of {len(body)} bytes, expected {math.prod(dims)}")
    return np.frombuffer(body, dtype=np.uint8).reshape(dims)


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if os.path.exists(os.path.join(folder, name)):
            return os.path.join(folder, name)
    sys.exit(f"{folder}: no {stem} or {stem}.gz")


def load_split(folder, prefix, limit):
    images = read_idx(find(folder, f"{prefix}-images-idx3-ubyte"), 3)[:limit]
    labels = read_idx(find(folder, f"{prefix}-labels-idx1-ubyte"), 1)[:limit]
    # pixel / 255.0f: a float32 division.
    x = images.reshape(len(images), -1).astype(F32) / F32(255.0)
    assert x.dtype == F32
    return x, labels.astype(np.int64)


# --- the operations of the spec ------------------------------------------

def vecmat(x, W):
    """x . W, W given as rows (one row per input): one float32 accumulator
    per output, from +0.0f, adding x_i * W[i] for the non-zero x_i in
    ascending i."""
    s = np.zeros(W.shape[1], dtype=F32)
    for i in np.flatnonzero(x):
        s = s + x[i] * W[i]
    assert s.dtype == F32
    return s


def grelu(v):
    m = np.max(v)  # NaN anywhere makes m NaN: not a finite number > 0
    if not (np.isfinite(m) and m > 0):
        return np.zeros_like(v)
    t = F32(0.95 * float(m))  # the product in double, rounded once
    u = v - t
    m2 = np.max(u)
    if not m2 > 0:
        return np.zeros_like(v)
    q = u / m2
    assert q.dtype == F32
    # max(q, 0); a zero result is +0 (np.maximum would keep a -0).
    return np.where(q > 0, q, F32(0.0))


def argmax_first(v):
    best = 0
    for i in range(1, len(v)):
        if v[i] > v[best]:
            best = i
    return best


def winner(h, e, alpha, beta):
    s = F32(alpha) * h + F32(beta) * e
    assert s.dtype == F32
    return argmax_first(s)


def nudge(w, a, lr, q, decay):
    """The nudge of w toward a: the coefficients in double, rounded once;
    each element-wise operation float32."""
    c1, c2, c3, d = F32(lr * q), F32(2 * lr), F32(lr * (2 - q)), F32(decay)
    f = (c1 * a - c2) + d
    w = w * f
    w = w + c3 * a
    assert w.dtype == F32
    return w


def learning_rate(cfg, n):
    return cfg["lr"] * cfg["lr_horizon"] / (cfg["lr_horizon"] + n)


def onehot(label):
    y = np.zeros(CLASSES, dtype=F32)
    y[label] = F32(1.0)
    return y


# --- the models -----------------------------------------------------------

class Bidir:
    """A is D x H, B is H x C."""

    def __init__(self, cfg, dim):
        self.cfg = cfg
        self.A = np.full((dim, cfg["hidden"]), F32(cfg["init"]), dtype=F32)
        self.B = np.full((cfg["hidden"], CLASSES), F32(cfg["init"]), dtype=F32)

    def forward(self, x):
        h = grelu(vecmat(x, self.A))
        o = grelu(vecmat(h, self.B))
        return h, argmax_first(o)

    def predict(self, x):
        return self.forward(x)[1]

    def train_step(self, x, label, n):
        cfg = self.cfg
        h, _ = self.forward(x)
        y = onehot(label)
        # B.y: one accumulator per hidden neuron, over the classes.
        e = grelu(vecmat(y, self.B.T))
        k = winner(h, e, cfg["alpha"], cfg["beta"])
        lr = learning_rate(cfg, n)
        self.A[:, k] = nudge(self.A[:, k], x, lr, cfg["q_input"], cfg["decay"])
        self.B[k, :] = nudge(self.B[k, :], y, lr, cfg["q_label"], cfg["decay"])

    def weights(self):
        return [self.A, self.B]


class Entangled:
    """A is D x H (image side), L is C x H (label side)."""

    def __init__(self, cfg, dim):
        self.cfg = cfg
        self.A = np.full((dim, cfg["hidden"]), F32(cfg["init"]), dtype=F32)
        self.L = np.full((CLASSES, cfg["hidden"]), F32(cfg["init"]), dtype=F32)

    def predict(self, x, a=None):
        if a is None:
            a = grelu(vecmat(x, self.A))
        # a . L^T: one accumulator per class, over the hidden neurons.
        return argmax_first(vecmat(a, self.L.T))

    def train_step(self, x, label, n):
        cfg = self.cfg
        a = grelu(vecmat(x, self.A))
        y = onehot(label)
        b = grelu(vecmat(y, self.L))
        k = winner(a, b, cfg["alpha"], cfg["beta"])
        lr = learning_rate(cfg, n)
        self.A[:, k] = nudge(self.A[:, k], x, lr, cfg["q_input"], cfg["decay"])
        self.L[:, k] = nudge(self.L[:, k], y, lr, cfg["q_label"], cfg["decay"])

    def weights(self):
        return [self.A, self.L]


# --- binconv features -----------------------------------------------------

SIDE = 28
TAPS = [(0, 0), (2, 0), (1, 1), (0, 2), (2, 2)]  # (col, row) in a 3x3 window


def binconv_taps():
    """Per tap: the kept offsets and their normalised float32 weights."""
    taps = []
    for tx, ty in TAPS:
        threshold = 0.49 if tx == 1 else 0.0
        kept = []
        for row in range(3):
            for col in range(3):
                w = F32(1 - 0.5 * math.sqrt((tx - col) ** 2 + (ty - row) ** 2))
                if w > threshold and len(kept) < 4:
                    kept.append((row * SIDE + col, w))
        total = F32(0.0)
        for _, w in kept:
            total = F32(total + w)
        taps.append([(off, F32(w / total)) for off, w in kept])
    return taps


def binconv_features(x):
    """x: n x 784 float32 images -> n x 4433 float32 features."""
    taps = binconv_taps()
    positions = SIDE * SIDE - 3 * SIDE  # 700
    code = np.zeros((len(x), positions), dtype=np.int64)
    for i, tap in enumerate(taps):
        s = np.zeros((len(x), positions), dtype=F32)
        for off, w in tap:
            s = s + w * x[:, off:off + positions]
        assert s.dtype == F32
        code += (s > F32(0.5)).astype(np.int64) << i
    level = np.array([F32(k ** 0.02 / 16 ** 0.02) for k in range(17)], dtype=F32)
    feats = np.zeros((len(x), 11, 13, 31), dtype=F32)
    for gy in range(11):
        for gx in range(13):
            base = gy * 56 + gx * 2
            cell = np.stack([code[:, base + r * SIDE + c]
                             for r in range(4) for c in range(4)], axis=1)
            for b in range(1, 32):
                feats[:, gy, gx, b - 1] = level[(cell == b).sum(axis=1)]
    return feats.reshape(len(x), -1)


# --- the fingerprint ------------------------------------------------------

def fnv1a64(arrays):
    h = 0xcbf29ce484222325
    for a in arrays:
        for byte in np.ascontiguousarray(a, dtype="<f4").tobytes():
            h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


# --- the run ---------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, choices=sorted(PUBLISHED))
    p.add_argument("--data-dir", required=True)
    p.add_argument("--train-limit", type=int, required=True)
    p.add_argument("--test-limit", type=int, required=True)
    for name in PUBLISHED["bidir"]:
        p.add_argument("--" + name.replace("_", "-"),
                       type=int if name in ("hidden", "epochs") else float)
    args = p.parse_args()
    cfg = dict(PUBLISHED[args.model])
    for name in cfg:
        if getattr(args, name) is not None:
            cfg[name] = getattr(args, name)

    train_x, train_y = load_split(args.data_dir, "train", args.train_limit)
    test_x, test_y = load_split(args.data_dir, "t10k", args.test_limit)
    if args.model == "binconv":
        train_x, test_x = binconv_features(train_x), binconv_features(test_x)
    dim = train_x.shape[1]
    model = (Bidir if args.model == "bidir" else Entangled)(cfg, dim)

    n = 0
    for _ in range(cfg["epochs"]):
        for x, label in zip(train_x, train_y):
            model.train_step(x, int(label), n)
            n += 1
    correct = sum(model.predict(x) == label for x, label in zip(test_x, test_y))
    print(json.dumps({
        "model": args.model,
        "input_dim": dim,
        **cfg,
        "train_steps": n,
        "test_samples": len(test_x),
        "test_correct": int(correct),
        "test_accuracy": int(correct) / len(test_x),
        "weights_fnv1a64": fnv1a64(model.weights()),
    }))


if __name__ == "__main__":
    main()
