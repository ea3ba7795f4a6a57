#!/usr/bin/env python3
"""The kernel x family x shape table of a bdc-bench JSON report.

usage: scripts/bench-table.py [--check] [--update FILE] BENCH_JSON

Prints Markdown: the machine and its roofline, then one row per benchmark
(time per call, GB/s read and written, GFLOP/s, % of the roofline bound).  With repetitions
the median is shown.  Times are CPU times, the ones Google Benchmark's
rates are computed from.

--check        also verify the report: every operation/shape has every
               family of the build, nothing was skipped except what this
               CPU cannot run, every rate is positive; exit 1 otherwise
--update FILE  replace the text between the lines
               "<!-- bench-table:begin -->" and "<!-- bench-table:end -->"
               of FILE with the table instead of printing it
"""
import json
import sys

from bench_report import median_rows

LEVELS = ("L1", "L2", "L3", "DRAM")
UNIT_TO_US = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}
BEGIN, END = "<!-- bench-table:begin -->", "<!-- bench-table:end -->"


def fail(msg):
    print("bench-table: " + msg, file=sys.stderr)
    sys.exit(1)


def usage(msg):
    print("bench-table: " + msg + " (see scripts/bench-table.py --help)", file=sys.stderr)
    sys.exit(2)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        fail("%s: %s" % (path, e.strerror))
    except json.JSONDecodeError as e:
        fail("%s: not JSON (%s)" % (path, e))



def num(x, digits=3):
    """digits significant digits, never in exponent form."""
    if x is None:
        return ""
    if x == 0 or abs(x) >= 10 ** (digits - 1):
        return "%.0f" % x
    text = "%.*g" % (digits, x)
    if "e" in text:  # below 1e-4
        text = "%.*f" % (digits + 3, x)
    return text


def row_time_us(b):
    return b["cpu_time"] * UNIT_TO_US.get(b.get("time_unit", "ns"), 1e-3)


# The two steps of training the spec names, per path (the blocked engine,
# the default, and the per-sample one), at the first layers of the
# published models.
STEPS = (("max-activation search", "blocked_search", "max_activation_search"),
         ("weight nudge", "row_nudge", "weight_nudge"))
PUBLISHED = (("784x1500", "bidir"), ("784x784", "entangled"), ("4433x1000", "binconv"))


def steps_summary(report):
    """Lines of a table: for each step, path and published layer, the
    fastest family that runs natively here, its time and % of bound."""
    rows = {}
    for name, b in median_rows(report):
        parts = name.split("/")
        if len(parts) != 3 or b.get("error_occurred") or "emulated" in b.get("label", ""):
            continue
        op, shape, family = parts
        best = rows.get((op, shape))
        if best is None or row_time_us(b) < row_time_us(best[1]):
            rows[(op, shape)] = (family, b)
    if not rows:
        return []
    out = ["The spec's two training steps at the published models' first layers, "
           "by the fastest native family (the rows come from the table below; "
           "the blocked engine is the default, `--engine sample` the per-sample path):",
           "",
           "| step | path (benchmark) | model, layer | family | time (µs) | % of bound | bound |",
           "|---|---|---|---|---:|---:|---|"]
    for step, blocked, per_sample in STEPS:
        for path, op in (("blocked", blocked), ("per-sample", per_sample)):
            for shape, model in PUBLISHED:
                if (op, shape) not in rows:
                    continue
                family, b = rows[(op, shape)]
                if op == "blocked_search":  # a call is a block: per sample
                    time = num(row_time_us(b) / samples_per_call(b)) + " per sample"
                else:
                    time = num(row_time_us(b))
                pct = b.get("bound_pct")
                out.append("| %s | %s (`%s`) | %s %s | %s | %s | %s | %s |" % (
                    step, path, op, model, shape, family, time,
                    num(pct, 2) if pct is not None else "",
                    b.get("label", "").split(",")[0]))
    out.append("")
    return out


def samples_per_call(b):
    """Samples per call of a blocked_search row (its items are samples)."""
    items = b.get("items_per_second", 0)
    t = b.get("cpu_time", 0) * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}.get(
        b.get("time_unit", "ns"), 1e-9)
    return items * t if items > 0 and t > 0 else 1.0


