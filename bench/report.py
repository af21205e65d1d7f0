#!/usr/bin/env python3
"""Turns one bench/run.sh run into its results: JSON, a Markdown table, an SVG chart and, for a full run, the
latest-results block of docs/performance.md. Standard library only (Debian's python3 is enough).

bench/run.sh only measures and records raw figures; every computation is here:
  report.py report --points FILE --facts FILE --clock-ticks HZ --json F --markdown F --svg F [--doc F]
      the points file has one tab-separated line per point:
        api|raw  load  connections  cpu_ticks_before  cpu_ticks_after  rss_kb  wrk_json (bench/wrk/users.lua's)
        pgbench  load  connections  log_folder (its per-transaction logs, tx*)  output_file (its stdout)
      the facts file has one key=value a line (the run's settings, machine, cold starts, peak memory...)
  report.py ablation --points FILE --facts FILE --clock-ticks HZ --json F --markdown F [--doc F]
      bench/run.sh --ablate's points, one tab-separated line each:
        app  load  connections  round  cpu_ticks_before  cpu_ticks_after  rss_kb  allocated_before  allocated_after  wrk_json
      (app: api, raw or without-<layer>; allocated: GC.GetTotalAllocatedBytes of the ablation host, "-" for the others)
  report.py profile --command C --commit C --load-average L --markdown F  APP LOAD CONNS PERF_SCRIPT_TXT WRK_JSON ...
      bench/run.sh --profile's samples (perf script -F ip,sym,dso, one line per sample), grouped by layer
  report.py warmup-settled --rounds FILE --elapsed-ms MS
      prints the last warm-up round to stderr, then "yes" when the GET rounds (wrk JSON, one a line) have
      settled, else "no"."""

import argparse
import glob
import html
import json
import os
import re
import sys

LOADS = {"get": "GET /users/{id}", "post": "POST /users", "mixed": "mixed 80/20"}
# Issue 14's targets: API throughput as a share of the raw baseline's at every connection count (mixed: at least the
# average of the GET and POST ratios at the same count), GET's CPU per request and p99 against the baseline's.
RATIO_TARGETS = {"get": 0.80, "post": 0.85}
GET_CPU_TARGET = 1.5
P99_GET_TARGET = 1.2
RSS_TARGET_MB = 200
COLD_START_TARGET_MS = 1000
DOC_START = "<!-- bench:latest:start (bench/run.sh rewrites this block) -->"
DOC_END = "<!-- bench:latest:end -->"
ABLATION_START = "<!-- bench:ablation:start (bench/run.sh --ablate rewrites this block) -->"
ABLATION_END = "<!-- bench:ablation:end -->"
LAYERS = {
    "none": "nothing (the ablation host: the API composed from another entry assembly)",
    "rate-limiter": "rate limiter (AddRateLimitPerClient, UseRateLimiter)",
    "request-timeouts": "request timeouts (AddRequestTimeout, UseRequestTimeouts)",
    "security-headers": "security headers (UseSecurityHeaders)",
    "forwarded-headers": "forwarded headers (UseForwardedHeaders)",
    "logging-scopes": "logging scopes (the hosting layer's request scope)",
    "connection-per-request": "per-request connection (KeepConnectionOpenInterceptor)",
    "api-controller-filters": "[ApiController]'s filters (invalid-model 400, client-error mapping)",
    "problem-details": "problem details (exception handler, status code pages, writer)",
    "kestrel-limits": "Kestrel limits and the URL/header budget middleware",
    "cors": "CORS (UseCors with no allowed origin)",
    "openapi": "OpenAPI documents and UI (NSwag middleware)",
    "opentelemetry": "OpenTelemetry (nothing is registered without an endpoint)",
    "all": "all of the layers above at once",
}


