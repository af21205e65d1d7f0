#!/usr/bin/env python3
"""Turns one bench/run.sh run into its results: JSON, a Markdown table, an SVG chart and, for a full run, the
latest-results block of docs/performance.md. Standard library only (Debian's python3 is enough)."""

import argparse
import html
import json
import re
import sys

LOADS = {"get": "GET /users/{id}", "post": "POST /users", "mixed": "mixed 80/20"}
# The targets: API throughput as a share of the raw baseline's, per load, at every connection count.
RATIO_TARGETS = {"get": 0.95, "post": 0.90, "mixed": 0.90}
P99_GET_TARGET_MS = 15.0
RSS_TARGET_MB = 200
COLD_START_TARGET_MS = 1500
DOC_START = "<!-- bench:latest:start (bench/run.sh rewrites this block) -->"
DOC_END = "<!-- bench:latest:end -->"


def load_points(path):
    points = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            raw = json.loads(line)
            key = (raw["load"], raw["connections"], raw["target"])
            if raw["target"] == "pgbench":
                pg = raw["pgbench"]
                points[key] = {
                    "rps": pg["rps"], "requests": pg["requests"], "p50_ms": pg["p50_us"] / 1000,
                    "p99_ms": pg["p99_us"] / 1000, "errors": pg["failed"], "cpu_us_per_request": None,
                }
            else:
                wrk = raw["wrk"]
                requests = wrk["requests"]
                points[key] = {
                    "rps": wrk["rps"], "requests": requests, "p50_ms": wrk["p50_us"] / 1000,
                    "p99_ms": wrk["p99_us"] / 1000, "errors": wrk["non_2xx"] + wrk["socket_errors"],
                    "statuses": wrk["statuses"], "rss_mb": raw["rss_kb"] / 1024,
                    "cpu_us_per_request": raw["cpu_seconds"] * 1e6 / requests if requests else None,
                }
    return points


def ratio(a, b):
    return a / b if a is not None and b else None


