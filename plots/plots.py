#!/usr/bin/env python3
"""The figures of a bdc results folder: the data prepared here, drawn by gnuplot.

usage: plots/plots.py [--results DIR] [--experiment NAME] [--out DIR]
                      [--formats png,pdf] [--gnuplot PROGRAM]

Reads DIR/<machine>/NAME/runs.csv (and each run's curve) for every machine
that has the experiment, and DIR/<machine>/bench.json where present; writes
the data of each figure to OUT/data/, then runs the gnuplot script of the
figure (plots/*.gp) once per format: OUT/<figure>.png and OUT/<figure>.pdf.
Nothing is trained.  docs/plots.md describes every figure.

Figures (one per dataset, or per machine, as the data allows):
  accuracy-flops-<dataset>     test accuracy against executed training FLOPs,
                               every model and size, the Pareto front marked
  curves-samples-<dataset>     learning curves against training samples seen
  curves-time-<dataset>-<m>    learning curves against training wall time
  speedup-<m>                  end-to-end training speed-up per kernel family
                               and thread count over the scalar family
  machines-<dataset>           training time per machine (with 2+ machines)
  kernels-<m>                  kernel throughput per family and the roofline
                               bound of each case, from bench.json

Exit status: 0 success, 1 a file could not be read or gnuplot failed,
2 bad usage.  Python standard library only.
"""
import csv
import json
import math
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from bench_report import median_rows  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

# Columns that say how a run was computed, not what it computed: runs that
# differ only in these give the same result (docs/results.md).
HOW_COMPUTED = {"kernel", "threads", "engine", "block", "tile"}
# Config columns that are not part of what a learner is: where it was
# measured, how often it was tested, which accuracy time-to-target uses.
NOT_A_VARIANT = HOW_COMPUTED | {"dataset", "hidden", "epochs", "eval_every", "target",
                                "test_limit", "train_limit"}
# runs.csv's config columns (docs/results.md); mlp adds batch and seed.
CONFIG = ["model", "dataset", "hidden", "epochs", "kernel", "threads", "alpha", "beta",
          "lr", "lr_horizon", "decay", "init", "q_input", "q_label", "train_limit",
          "test_limit", "eval_every", "target", "engine", "block", "tile", "batch", "seed"]
# What the figures cannot do without (docs/results.md).
RUN_COLUMNS = ("model", "dataset", "hidden", "epochs", "kernel", "kernel_status",
               "test_accuracy", "train_flops", "train_seconds", "curve_points", "curve_file")
CURVE_COLUMNS = ("samples", "train_flops", "train_seconds", "test_accuracy")
FAMILY_ORDER = ["scalar", "sse", "avx2", "neon"]
MODEL_ORDER = ["bidir", "entangled", "binconv", "mlp"]
DATASET_NAMES = {"mnist": "MNIST", "fashion": "Fashion-MNIST"}
SHORT = {"alpha": "α", "beta": "β", "lr": "lr", "lr_horizon": "horizon", "decay": "decay",
         "init": "init", "q_input": "q_in", "q_label": "q_label", "batch": "batch",
         "seed": "seed"}


class Failure(Exception):
    """A file that cannot be read, or a figure gnuplot could not draw."""


# --- reading ------------------------------------------------------------------

def read_csv(path, required=()):
    """The rows of a CSV file as dicts; strict like bdc's reader: every row as
    wide as the header, and the required columns present."""
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if not header:
                raise Failure("%s: empty file" % path)
            for col in required:
                if col not in header:
                    raise Failure("%s: no column '%s'" % (path, col))
            rows = []
            for fields in reader:
                if len(fields) != len(header):
                    raise Failure("%s:%d: %d fields, but the header has %d"
                                  % (path, reader.line_num, len(fields), len(header)))
                rows.append(dict(zip(header, fields)))
            return rows
    except OSError as e:
        raise Failure("%s: %s" % (path, e.strerror))
    except (csv.Error, UnicodeDecodeError) as e:
        raise Failure("%s: %s" % (path, e))