def percentile(ordered, percent):
    """The value at rank ceil(n * percent / 100) of the sorted values (the nearest-rank percentile)."""
    return ordered[max((len(ordered) * percent + 99) // 100, 1) - 1]


def median(values):
    """The middle value; of an even count, the lower of the two middle ones."""
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2]


def app_point(cpu_ticks_before, cpu_ticks_after, rss_kb, wrk_json, clock_ticks):
    wrk = json.loads(wrk_json)
    requests = wrk["requests"]
    cpu_seconds = (int(cpu_ticks_after) - int(cpu_ticks_before)) / clock_ticks
    return {
        "rps": wrk["rps"], "requests": requests, "p50_ms": wrk["p50_us"] / 1000,
        "p99_ms": wrk["p99_us"] / 1000, "errors": wrk["non_2xx"] + wrk["socket_errors"],
        "statuses": wrk["statuses"], "rss_mb": int(rss_kb) / 1024,
        "cpu_us_per_request": cpu_seconds * 1e6 / requests if requests else None,
    }


def pgbench_point(log_folder, output_file):
    """tps and failed transactions from pgbench's output; p50/p99 from its per-transaction logs, whose third
    column is the transaction's time in microseconds ("failed" for a failed one: counted, not timed)."""
    requests = 0
    latencies = []
    for path in sorted(glob.glob(os.path.join(log_folder, "tx*"))):
        with open(path, encoding="utf-8") as log:
            for line in log:
                fields = line.split()
                if len(fields) < 3:
                    continue
                requests += 1
                if fields[2].isdigit():
                    latencies.append(int(fields[2]))
    if not latencies:
        sys.exit(f"report: no timed transaction in pgbench's logs in {log_folder}")
    latencies.sort()
    with open(output_file, encoding="utf-8") as file:
        output = file.read()
    tps = re.search(r"^tps = ([0-9.]+) \(without initial connection time\)$", output, re.M)
    failed = re.search(r"^number of failed transactions: ([0-9]+)", output, re.M)
    return {
        "rps": float(tps.group(1)) if tps else 0, "requests": requests,
        "p50_ms": percentile(latencies, 50) / 1000, "p99_ms": percentile(latencies, 99) / 1000,
        "errors": int(failed.group(1)) if failed else 0, "cpu_us_per_request": None,
    }


def load_points(path, clock_ticks):
    points = {}
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            target, load, connections = fields[:3]
            if target == "pgbench" and len(fields) == 5:
                point = pgbench_point(*fields[3:])
            elif target in ("api", "raw") and len(fields) == 7:
                point = app_point(*fields[3:], clock_ticks)
            else:
                sys.exit(f"report: {path}:{number}: not a point line: {line.strip()}")
            points[(load, int(connections), target)] = point
    return points


def read_facts(path):
    """The key=value lines bench/run.sh writes (a value runs to the end of its line)."""
    facts = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep:
                facts[key] = value
    return facts


def build_meta(facts):
    """The results' "meta" object from the run's facts: settings, machine, cold start (the median of the
    runs), peak memory."""
    def fact(key):
        if key not in facts:
            sys.exit(f"report: the facts file has no {key}")
        return facts[key]

    def whole(key):
        return int(fact(key))

    def per_app(key, convert=whole):
        return {name: convert(f"{key}.{name}") for name in ("api", "raw")}

    def cold_start(key):
        return median([int(ms) for ms in fact(key).split()])

    return {
        "date": fact("date"),
        "command": fact("command"),
        "commit": fact("commit"),
        "quick": fact("quick") == "true",
        "duration_s": whole("duration_s"),
        "warmup_s": whole("warmup_s"),
        "warmup_max_s": whole("warmup_max_s"),
        "warmed_s": per_app("warmed_s"),
        "users": whole("users"),
        "connections": [int(conns) for conns in fact("connections").split()],
        "load_threads": whole("load_threads"),
        "extra_api_env": fact("extra_api_env"),
        "machine": {
            "cores": whole("cores"),
            "cpu": fact("cpu") or "unknown",
            "memory_mb": whole("memory_kb") // 1024,
            "kernel": fact("kernel"),
            "dotnet": fact("dotnet"),
            "postgres": fact("postgres"),
            "wrk": fact("wrk"),
            "load_average_at_start": fact("load_average_at_start"),
        },
        "cold_start_ms": per_app("cold_start_runs_ms", cold_start),
        "peak_rss_kb": per_app("peak_rss_kb"),
        "build_and_migrate_ms": whole("build_and_migrate_ms"),
        "total_ms": whole("total_ms"),
    }


def warmup_settled(rounds_path, elapsed_ms):
    """Settled: the last two GET rounds each no more than 5 % above the best round before it (one slow round
    on a shared machine is noise, not the end of the warm-up)."""
    with open(rounds_path, encoding="utf-8") as lines:
        rates = [json.loads(line)["rps"] for line in lines if line.strip()]
    if not rates:
        sys.exit(f"report: no warm-up round in {rounds_path}")
    best, stale = 0, 0
    for rps in rates:
        stale = 0 if rps > best * 1.05 else stale + 1
        best = max(best, rps)
    print(f"    {elapsed_ms / 1000:5.1f} s: GET {rates[-1]:.1f} requests/s", file=sys.stderr)
    return stale >= 2


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
    by_point = {(row["load"], row["connections"]): row for row in rows}
    for row in rows:
        load, conns = row["load"], row["connections"]
        if load in RATIO_TARGETS:
            goal = RATIO_TARGETS[load]
            checks.append((f"{LOADS[load]} at {conns} connections: API ≥ {goal:.2f} × raw",
                           f"{row['api_over_raw']:.2f} ×", row["api_over_raw"] >= goal))
        elif ("get", conns) in by_point and ("post", conns) in by_point:
            goal = (by_point[("get", conns)]["api_over_raw"] + by_point[("post", conns)]["api_over_raw"]) / 2
            checks.append((f"{LOADS[load]} at {conns} connections: API/raw ≥ the average of GET's and POST's ({goal:.2f})",
                           f"{row['api_over_raw']:.2f} ×", row["api_over_raw"] >= goal))
        if load == "get":
            cpu = ratio(row["api"]["cpu_us_per_request"], row["raw"]["cpu_us_per_request"])
            if cpu is not None:
                checks.append((f"GET CPU per request at {conns} connections: API ≤ {GET_CPU_TARGET:g} × raw",
                               f"{cpu:.2f} ×", cpu <= GET_CPU_TARGET))
    for row in rows:
        if row["load"] == "get" and row["connections"] == max(meta["connections"]):
            p99, raw_p99 = row["api"]["p99_ms"], row["raw"]["p99_ms"]
            checks.append((f"GET p99 at {row['connections']} connections ≤ {P99_GET_TARGET:g} × raw's ({raw_p99:.1f} ms)",
                           f"{p99:.1f} ms ({p99 / raw_p99:.2f} ×)", p99 <= P99_GET_TARGET * raw_p99))
    rss = meta["peak_rss_kb"]["api"] / 1024
    checks.append((f"API peak RSS ≤ {RSS_TARGET_MB} MB", f"{rss:.0f} MB", rss <= RSS_TARGET_MB))
    cold = meta["cold_start_ms"]["api"]
    checks.append((f"API cold start to first 200 ≤ {COLD_START_TARGET_MS / 1000:g} s", f"{cold} ms",
                   cold <= COLD_START_TARGET_MS))
    return checks


def check_errors(rows):
    """No target may answer an error, in any run, quick or not: wrk's non-2xx answers and socket errors (connect,
    read, write, timeout) for the API and the raw baseline, pgbench's failed transactions. A run with errors measured
    something broken, so these checks are always judged, and report fails the run on any of them."""
    names = {"api": "API", "raw": "raw baseline", "pgbench": "pgbench"}
    checks = []
    for target, name in names.items():
        errors = sum(row[target]["errors"] for row in rows)
        what = "failed transactions" if target == "pgbench" else "non-2xx answers and socket errors"
        checks.append((f"{name} errors ({what}): 0", str(errors), errors == 0))
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
    ]
    if meta["quick"]:
        out += ["A `--quick` run is a smoke run (seconds per point, no settled warm-up): its speed figures are not judged, "
                "so no speed target is listed; only errors are, and any error fails it.", ""]
    out += [
        "| target | measured | |",
        "|---|---:|---|",
    ]
    verdicts = {True: "met", False: "**missed**", None: "not judged"}
    out += [f"| {name} | {value} | {verdicts[ok]} |" for name, value, ok in checks]
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


