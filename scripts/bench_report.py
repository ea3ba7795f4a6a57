"""Reading a Google Benchmark JSON report (results/<machine>/bench.json),
shared by scripts/bench-table.py and plots/plots.py."""


def median_rows(report):
    """(name, row) per benchmark in report order: its median aggregate when
    it was repeated, else its one (first) run."""
    rows, order = {}, []
    for b in report.get("benchmarks", []):
        name = b.get("run_name", b.get("name", ""))
        if name not in rows:
            order.append(name)
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                rows[name] = b
        else:
            rows.setdefault(name, b)
    return [(n, rows[n]) for n in order if n in rows]