def number(row, key):
    """A cell as a float; None when empty or not a number."""
    try:
        v = float(row.get(key) or "")
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def read_results(root, experiment):
    """machine -> rows of its runs.csv (each row knows its folder)."""
    machines = {}
    try:
        names = sorted(os.listdir(root))
    except OSError as e:
        raise Failure("%s: %s" % (root, e.strerror))
    for machine in names:
        folder = os.path.join(root, machine, experiment)
        path = os.path.join(folder, "runs.csv")
        if not os.path.isfile(path):
            continue
        rows = read_csv(path, RUN_COLUMNS)
        for r in rows:
            r["_folder"] = folder
            if not r.get("machine"):
                r["machine"] = machine
        if rows:
            machines[machine] = rows
    return machines


def read_curve(row):
    """The learning curve of a run: [(samples, flops, seconds, accuracy)]."""
    name = row.get("curve_file")
    if not name:
        return []
    points = []
    for p in read_csv(os.path.join(row["_folder"], name), CURVE_COLUMNS):
        s, f, t, a = (number(p, k) for k in ("samples", "train_flops", "train_seconds",
                                             "test_accuracy"))
        if None not in (s, f, t, a):
            points.append((s, f, t, a))
    return points


# --- what a run is --------------------------------------------------------------

def emulated(row):
    return row.get("kernel_status") == "emulated"


def config_key(row, ignore=HOW_COMPUTED):
    return tuple((k, row.get(k, "")) for k in CONFIG if k not in ignore)


def best_of(rows, key):
    """Of rows with the same configuration but for how they were computed,
    the one to show: native before emulated, then the smallest key."""
    def rank(r):
        v = key(r)
        return (emulated(r), v if v is not None else math.inf)
    return min(rows, key=rank)


def dedupe(rows, key, ignore=HOW_COMPUTED):
    groups = {}
    for r in rows:
        groups.setdefault(config_key(r, ignore), []).append(r)
    return [best_of(g, key) for g in groups.values()]


def fmt_value(text):
    v = float(text)
    return "%g" % v


def variant_columns(rows):
    """Per model, the config columns (beside size and length) whose values
    differ between its runs: what makes an ablation a variant."""
    out = {}
    for model in {r["model"] for r in rows}:
        mine = [r for r in rows if r["model"] == model]
        cols = []
        for k in CONFIG:
            if k in NOT_A_VARIANT or k == "model":
                continue
            if len({r.get(k, "") for r in mine}) > 1:
                cols.append(k)
        out[model] = cols
    return out


def variant_of(row, columns):
    """(sort key, label, short label) of the run's learner variant: the model,
    and its settings that differ from the published ones (alpha and beta) or
    between its runs (variant_columns)."""
    model = row["model"]
    cols = columns.get(model, [])
    parts, short = [], []
    if "alpha" in cols or "beta" in cols:
        a, b = number(row, "alpha"), number(row, "beta")
        if a is not None and b is not None and not (a == 1.75 and b == 1):
            name = "input-only" if b == 0 and a else "label-only" if a == 0 and b else ""
            parts.append("%s%sα=%g, β=%g" % (name, " " if name else "", a, b))
            short.append(name or "α=%g β=%g" % (a, b))
    for k in cols:
        if k in ("alpha", "beta") or not row.get(k):
            continue
        try:
            text = "%s=%s" % (SHORT.get(k, k), fmt_value(row[k]))
        except ValueError:
            text = "%s=%s" % (SHORT.get(k, k), row[k])
        parts.append(text)
        short.append(text)
    label = model + (" (" + "; ".join(parts) + ")" if parts else "")
    order = MODEL_ORDER.index(model) if model in MODEL_ORDER else len(MODEL_ORDER)
    return (order, model, bool(parts), label), label, " ".join([model] + short)