def table(report):
    ctx = report.get("context", {})
    out = []
    machine = {}
    try:
        machine = json.loads(ctx.get("machine", "{}"))
    except json.JSONDecodeError:
        pass
    out.append("Machine `%s` (%s), bdc %s commit %s, %s." % (
        ctx.get("machine_id", "?"), machine.get("cpu_model", "?"),
        ctx.get("bdc_version", "?"), ctx.get("bdc_commit", "?"),
        ctx.get("date", "?")))
    out.append("")
    def rates(kind):
        return ", ".join("%s %s" % (lvl, ctx.get("roofline_%s_gbps_%s" % (kind, lvl), "?"))
                         for lvl in LEVELS)
    out.append("Roofline (one core): %s GFLOP/s multiply+add, %s GFLOP/s FMA; "
               "read %s GB/s; write %s GB/s." % (
                   ctx.get("roofline_mul_add_gflops", "?"),
                   ctx.get("roofline_fma_gflops", "?"), rates("read"), rates("write")))
    out.append("")
    out.extend(steps_summary(report))
    out.append("| benchmark | shape | family | time (µs) | GB/s read | GB/s written "
               "| GFLOP/s | % of bound | level, bound, inputs |")
    out.append("|---|---|---|---:|---:|---:|---:|---:|---|")
    for name, b in median_rows(report):
        parts = name.split("/")
        if parts[0] == "roofline":
            kernel, shape, family = parts[0], "/".join(parts[1:]), ""
        elif len(parts) == 3:
            kernel, shape, family = parts
        else:
            kernel, shape, family = name, "", ""
        if b.get("error_occurred"):
            out.append("| %s | %s | %s | skipped: %s | | | | | |" % (
                kernel, shape, family, b.get("error_message", "")))
            continue
        flops = b.get("FLOPS")
        pct = b.get("bound_pct")
        if kernel == "roofline":  # a probe moves only one way
            read = b.get("bytes_per_second") if "/read_" in "/" + shape else None
            written = b.get("bytes_per_second") if "/write_" in "/" + shape else None
        else:
            read = b.get("read_bytes_per_second")
            written = b.get("written_bytes_per_second")
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            kernel, shape, family, num(row_time_us(b)),
            num(read * 1e-9 if read else None), num(written * 1e-9 if written else None),
            num(flops * 1e-9 if flops else None),
            num(pct, 2) if pct is not None else "", b.get("label", "")))
    return "\n".join(out) + "\n"


def check(report):
    """Problems found in the report, as lines."""
    ctx = report.get("context", {})
    problems = []
    status = {}
    for item in ctx.get("bdc_families", "").split():
        name, _, st = item.partition(":")
        status[name] = st
    if not status:
        problems.append("context: no bdc_families")
    for key in ["roofline_mul_add_gflops"] + ["roofline_%s_gbps_%s" % (kind, l)
                                              for kind in ("read", "write")
                                              for l in LEVELS]:
        try:
            if not float(ctx.get(key, "0")) > 0:
                problems.append("context: %s is not positive" % key)
        except ValueError:
            problems.append("context: %s is not a number" % key)
    try:
        json.loads(ctx.get("machine", ""))
    except json.JSONDecodeError:
        problems.append("context: machine is not a JSON record")
    for key in ("bdc_version", "bdc_commit", "machine_id"):
        if not ctx.get(key):
            problems.append("context: no %s" % key)

    seen = {}
    rows = median_rows(report)
    if not rows:
        problems.append("no benchmarks")
    for name, b in rows:
        parts = name.split("/")
        if parts[0] == "roofline":
            if b.get("error_occurred"):
                if "which this CPU lacks" not in b.get("error_message", ""):
                    problems.append("%s: %s" % (name, b.get("error_message")))
            elif not (b.get("FLOPS", 0) > 0 or b.get("bytes_per_second", 0) > 0):
                problems.append("%s: no rate" % name)
            continue
        if len(parts) != 3:
            problems.append("%s: not operation/shape/family" % name)
            continue
        op, shape, family = parts
        seen.setdefault((op, shape), set()).add(family)
        if family not in status:
            problems.append("%s: family %s is not in the build" % (name, family))
        if b.get("error_occurred"):
            if status.get(family) != "unavailable":
                problems.append("%s: skipped: %s" % (name, b.get("error_message")))
            continue
        for counter in ("FLOPS", "bytes_per_second", "items_per_second", "bound_pct",
                        "read_bytes_per_second"):
            if not b.get(counter, 0) > 0:
                problems.append("%s: %s is not positive" % (name, counter))
        if not b.get("written_bytes_per_second", -1) >= 0:  # reading kernels write 0
            problems.append("%s: no written_bytes_per_second" % name)
        if not b.get("cpu_time", 0) > 0:
            problems.append("%s: no time" % name)
        if status.get(family) == "emulated" and "emulated" not in b.get("label", ""):
            problems.append("%s: emulated family without 'emulated' in its label" % name)
    for (op, shape), families in sorted(seen.items()):
        missing = set(status) - families
        if missing:
            problems.append("%s/%s: no run for %s" % (op, shape, ", ".join(sorted(missing))))
    return problems


def main(argv):
    do_check = False
    update = None
    paths = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        if a == "--check":
            do_check = True
        elif a == "--update":
            if i + 1 == len(argv):
                usage("--update needs a file")
            i += 1
            update = argv[i]
        elif a.startswith("-"):
            usage("unknown option '%s'" % a)
        else:
            paths.append(a)
        i += 1
    if len(paths) != 1:
        usage("give one bench.json")
    report = load(paths[0])
    if not isinstance(report, dict) or "benchmarks" not in report:
        fail("%s: not a Google Benchmark JSON report" % paths[0])
    if do_check:
        problems = check(report)
        if problems:
            for p in problems:
                print("bench-table: %s: %s" % (paths[0], p), file=sys.stderr)
            return 1
    text = table(report)
    if update:
        try:
            with open(update, encoding="utf-8") as f:
                doc = f.read()
        except OSError as e:
            fail("%s: %s" % (update, e.strerror))
        start, end = doc.find(BEGIN), doc.find(END)
        if start < 0 or end < start:
            fail("%s: no %s ... %s lines to replace" % (update, BEGIN, END))
        cmd = "scripts/bench-table.py --update %s %s" % (update, paths[0])
        doc = (doc[:start + len(BEGIN)] + "\n<!-- made by: %s -->\n\n" % cmd + text +
               "\n" + doc[end:])
        with open(update, "w", encoding="utf-8") as f:
            f.write(doc)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