def ablation_points(path, clock_ticks):
    """{(app, load, connections): [point, ...]} with each point's allocated bytes per request (None if not read)."""
    points = {}
    with open(path, encoding="utf-8") as file:
        for line in file:
            app, load, conns, round_, before, after, rss, alloc_before, alloc_after, wrk = line.rstrip("\n").split("\t", 9)
            point = app_point(before, after, rss, wrk, clock_ticks)
            point["round"] = int(round_)
            point["bytes_per_request"] = (
                (int(alloc_after) - int(alloc_before)) / point["requests"]
                if alloc_before.isdigit() and alloc_after.isdigit() and point["requests"] else None)
            points.setdefault((app, load, int(conns)), []).append(point)
    return points


def ablation_rows(points, facts):
    """Per app, load and connections: the median over the rounds of req/s, CPU per request and bytes per request, and
    the ratios to the API and the raw baseline of the same rounds (the medians of the per-round ratios)."""
    rows = []
    for (app, load, conns), measured in sorted(points.items(), key=lambda item: (item[0][1], item[0][2])):
        api = {p["round"]: p for p in points.get(("api", load, conns), [])}
        raw = {p["round"]: p for p in points.get(("raw", load, conns), [])}
        def ratios(other, key):
            values = [ratio(p[key], other[p["round"]][key]) for p in measured if p["round"] in other]
            return median([v for v in values if v is not None]) if any(v is not None for v in values) else None
        rows.append({
            "app": app, "load": load, "connections": conns, "rounds": len(measured),
            "peak_rss_mb": int(facts[rss_key]) / 1024 if facts.get(rss_key := "peak_rss_kb." + app.replace("=", ":"), "").isdigit() else None,
            "rps": median([p["rps"] for p in measured]),
            "cpu_us_per_request": median([p["cpu_us_per_request"] for p in measured]),
            "bytes_per_request": median([p["bytes_per_request"] for p in measured])
            if all(p["bytes_per_request"] is not None for p in measured) else None,
            "errors": sum(p["errors"] for p in measured),
            "rps_over_api": ratios(api, "rps"), "rps_over_raw": ratios(raw, "rps"),
            "cpu_over_api": ratios(api, "cpu_us_per_request"), "cpu_over_raw": ratios(raw, "cpu_us_per_request"),
        })
    order = ["api", "raw", "api-before"] + [f"without-{layer}" for layer in LAYERS]
    rows.sort(key=lambda r: (r["load"], r["connections"], order.index(r["app"].partition("+")[0])
                             if r["app"].partition("+")[0] in order else len(order), r["app"]))
    return rows