def learner_color(vkey, vkeys):
    """Colour index of a variant (style.gp's learner_colors): each model its
    own colour; the other variants of a model the colours after those."""
    order, _, varied, _ = vkey
    if not varied:
        return min(order, len(MODEL_ORDER)) + 1
    others = sorted(k for k in vkeys if k[2])
    return len(MODEL_ORDER) + 2 + others.index(vkey)


def dataset_name(ds):
    return DATASET_NAMES.get(ds, os.path.basename(ds.rstrip("/")) or ds)


def slug(text):
    s = "".join(c if c.isalnum() else "-" for c in text.lower())
    while "--" in s:
        s = s.replace("--", "-")
    return s.strip("-") or "x"


def subset_note(rows):
    """A line for the title when the runs used parts of the data sets."""
    limits = {(r.get("train_limit", "0") or "0", r.get("test_limit", "0") or "0") for r in rows}
    if limits == {("0", "0")}:
        return ""
    if len(limits) == 1:
        tr, te = next(iter(limits))
        bits = []
        if tr != "0":
            bits.append("the first %s training images" % tr)
        if te != "0":
            bits.append("the first %s test images" % te)
        return "runs on " + " and ".join(bits)
    return "runs on parts of the data sets"


def title(main, rows):
    note = subset_note(rows)
    return main + ("\n" + note if note else "")


def variants_of(rows, columns):
    return sorted({variant_of(r, columns)[0] for r in rows})


def int_text(row, key):
    v = number(row, key)
    return "%d" % v if v is not None else row.get(key, "?")


# --- gnuplot ----------------------------------------------------------------------

def gp_string(s):
    """s as a gnuplot string literal (a line break as \\n)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def log_ticks(lo, hi, engineering=False):
    """Tick marks for a log axis from lo to hi: 1-2-5 steps when that gives
    a handful, else every decade (or every few decades).  As a gnuplot
    tic list: ("label" value, ...).  engineering: labels as 2×10^{8}
    (enhanced text) instead of plain numbers."""
    if not (lo > 0 and hi > lo):
        return ""
    def label(v):
        e = math.floor(math.log10(v) + 1e-9)
        m = v / 10 ** e
        if not engineering:
            return "%gM" % (v / 1e6) if v >= 1e6 else "%gk" % (v / 1e3) if v >= 1e4 else "%g" % v
        return ("10^{%d}" % e) if abs(m - 1) < 1e-9 else ("%g×10^{%d}" % (m, e))
    first = math.floor(math.log10(lo)) - 1
    last = math.ceil(math.log10(hi)) + 1
    for steps in ((1, 2, 5), (1,)):
        ticks = [m * 10 ** e for e in range(first, last + 1) for m in steps]
        ticks = [t for t in ticks if lo <= t * (1 + 1e-9) and t <= hi * (1 + 1e-9)]
        if 3 <= len(ticks) <= 9 or (steps == (1,) and len(ticks) <= 9):
            break
    else:
        every = math.ceil(len(ticks) / 8)
        ticks = ticks[::every]
    if len(ticks) < 2:
        return ""
    return "(" + ", ".join('"%s" %.10g' % (label(t), t) for t in ticks) + ")"


def plural(n, word):
    return "%g %s%s" % (n, word, "" if n == 1 else "s")


def pin_creation_date(path):
    """Cairo stamps a PDF with the time it was drawn, so a figure redrawn
    from the same data would differ.  The stamp becomes $SOURCE_DATE_EPOCH
    (the reproducible-builds convention), else 1970-01-01.  The new date has
    the same length as the old, so the PDF's byte offsets stay valid."""
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    stamp = time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(epoch)).encode()
    with open(path, "rb") as f:
        pdf = f.read()
    pinned = re.sub(rb"/CreationDate \(D:\d{14}Z\)", b"/CreationDate (" + stamp + b")", pdf)
    if pinned != pdf:
        with open(path, "wb") as f:
            f.write(pinned)