def fmt(value, digits=0, suffix=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def build_rows(points, meta):
    rows = []
    for load in LOADS:
        for conns in meta["connections"]:
            api, raw, pg = (points.get((load, conns, t)) for t in ("api", "raw", "pgbench"))
            if not (api and raw and pg):
                continue
            rows.append({
                "load": load, "connections": conns, "api": api, "raw": raw, "pgbench": pg,
                "api_over_raw": ratio(api["rps"], raw["rps"]), "api_over_pgbench": ratio(api["rps"], pg["rps"]),
            })
    return rows


def check_targets(rows, meta):
    """Each target with the measured value and whether it is met."""
    checks = []
    for row in rows:
        goal = RATIO_TARGETS[row["load"]]
        checks.append((f"{LOADS[row['load']]} at {row['connections']} connections: API ≥ {goal:.2f} × raw",
                       f"{row['api_over_raw']:.2f} ×", row["api_over_raw"] >= goal))
    for row in rows:
        if row["load"] == "get" and row["connections"] == max(meta["connections"]):
            p99 = row["api"]["p99_ms"]
            checks.append((f"GET p99 at {row['connections']} connections ≤ {P99_GET_TARGET_MS:g} ms",
                           f"{p99:.1f} ms", p99 <= P99_GET_TARGET_MS))
    errors = sum(row["api"]["errors"] for row in rows)
    checks.append(("API errors (non-2xx and socket errors): 0", str(errors), errors == 0))
    rss = meta["peak_rss_kb"]["api"] / 1024
    checks.append((f"API peak RSS ≤ {RSS_TARGET_MB} MB", f"{rss:.0f} MB", rss <= RSS_TARGET_MB))
    cold = meta["cold_start_ms"]["api"]
    checks.append((f"API cold start to first 200 ≤ {COLD_START_TARGET_MS / 1000:g} s", f"{cold} ms",
                   cold <= COLD_START_TARGET_MS))
    return checks


def markdown(rows, meta, checks):
    m = meta["machine"]
    out = [
        f"Run of {meta['date']} on commit `{meta['commit']}`: `{meta['command']}`",
        f"({meta['duration_s']} s per point after a warm-up until the throughput settled (API {meta['warmed_s']['api']} s, "
        f"raw {meta['warmed_s']['raw']} s), {meta['users']:,} seeded users, "
        f"{meta['load_threads']} load-generator thread(s); {m['cores']} cores, {m['cpu']}, {m['memory_mb']:,} MB, "
        f"load average {m['load_average_at_start']} at the start; .NET SDK {m['dotnet']}, PostgreSQL {m['postgres']}, "
        f"wrk {m['wrk']}).",
    ]
    if meta.get("extra_api_env"):
        out.append(f"Experiment: the API ran with `{meta['extra_api_env']}` on top of the production settings.")
    out += [
        "",
        "| load | conns | API req/s | raw req/s | pgbench tx/s | API/raw | API/pgbench |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        out.append(
            f"| {LOADS[row['load']]} | {row['connections']} | {fmt(row['api']['rps'])} | {fmt(row['raw']['rps'])} "
            f"| {fmt(row['pgbench']['rps'])} | {fmt(row['api_over_raw'], 2)} | {fmt(row['api_over_pgbench'], 2)} |")
    out += [
        "",
        "| load | conns | API p50 / p99 ms | raw p50 / p99 ms | pgbench p50 / p99 ms | errors API / raw / pgbench "
        "| CPU µs per request API / raw |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        api, raw, pg = row["api"], row["raw"], row["pgbench"]
        out.append(
            f"| {LOADS[row['load']]} | {row['connections']} | {fmt(api['p50_ms'], 2)} / {fmt(api['p99_ms'], 2)} "
            f"| {fmt(raw['p50_ms'], 2)} / {fmt(raw['p99_ms'], 2)} | {fmt(pg['p50_ms'], 2)} / {fmt(pg['p99_ms'], 2)} "
            f"| {api['errors']} / {raw['errors']} / {pg['errors']} "
            f"| {fmt(api['cpu_us_per_request'])} / {fmt(raw['cpu_us_per_request'])} |")
    rss, cold = meta["peak_rss_kb"], meta["cold_start_ms"]
    out += [
        "",
        f"Peak RSS (VmHWM) after the run: API {rss['api'] / 1024:.0f} MB, raw {rss['raw'] / 1024:.0f} MB. "
        f"Cold start, process start to the first 200 on `GET /` (median): API {cold['api']} ms, raw {cold['raw']} ms.",
        "",
        "| target | measured | |",
        "|---|---:|---|",
    ]
    out += [f"| {name} | {value} | {'met' if ok else '**missed**'} |" for name, value, ok in checks]
    return "\n".join(out) + "\n"


def svg(rows, meta):
    """Grouped bars: requests per second of the API, the raw baseline and pgbench for every point."""
    colors = {"api": "#2f6fb3", "raw": "#9bbbe0", "pgbench": "#b9b9b9"}
    names = {"api": "GinoDemo API", "raw": "raw ASP.NET Core + Npgsql", "pgbench": "pgbench (PostgreSQL alone)"}
    width, height, left, right, top, bottom = 760, 380, 64, 16, 56, 70
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([max(r["api"]["rps"], r["raw"]["rps"], r["pgbench"]["rps"]) for r in rows] + [1])
    step = 10 ** (len(str(int(peak))) - 1)
    for candidate in (1, 2, 2.5, 5, 10):
        if peak / (step * candidate) <= 6:
            step *= candidate
            break
    top_value = step * -(-peak // step)
    y = lambda value: top + plot_h - plot_h * value / top_value  # noqa: E731 (a local scale)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="20" font-size="15" font-weight="bold">Requests per second (higher is better)</text>',
        f'<text x="{left}" y="38" fill="#555">{html.escape(meta["date"])}, {meta["machine"]["cores"]} cores, '
        f'{meta["duration_s"]} s per point; the label above each group is API/raw</text>',
    ]
    value = 0
    while value <= top_value:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#e5e5e5"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#555">{value:,.0f}</text>')
        value += step
    group_w = plot_w / max(len(rows), 1)
    bar_w = group_w * 0.8 / 3
    for i, row in enumerate(rows):
        x0 = left + i * group_w + group_w * 0.1
        for j, target in enumerate(("api", "raw", "pgbench")):
            rps = row[target]["rps"]
            parts.append(f'<rect x="{x0 + j * bar_w:.1f}" y="{y(rps):.1f}" width="{bar_w - 2:.1f}" '
                         f'height="{top + plot_h - y(rps):.1f}" fill="{colors[target]}"><title>{names[target]}: '
                         f'{rps:,.0f} req/s</title></rect>')
        label_y = y(max(row["api"]["rps"], row["raw"]["rps"], row["pgbench"]["rps"])) - 5
        parts.append(f'<text x="{x0 + 1.5 * bar_w:.1f}" y="{label_y:.1f}" text-anchor="middle">'
                     f'{row["api_over_raw"]:.2f}×</text>')
        parts.append(f'<text x="{x0 + 1.5 * bar_w:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                     f'{html.escape(LOADS[row["load"]])}</text>')
        parts.append(f'<text x="{x0 + 1.5 * bar_w:.1f}" y="{top + plot_h + 31}" text-anchor="middle" fill="#555">'
                     f'{row["connections"]} conns</text>')
    legend_x = left
    for target in ("api", "raw", "pgbench"):
        parts.append(f'<rect x="{legend_x}" y="{height - 20}" width="12" height="12" fill="{colors[target]}"/>')
        parts.append(f'<text x="{legend_x + 17}" y="{height - 10}">{names[target]}</text>')
        legend_x += 230
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", required=True)
    parser.add_argument("--meta", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--markdown", required=True)
    parser.add_argument("--svg", required=True)
    parser.add_argument("--doc", help="docs/performance.md: its latest-results block is replaced")
    args = parser.parse_args()

    with open(args.meta, encoding="utf-8") as file:
        meta = json.load(file)
    points = load_points(args.points)
    rows = build_rows(points, meta)
    if not rows:
        sys.exit("report: no complete point (API, raw and pgbench) was measured")
    checks = check_targets(rows, meta)
    table = markdown(rows, meta, checks)

    with open(args.json, "w", encoding="utf-8") as file:
        json.dump({"meta": meta, "rows": rows,
                   "targets": [{"target": n, "measured": v, "met": ok} for n, v, ok in checks]},
                  file, indent=2)
        file.write("\n")
    with open(args.markdown, "w", encoding="utf-8") as file:
        file.write(table)
    with open(args.svg, "w", encoding="utf-8") as file:
        file.write(svg(rows, meta))
    if args.doc:
        with open(args.doc, encoding="utf-8") as file:
            doc = file.read()
        pattern = re.compile(re.escape(DOC_START) + ".*?" + re.escape(DOC_END), re.S)
        if not pattern.search(doc):
            sys.exit(f"report: {args.doc} has no block between {DOC_START} and {DOC_END}")
        doc = pattern.sub(lambda _: f"{DOC_START}\n{table}{DOC_END}", doc)
        with open(args.doc, "w", encoding="utf-8") as file:
            file.write(doc)
    print()
    print(table)


if __name__ == "__main__":
    main()
