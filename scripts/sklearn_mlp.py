#!/usr/bin/python3
"""scikit-learn's MLPClassifier in the shape of bdc's mlp baseline.

The reference that `bdc train --model mlp` is timed against (docs/mlp.md):
the same D-H-C network (ReLU hidden layer, softmax with cross-entropy),
plain minibatch SGD with a constant step size, no momentum, no L2 penalty,
no early stopping, a reshuffle every epoch, on the same IDX files.  Prints
one JSON object like `bdc train --json`.  Run it with Debian's
/usr/bin/python3 and python3-sklearn (scripts/deps.sh reference).
"""
import argparse
import gzip
import json
import os
import sys
import time
import warnings


def read_idx(path):
    """An IDX file (raw or .gz) as a numpy array."""
    import numpy as np
    for name in (path, path + ".gz"):
        if os.path.exists(name):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(name, "rb") as f:
                data = f.read()
            break
    else:
        sys.exit(f"sklearn_mlp.py: {path}: no such file (nor {path}.gz)")
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 8:
        sys.exit(f"sklearn_mlp.py: {name}: not an IDX file of unsigned bytes")
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    count = 1
    for d in dims:
        count *= d
    if body.size != count:
        sys.exit(f"sklearn_mlp.py: {name}: {body.size} values, header says {count}")
    return body.reshape(dims)


def load(data_dir, prefix):
    import numpy as np
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte"))
    # float32 like bdc, pixel / 255 rounded once.
    x = (images.reshape(len(images), -1).astype(np.float32) / np.float32(255.0))
    return x, labels.astype(np.int64)


def blas_info():
    try:
        from threadpoolctl import threadpool_info
        return [f"{p.get('internal_api')} {p.get('version')} "
                f"({p.get('num_threads')} threads)" for p in threadpool_info()]
    except Exception:  # threadpoolctl is optional
        return []


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # The defaults are bdc's (harness/model.c, docs/mlp.md).
    ap.add_argument("--hidden", type=int, default=100)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data-dir", default=os.path.join(here, "..", "data", "mnist"))
    ap.add_argument("--train-limit", type=int, default=0)
    args = ap.parse_args()
    for name in ("hidden", "batch", "epochs"):
        if getattr(args, name) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if not args.lr > 0:
        ap.error("--lr must be positive")

    import numpy as np
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    t0 = time.perf_counter()
    x_train, y_train = load(args.data_dir, "train")
    x_test, y_test = load(args.data_dir, "t10k")
    if args.train_limit:
        x_train, y_train = x_train[:args.train_limit], y_train[:args.train_limit]
    prep = time.perf_counter() - t0

    net = MLPClassifier(
        hidden_layer_sizes=(args.hidden,), activation="relu", solver="sgd",
        alpha=0.0, batch_size=args.batch, learning_rate="constant",
        learning_rate_init=args.lr, momentum=0.0, nesterovs_momentum=False,
        max_iter=args.epochs, shuffle=True, random_state=args.seed,
        early_stopping=False, tol=0.0, n_iter_no_change=args.epochs + 1)
    with warnings.catch_warnings():
        # max_iter is the epoch count here, not a convergence limit.
        warnings.simplefilter("ignore", ConvergenceWarning)
        t0 = time.perf_counter()
        net.fit(x_train, y_train)
        train_seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    correct = int((net.predict(x_test) == y_test).sum())
    test_seconds = time.perf_counter() - t0

    print(json.dumps({
        "model": "sklearn MLPClassifier",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "blas": blas_info(),
        "weights_dtype": str(net.coefs_[0].dtype),
        "input_dim": int(x_train.shape[1]),
        "hidden": args.hidden,
        "epochs": int(net.n_iter_),
        "lr": args.lr,
        "batch": args.batch,
        "seed": args.seed,
        "train_samples": int(len(x_train)),
        "test_samples": int(len(x_test)),
        "test_correct": correct,
        "test_accuracy": correct / len(x_test),
        "final_train_loss": float(net.loss_),
        "prep_seconds": prep,
        "train_seconds": train_seconds,
        "test_seconds": test_seconds,
    }))


if __name__ == "__main__":
    main()