class Figures:
    def __init__(self, out, formats, gnuplot):
        self.out = out
        self.data = os.path.join(out, "data")
        self.formats = formats
        self.gnuplot = gnuplot
        self.made = []
        os.makedirs(self.data, exist_ok=True)

    def write_data(self, name, text):
        path = os.path.join(self.data, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def draw(self, script, name, variables):
        """Writes the figure's variables next to its data and runs its script
        once per format."""
        lines = []
        for k, v in variables.items():
            lines.append("%s = %s" % (k, gp_string(v) if isinstance(v, str) else repr(v)))
        vars_path = self.write_data(name + ".vars.gp", "\n".join(lines) + "\n")
        for fmt in self.formats:
            target = os.path.join(self.out, "%s.%s" % (name, fmt))
            cmd = [self.gnuplot,
                   "-e", "term_kind = %s; out_file = %s; vars_file = %s; style_file = %s"
                   % (gp_string(fmt), gp_string(target), gp_string(vars_path),
                      gp_string(os.path.join(HERE, "style.gp"))),
                   os.path.join(HERE, script)]
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode != 0 or not os.path.isfile(target):
                raise Failure("gnuplot %s for %s failed:\n%s" % (script, target,
                                                                   p.stderr.strip()))
            # gnuplot warns on stderr without failing; a warning is a bug here.
            if p.stderr.strip():
                raise Failure("gnuplot %s for %s warned:\n%s" % (script, target,
                                                                   p.stderr.strip()))
            if fmt == "pdf":
                pin_creation_date(target)
            self.made.append(target)


# --- figures ----------------------------------------------------------------------

def pareto(points):
    """The points no other point beats: fewer FLOPs and higher accuracy."""
    front = []
    best = -math.inf
    for x, y in sorted(points, key=lambda p: (p[0], -p[1])):
        if y > best:
            front.append((x, y))
            best = y
    return front


def accuracy_flops(fig, dataset, rows, columns):
    rows = dedupe(rows, key=lambda r: number(r, "train_flops"))
    series = {}
    for r in rows:
        flops, acc = number(r, "train_flops"), number(r, "test_accuracy")
        if flops is None or acc is None or flops <= 0:
            continue
        vkey = variant_of(r, columns)[0]
        epochs = number(r, "epochs") or 0
        series.setdefault((vkey, epochs), []).append((number(r, "hidden") or 0, flops,
                                                      100 * acc, r))
    if not series:
        return
    variants = variants_of(rows, columns)
    epochs_all = sorted({k[1] for k in series})
    blocks, variables = [], {}
    for i, (vkey, epochs) in enumerate(sorted(series)):
        pts = sorted(series[(vkey, epochs)], key=lambda p: (p[0], p[1]))
        lines = ["# %s, %g epochs: hidden, train FLOPs, test accuracy %%" % (vkey[3], epochs)]
        lines += ["%d\t%.6g\t%.4f" % (h, f, a) for h, f, a, _ in pts]
        blocks.append("\n".join(lines))
        n = i + 1
        variables["title_%d" % n] = "%s, %s" % (vkey[3], plural(epochs, "epoch"))
        variables["color_%d" % n] = learner_color(vkey, variants)
        variables["point_%d" % n] = epochs_all.index(epochs) + 1
    all_points = [(p[1], p[2]) for s in series.values() for p in s]
    front = pareto(all_points)
    fig.write_data("accuracy-flops-%s.tsv" % slug(dataset), "\n\n\n".join(blocks) + "\n")
    fig.write_data("accuracy-flops-%s-front.tsv" % slug(dataset),
                   "# the Pareto front: train FLOPs, test accuracy %\n" +
                   "".join("%.6g\t%.4f\n" % p for p in front))
    xs = [p[0] for p in all_points]
    ys = [p[1] for p in all_points]
    variables.update({
        "nseries": len(series),
        "data_file": os.path.join(fig.data, "accuracy-flops-%s.tsv" % slug(dataset)),
        "front_file": os.path.join(fig.data, "accuracy-flops-%s-front.tsv" % slug(dataset)),
        "title_text": title("Test accuracy against training compute, %s"
                            % dataset_name(dataset), rows),
        "xlo": min(xs) / 1.6, "xhi": max(xs) * 1.6, "ymin": min(ys), "ymax": max(ys),
        "xtics_list": log_ticks(min(xs) / 1.6, max(xs) * 1.6, engineering=True),
    })
    fig.draw("accuracy_flops.gp", "accuracy-flops-%s" % slug(dataset), variables)


def curve_runs(rows, columns):
    """Per learner variant, the run whose curve is shown: the largest, then
    longest, run of the variant that has more than one curve point."""
    chosen = {}
    for r in rows:
        if (number(r, "curve_points") or 0) < 2:
            continue
        vkey = variant_of(r, columns)[0]
        size = (number(r, "hidden") or 0, number(r, "epochs") or 0)
        if vkey not in chosen or size > chosen[vkey][0]:
            chosen[vkey] = (size, r)
    return [(vkey, chosen[vkey][1]) for vkey in sorted(chosen)]


def curves(fig, dataset, rows, columns, axis, machine=None):
    """Learning curves against samples (axis 0) or wall seconds (axis 2)."""
    if axis == 0:
        rows = dedupe(rows, key=lambda r: number(r, "train_flops"))
    else:
        rows = dedupe(rows, key=lambda r: number(r, "train_seconds"))
    picked = curve_runs(rows, columns)
    if not picked:
        return
    blocks, variables = [], {}
    variants = variants_of(rows, columns)
    xs, ys = [], []
    for vkey, r in picked:
        pts = [p for p in read_curve(r) if p[axis] > 0]
        if not pts:
            continue
        n = len(blocks) + 1
        lines = ["# %s, run %s: %s, test accuracy %%" % (vkey[3], r.get("run_id", "?"),
                                                         "samples" if axis == 0 else "seconds")]
        lines += ["%.6g\t%.4f" % (p[axis], 100 * p[3]) for p in pts]
        blocks.append("\n".join(lines))
        xs += [p[axis] for p in pts]
        ys += [100 * p[3] for p in pts]
        text = "%s, H=%s, %s" % (vkey[3], int_text(r, "hidden"),
                                 plural(number(r, "epochs") or 0, "epoch"))
        if axis == 2:
            text += ", %s%s" % (r.get("kernel", "?"), " (emulated)" if emulated(r) else "")
            if (number(r, "threads") or 1) > 1:
                text += ", %s threads" % int_text(r, "threads")
        variables["title_%d" % n] = text
        variables["color_%d" % n] = learner_color(vkey, variants)
        variables["emulated_%d" % n] = 1 if emulated(r) else 0
    if not blocks:
        return
    what = "samples" if axis == 0 else "time"
    name = "curves-%s-%s" % (what, slug(dataset))
    if machine:
        name += "-" + slug(machine)
    fig.write_data(name + ".tsv", "\n\n\n".join(blocks) + "\n")
    variables.update({
        "nseries": len(blocks),
        "data_file": os.path.join(fig.data, name + ".tsv"),
        "title_text": title("Learning curves, %s" % dataset_name(dataset) if axis == 0 else
                            "Learning curves against training time, %s, on %s"
                            % (dataset_name(dataset), machine), rows),
        "xlabel_text": "training samples seen (log scale)" if axis == 0 else
                       "training wall time, tests excluded (s, log scale)",
        "xlo": min(xs) / 1.3, "xhi": max(xs) * 1.3, "ymin": min(ys), "ymax": max(ys),
        "xtics_list": log_ticks(min(xs) / 1.3, max(xs) * 1.3),
    })
    fig.draw("curves.gp", name, variables)


def family_rank(row):
    k = row.get("kernel", "")
    return (FAMILY_ORDER.index(k) if k in FAMILY_ORDER else len(FAMILY_ORDER), k)


def speedup(fig, machine, rows, columns):
    """Rows that differ only in how they were computed, against the scalar
    family on one thread."""
    groups = {}
    for r in rows:
        groups.setdefault(config_key(r), []).append(r)
    cases, ways = [], {}
    compared = [g for g in groups.values() if len(g) > 1]
    multi_dataset = len({g[0].get("dataset") for g in compared}) > 1
    for g in compared:
        base = [r for r in g if r.get("kernel") == "scalar" and number(r, "train_seconds")]
        if not base:
            continue
        base = min(base, key=lambda r: (number(r, "threads") or 1,
                                        r.get("engine", "") not in ("", "sample")))
        t0 = number(base, "train_seconds")
        vkey, _, short = variant_of(base, columns)
        name = "%s H=%s %s ep" % (short, int_text(base, "hidden"), int_text(base, "epochs"))
        if multi_dataset:
            name += ", " + dataset_name(base.get("dataset", ""))
        speed = {}
        for r in g:
            t = number(r, "train_seconds")
            if not t:
                continue
            way = (family_rank(r), number(r, "threads") or 1, r.get("engine", ""),
                   emulated(r))
            speed[way] = t0 / t
            ways[way] = r
        cases.append(((vkey, number(base, "hidden") or 0, number(base, "epochs") or 0,
                       base.get("dataset", "")), name, speed))
    if not cases:
        return
    cases.sort()
    order = sorted(ways)
    engines = len({w[2] for w in order}) > 1
    threads = len({w[1] for w in order}) > 1
    variables = {}
    header = ["case"]
    for i, way in enumerate(order):
        r = ways[way]
        text = r.get("kernel", "?")
        if threads:
            text += ", " + plural(way[1], "thread")
        if engines and way[2]:
            text += ", " + way[2] + " engine"
        if way[3]:
            text += " (emulated)"
        variables["title_%d" % (i + 1)] = text
        variables["emulated_%d" % (i + 1)] = 1 if way[3] else 0
        variables["color_%d" % (i + 1)] = (FAMILY_ORDER.index(way[0][1]) + 1
                                           if way[0][1] in FAMILY_ORDER else 5)
        header.append(text)
    lines = ["# " + "\t".join(header)]
    top = 1.0
    for _, name, speed in cases:
        cells = [name]
        for way in order:
            v = speed.get(way)
            cells.append("%.4g" % v if v is not None else "-")
            if v is not None:
                top = max(top, v)
        lines.append("\t".join(cells))
    name = "speedup-%s" % slug(machine)
    fig.write_data(name + ".tsv", "\n".join(lines) + "\n")
    variables.update({
        "nseries": len(order),
        "ncases": len(cases),
        "data_file": os.path.join(fig.data, name + ".tsv"),
        "title_text": title("End-to-end training speed-up over the scalar family, on %s"
                            % machine, rows),
        "ymax": top,
        "xtics_angle": -90 if len(cases) > 5 else -25,
    })
    fig.draw("speedup.gp", name, variables)


def machines_figure(fig, dataset, by_machine, columns):
    """The fastest native training time of each configuration that several
    machines ran."""
    per = {}
    for machine, rows in by_machine.items():
        for r in dedupe(rows, key=lambda r: number(r, "train_seconds")):
            t = number(r, "train_seconds")
            if t:
                per.setdefault(config_key(r), {})[machine] = r
    shared = {k: v for k, v in per.items() if len(v) > 1}
    if not shared:
        return
    names = sorted(by_machine)
    cases = []
    for runs in shared.values():
        r = next(iter(runs.values()))
        vkey, _, short = variant_of(r, columns)
        cases.append(((vkey, number(r, "hidden") or 0, number(r, "epochs") or 0),
                      "%s H=%s %s ep" % (short, int_text(r, "hidden"), int_text(r, "epochs")),
                      runs))
    cases.sort(key=lambda c: c[0])
    variables = {}
    lines = ["# case\t" + "\t".join(names)]
    values = []
    for _, name, runs in cases:
        cells = [name]
        for m in names:
            r = runs.get(m)
            t = number(r, "train_seconds") if r else None
            cells.append("%.4g" % t if t else "-")
            if t:
                values.append(t)
        lines.append("\t".join(cells))
    for i, m in enumerate(names):
        kernels = sorted({r.get("kernel", "?") + (" (emulated)" if emulated(r) else "")
                          for _, _, runs in cases for mm, r in runs.items() if mm == m})
        variables["title_%d" % (i + 1)] = "%s (%s)" % (m, ", ".join(kernels))
        variables["emulated_%d" % (i + 1)] = 0
        variables["color_%d" % (i + 1)] = i + 1
    name = "machines-%s" % slug(dataset)
    fig.write_data(name + ".tsv", "\n".join(lines) + "\n")
    all_rows = [r for rows in by_machine.values() for r in rows]
    variables.update({
        "nseries": len(names),
        "ncases": len(cases),
        "data_file": os.path.join(fig.data, name + ".tsv"),
        "title_text": title("Training time per machine (fastest native kernel), %s"
                            % dataset_name(dataset), all_rows),
        "ymin": min(values), "ymax": max(values),
        "xtics_angle": -90 if len(cases) > 5 else -25,
    })
    fig.draw("machines.gp", name, variables)



def kernels_figure(fig, machine, path):
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except OSError as e:
        raise Failure("%s: %s" % (path, e.strerror))
    except json.JSONDecodeError as e:
        raise Failure("%s: not JSON (%s)" % (path, e))
    # Google Benchmark's report (docs/benchmarks.md): a context and a list
    # of benchmarks; anything else is not one.
    context = report.get("context") if isinstance(report, dict) else None
    benchmarks = report.get("benchmarks") if isinstance(report, dict) else None
    if not isinstance(context, dict) or not isinstance(benchmarks, list) or \
            not all(isinstance(b, dict) and isinstance(b.get("name", ""), str) and
                    isinstance(b.get("run_name", ""), str) for b in benchmarks):
        raise Failure("%s: not a Google Benchmark report (no context and benchmarks)" % path)
    families_text = context.get("bdc_families", "")
    status = dict(item.partition(":")[::2] for item in
                  (families_text if isinstance(families_text, str) else "").split())
    ops, shapes, families, cases = [], {}, [], {}
    for name, b in median_rows(report):
        parts = name.split("/")
        if len(parts) != 3 or parts[0] == "roofline" or b.get("error_occurred"):
            continue
        op, shape, family = parts
        flops, pct = b.get("FLOPS"), b.get("bound_pct")
        if not isinstance(flops, (int, float)) or not isinstance(pct, (int, float)) or \
                not flops > 0 or not pct > 0 or not math.isfinite(flops / pct):
            continue
        if op not in ops:
            ops.append(op)
        shapes.setdefault(op, [])
        if shape not in shapes[op]:
            shapes[op].append(shape)
        if family not in families:
            families.append(family)
        # The bound in FLOP/s: bound_pct is 100 T_bound / T_measured.
        cases.setdefault((op, shape), {})[family] = (flops / 1e9, flops / 1e9 * 100 / pct)
    if not cases:
        return
    families.sort(key=lambda f: (FAMILY_ORDER.index(f) if f in FAMILY_ORDER else 99, f))
    lines = ["# shape\tbound GFLOP/s\t" + "\t".join(families)]
    values, variables = [], {}
    row = 0
    for j, op in enumerate(ops):
        start = row
        for shape in shapes[op]:
            got = cases[(op, shape)]
            bounds = [g[1] for g in got.values()]
            bound = sum(bounds) / len(bounds)
            cells = [shape, "%.4g" % bound]
            for f in families:
                cells.append("%.4g" % got[f][0] if f in got else "-")
            values += [g[0] for g in got.values()] + [bound]
            lines.append("\t".join(cells))
            row += 1
        variables["op_%d" % (j + 1)] = op
        variables["op_center_%d" % (j + 1)] = (start + row - 1) / 2
        if j + 1 < len(ops):  # an empty group between operations
            lines.append("\t".join([""] + ["-"] * (1 + len(families))))
            row += 1
    name = "kernels-%s" % slug(machine)
    fig.write_data(name + ".tsv", "\n".join(lines) + "\n")
    variables.update({
        "nseries": len(families),
        "nops": len(ops),
        "data_file": os.path.join(fig.data, name + ".tsv"),
        "title_text": "Kernel throughput per family against the roofline bound, on %s"
                      % machine,
        "ymin": min(values), "ymax": max(values), "nrows": row,
    })
    for i, f in enumerate(families):
        emu = status.get(f) == "emulated"
        variables["title_%d" % (i + 1)] = f + (" (emulated)" if emu else "")
        variables["emulated_%d" % (i + 1)] = 1 if emu else 0
        variables["color_%d" % (i + 1)] = (FAMILY_ORDER.index(f) + 1
                                           if f in FAMILY_ORDER else 5)
    fig.draw("kernels.gp", name, variables)


# --- the command ------------------------------------------------------------------

def usage(msg):
    print("plots: " + msg + " (see plots/plots.py --help)", file=sys.stderr)
    sys.exit(2)


def parse(argv):
    opts = {"results": "results", "experiment": "paper", "out": None,
            "formats": "png,pdf", "gnuplot": "gnuplot"}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(__doc__.strip())
            sys.exit(0)
        key = a[2:] if a.startswith("--") else None
        if key not in opts:
            usage("unknown argument '%s'" % a)
        if i + 1 == len(argv):
            usage("%s needs a value" % a)
        opts[key] = argv[i + 1]
        i += 2
    formats = [f for f in opts["formats"].split(",") if f]
    for f in formats:
        if f not in ("png", "pdf", "svg"):
            usage("--formats: unknown format '%s' (png, pdf, svg)" % f)
    if not formats:
        usage("--formats: none named")
    opts["formats"] = formats
    if not opts["out"]:
        opts["out"] = os.path.join("figures", opts["experiment"])
    return opts


def main(argv):
    o = parse(argv)
    by_machine = read_results(o["results"], o["experiment"])
    benches = {}
    if os.path.isdir(o["results"]):
        for m in sorted(os.listdir(o["results"])):
            p = os.path.join(o["results"], m, "bench.json")
            if os.path.isfile(p):
                benches[m] = p
    if not by_machine and not benches:
        raise Failure("%s: no <machine>/%s/runs.csv and no <machine>/bench.json "
                      "(run the experiment first, or name another with --experiment)"
                      % (o["results"], o["experiment"]))
    fig = Figures(o["out"], o["formats"], o["gnuplot"])
    all_rows = [r for rows in by_machine.values() for r in rows]
    datasets = []
    for r in all_rows:
        if r.get("dataset") not in datasets:
            datasets.append(r.get("dataset"))
    for ds in datasets:
        rows = [r for r in all_rows if r.get("dataset") == ds]
        columns = variant_columns(rows)
        accuracy_flops(fig, ds, rows, columns)
        curves(fig, ds, rows, columns, 0)
        for machine in sorted(by_machine):
            mine = [r for r in by_machine[machine] if r.get("dataset") == ds]
            if mine:
                curves(fig, ds, mine, columns, 2, machine)
        if len(by_machine) > 1:
            machines_figure(fig, ds, {m: [r for r in rows if r["machine"] == m]
                                      for m in by_machine}, columns)
    for machine in sorted(by_machine):
        rows = by_machine[machine]
        speedup(fig, machine, rows, variant_columns(rows))
    for machine, path in benches.items():
        kernels_figure(fig, machine, path)
    for path in fig.made:
        print(path)
    if not fig.made:
        raise Failure("no figure: the runs have nothing to draw")


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except Failure as e:
        print("plots: %s" % e, file=sys.stderr)
        sys.exit(1)