def ablation_markdown(rows, facts):
    out = [
        f"Run of {facts['date']} on commit `{facts['commit']}`: `{facts['command']}`",
        f"({facts['rounds']} rounds of {facts['duration_s']} s per app, the order rotated every round; {facts['cores']} cores, "
        f"load average {facts['load_average_at_start']} at the start.) Medians over the rounds; each ratio is the median of "
        "the per-round ratios to the API or the raw baseline measured in the same round.",
        "",
        "| load | conns | left out | req/s | × API | × raw | CPU µs/request | CPU × API | CPU × raw | KB allocated/request "
        "| peak RSS MB | errors |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        layer, _, settings = r["app"].removeprefix("without-").partition("+")
        name = {"api": "— (the API as shipped)", "raw": "— (the raw baseline)",
                "api-before": f"— (the API of `{facts.get('before', '?')}`: before the change)"}.get(r["app"], LAYERS.get(layer, layer))
        if settings:
            name += ", with " + ", ".join(f"`{setting}`" for setting in settings.split("+"))
        kb = r["bytes_per_request"] / 1024 if r["bytes_per_request"] is not None else None
        out.append(
            f"| {LOADS[r['load']]} | {r['connections']} | {name} | {fmt(r['rps'])} | {fmt(r['rps_over_api'], 2)} "
            f"| {fmt(r['rps_over_raw'], 2)} | {fmt(r['cpu_us_per_request'])} | {fmt(r['cpu_over_api'], 2)} "
            f"| {fmt(r['cpu_over_raw'], 2)} | {fmt(kb, 1)} | {fmt(r['peak_rss_mb'])} | {r['errors']} |")
    return "\n".join(out) + "\n"


def ablation(args):
    facts = read_facts(args.facts)
    rows = ablation_rows(ablation_points(args.points, args.clock_ticks), facts)
    table = ablation_markdown(rows, facts)
    with open(args.json, "w", encoding="utf-8") as file:
        json.dump({"facts": facts, "rows": rows}, file, indent=2)
        file.write("\n")
    with open(args.markdown, "w", encoding="utf-8") as file:
        file.write(table)
    if args.doc:
        with open(args.doc, encoding="utf-8") as file:
            doc = file.read()
        pattern = re.compile(re.escape(ABLATION_START) + ".*?" + re.escape(ABLATION_END), re.S)
        if pattern.search(doc):
            doc = pattern.sub(lambda _: f"{ABLATION_START}\n{table}{ABLATION_END}", doc)
            with open(args.doc, "w", encoding="utf-8") as file:
                file.write(doc)
    print()
    print(table)
    failed = [r["app"] for r in rows if r["errors"]]
    if failed:
        sys.exit("report: errors in the ablation run, from " + ", ".join(failed))


# The layers of a request, by the assembly (JIT-compiled code, named by the runtime's perf map) or the shared object
# a sample's instruction pointer is in. First match wins.
PROFILE_LAYERS = [
    ("Kestrel and sockets", re.compile(r"\[(Microsoft\.AspNetCore\.Server\.Kestrel[\w.]*|System\.IO\.Pipelines|System\.Net\.Sockets|"
                                       r"Microsoft\.AspNetCore\.Connections\.Abstractions)\]")),
    ("MVC", re.compile(r"\[Microsoft\.AspNetCore\.Mvc[\w.]*\]")),
    ("EF Core", re.compile(r"\[Microsoft\.EntityFrameworkCore[\w.]*\]")),
    ("Npgsql", re.compile(r"\[Npgsql[\w.]*\]")),
    ("serialization (System.Text.Json)", re.compile(r"\[System\.Text\.Json\]")),
    ("ASP.NET Core hosting, routing and middleware", re.compile(r"\[Microsoft\.AspNetCore[\w.]*\]|\[System\.Threading\.RateLimiting\]")),
    ("logging, DI, options (Microsoft.Extensions)", re.compile(r"\[Microsoft\.Extensions[\w.]*\]")),
    ("GinoDemo and the baseline's own code", re.compile(r"\[(GinoDemo[\w.]*|RawBaseline)\]")),
    ("NSwag", re.compile(r"\[(NSwag|NJsonSchema)[\w.]*\]")),
    ("CoreLib and other System.* (tasks, strings, collections)", re.compile(r"\[(System[\w.]*|mscorlib)\]")),
]


PROFILE_TOP_METHODS = 25


def profile_layer(dso, symbol):
    """The layer one perf sample belongs to (see PROFILE_LAYERS), from its shared object and symbol."""
    if "kernel" in dso:
        return "kernel (sockets, scheduling, page faults)"
    if dso.endswith("libcoreclr.so"):
        if re.search(r"gc_heap|GCHeap|\bWKS::|\bSVR::|gc\.cpp|mark_object|plan_phase|relocate|memclr|clr_mem", symbol):
            return "GC"
        return "runtime (allocation helpers, casts, stubs, thread pool)"
    if dso.endswith("libclrjit.so"):
        return "JIT compiler"
    if "libc" in dso and "perf-" not in dso:
        return "libc (memset, memmove, locks)"
    # Code compiled ahead of time (ReadyToRun) runs from the assembly's own file: its name says the assembly.
    if dso.endswith(".dll"):
        symbol = f"[{os.path.basename(dso)[:-4]}] {symbol}"
    for name, pattern in PROFILE_LAYERS:
        if pattern.search(symbol):
            return name
    if "perf-" in dso or dso.endswith(".map"):
        return "other JIT-compiled code (stubs, unnamed)"
    return "other native code"


def profile(args):
    triples = args.samples
    if len(triples) % 5:
        sys.exit("report: profile takes APP LOAD CONNS FILE WRK_JSON, five at a time")
    columns, totals, requests, methods = [], {}, {}, {}
    for i in range(0, len(triples), 5):
        app, load, conns, path, wrk = triples[i:i + 5]
        key = (app, load, conns)
        columns.append(key)
        counts, symbols = {}, {}
        with open(path, encoding="utf-8", errors="replace") as file:
            for line in file:
                # "ADDRESS SYMBOL (DSO)", one per sample.
                line = re.sub(r"^[0-9a-f]+\s+", "", line.strip())
                if not line:
                    continue
                match = re.match(r"(.*)\(([^()]*)\)$", line)
                symbol, dso = (match.group(1).strip(), match.group(2)) if match else (line, "")
                layer = profile_layer(dso, symbol)
                counts[layer] = counts.get(layer, 0) + 1
                # The JIT tier ("[OptimizedTier1]") is not part of the method's name.
                method = re.sub(r"\[(Optimized|Tier|QuickJitted|PreJIT|Instrumented)[\w]*\]$", "", symbol).strip()
                symbols[(method, layer)] = symbols.get((method, layer), 0) + 1
        totals[key] = counts
        methods[key] = symbols
        requests[key] = json.loads(wrk)["requests"]
    layers = sorted({layer for counts in totals.values() for layer in counts},
                    key=lambda layer: -sum(counts.get(layer, 0) / max(sum(counts.values()), 1) for counts in totals.values()))
    out = [
        f"Profile on commit `{args.commit}`: `{args.command_line}` (load average {args.load_average} at the end). perf samples of each "
        "app's process at 499 Hz while wrk ran (self time: the code the CPU was in, not its callers), grouped by the "
        "assembly of the JIT-compiled method (the runtime's perf map) or the shared object; share of the app's samples, "
        "and samples per 1,000 requests (proportional to CPU per request).",
        "",
        "| layer | " + " | ".join(f"{app} {LOADS[load]} {conns} c." for app, load, conns in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for layer in layers:
        cells = []
        for key in columns:
            counts = totals[key]
            n = counts.get(layer, 0)
            share = 100 * n / max(sum(counts.values()), 1)
            cells.append(f"{share:.1f} % ({1000 * n / max(requests[key], 1):.1f})")
        out.append(f"| {layer} | " + " | ".join(cells) + " |")
    out.append("| **all samples** (per 1,000 requests) | " + " | ".join(
        f"{sum(totals[key].values()):,} ({1000 * sum(totals[key].values()) / max(requests[key], 1):.1f})" for key in columns) + " |")
    # Where the largest layers' time goes: the methods (or native symbols) with the most samples, per app and load.
    for key in columns:
        app, load, conns = key
        out += ["", f"Top {PROFILE_TOP_METHODS} symbols, {app} {LOADS[load]} {conns} connections (samples per 1,000 requests):", "",
                "| symbol | layer | per 1,000 requests | share |", "|---|---|---:|---:|"]
        total = max(sum(totals[key].values()), 1)
        top = sorted(methods[key].items(), key=lambda item: -item[1])[:PROFILE_TOP_METHODS]
        for (method, layer), n in top:
            # Generic arity is written with a backquote (List`1), which would end the code span.
            name = method.replace("|", "\\|").replace("`", "'")
            if len(name) > 140:
                name = name[:137] + "..."
            out.append(f"| `{name}` | {layer} | {1000 * n / max(requests[key], 1):.1f} | {100 * n / total:.1f} % |")
    table = "\n".join(out) + "\n"
    with open(args.markdown, "w", encoding="utf-8") as file:
        file.write(table)
    print()
    print(table)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="compute the results of a run and write them")
    report.add_argument("--points", required=True, help="the run's point lines (tab-separated)")
    report.add_argument("--facts", required=True, help="the run's key=value facts")
    report.add_argument("--clock-ticks", type=int, required=True, help="getconf CLK_TCK: the CPU ticks' rate")
    report.add_argument("--json", required=True)
    report.add_argument("--markdown", required=True)
    report.add_argument("--svg", required=True)
    report.add_argument("--doc", help="docs/performance.md: its latest-results block is replaced")
    ablate = commands.add_parser("ablation", help="compute the results of an ablation run (bench/run.sh --ablate)")
    for name in ("--points", "--facts", "--json", "--markdown"):
        ablate.add_argument(name, required=True)
    ablate.add_argument("--clock-ticks", type=int, required=True)
    ablate.add_argument("--doc", help="docs/performance.md: its ablation block is replaced, if it has one")
    prof = commands.add_parser("profile", help="group bench/run.sh --profile's perf samples by layer")
    for name in ("--command", "--commit", "--load-average", "--markdown"):
        prof.add_argument(name, required=True, dest=name[2:].replace("-", "_") + ("_line" if name == "--command" else ""))
    prof.add_argument("samples", nargs="+", help="APP LOAD CONNS PERF_SCRIPT_TXT WRK_JSON, repeated")
    warmup = commands.add_parser("warmup-settled", help='print "yes" when the warm-up rounds have settled')
    warmup.add_argument("--rounds", required=True, help="wrk's JSON of each GET round so far, one a line")
    warmup.add_argument("--elapsed-ms", type=int, required=True, help="the warm-up's time so far")
    args = parser.parse_args()

    if args.command == "profile":
        profile(args)
        return
    if args.command == "ablation":
        ablation(args)
        return
    if args.command == "warmup-settled":
        print("yes" if warmup_settled(args.rounds, args.elapsed_ms) else "no")
        return

    meta = build_meta(read_facts(args.facts))
    points = load_points(args.points, args.clock_ticks)
    rows = build_rows(points, meta)
    if not rows:
        sys.exit("report: no complete point (API, raw and pgbench) was measured")
    # A smoke run's speed figures are not judged at all: no target is listed, met or missed.
    checks = [] if meta["quick"] else check_targets(rows, meta)
    errors = check_errors(rows)
    checks += errors
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
    failed = [f"{name} (measured {value})" for name, value, ok in errors if not ok]
    if failed:
        sys.exit("report: the run had errors, so its figures measure something broken: " + "; ".join(failed))
    if meta["quick"]:
        print("smoke run: no errors; its speed figures are not judged")


if __name__ == "__main__":
    main()
