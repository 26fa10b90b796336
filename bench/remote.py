"""Remote stores at scale (issue 26): the bundled data plus a synthetic corpus pushed to a real
Oxigraph server and a real Virtuoso 7, then read back, beside the embedded store in the same run.

    python bench/remote.py [--size 10000] [--json out.json]

For each server, in fresh child processes (so each figure includes what a user's call pays):
  push        ``igkg --data syn-N.ttl push --endpoint URL``: seconds and the client's peak
              memory (the full closure was compiled before, so push is the upload alone), and
              the server's peak memory after it;
  lookup      ``open_remote`` (the manifest read; this machine counted the release when it
              pushed it) then the first ``lineage`` of a name (a symbol, resolved on the server)
              and the median of 10 more, each a different instrument; then ``open_remote`` with
              ``recount`` (what another machine's first read, and every ``stats``, pays);
  cli         a fresh ``igkg lineage NAME --direction up`` process, median of 3, wall time
              including the interpreter's start (the embedded side: ``--data syn-N.ttl``);
  queries     every named query, cold in its own child, with parameters that return rows.
The embedded column runs the same lookups and queries on the compiled graph on this machine.
Virtuoso runs with ResultSetMaxRows raised to 1,000,000, since some named queries return more
than its default 10,000 rows at this size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from compare import PARAMS  # noqa: E402  (the same parameters as the main bench)
from synthetic import synthetic_turtle  # noqa: E402
from tests.servers import Server, start_oxigraph, start_virtuoso  # noqa: E402

LATER = 10

CHILD = r"""
import json, resource, statistics, sys, time
from igkg import api
mode, where, data, refs, query, params = json.loads(sys.argv[1])
out = {}
t = time.perf_counter()
if mode == "push":
    kg = api.open_graph([data])
    kg.full()
    t = time.perf_counter()
    report = api.push(kg, api.endpoint(where))
    out["seconds"] = time.perf_counter() - t
    out["triples"] = sum(n for _, n in report.graphs)
else:
    kg = api.open_remote(api.endpoint(where)) if where else api.open_graph([data])
    out["open"] = time.perf_counter() - t
    if query:
        t = time.perf_counter()
        rows = api.query(kg, query, params=params).rows
        out["seconds"], out["rows"] = time.perf_counter() - t, len(rows)
    else:
        times, steps = [], []
        for ref in refs:
            t = time.perf_counter()
            lin = api.lineage(kg, ref, direction="up")
            times.append(time.perf_counter() - t)
            steps.append(len(lin.steps))
        out["first"], out["later"], out["steps"] = times[0], statistics.median(times[1:]), steps
        if where:
            t = time.perf_counter()
            api.open_remote(api.endpoint(where), recount=True)
            out["recount"] = time.perf_counter() - t
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def child(env: dict[str, str], *args: object) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, json.dumps(list(args))], env=env, capture_output=True, text=True, timeout=3600)
    if proc.returncode:
        raise SystemExit(f"child failed: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else proc.returncode}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def server_peak_mb(server: Server) -> float:
    for line in Path(f"/proc/{server.proc.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def named_queries() -> dict[str, dict[str, str]]:
    from igkg.analysis.queries import named_queries as listed

    return {q.name: PARAMS.get(q.name, {}) for q in listed()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=10_000)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--servers", default="oxigraph,virtuoso", help="which servers, comma-separated")
    args = ap.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="igkg-remote-bench-"))
    env = {**os.environ, "IGKG_CACHE_DIR": str(scratch / "cache"), "IGKG_USER_DATA": str(scratch / "empty")}
    (scratch / "empty").mkdir()
    syn = scratch / f"syn-{args.size}.ttl"
    syn.write_text(synthetic_turtle(args.size), encoding="utf-8")
    rnd = random.Random(1)
    refs = [f"SYN/{i}" for i in rnd.sample(range(args.size), LATER + 1)]
    queries = named_queries()
    results: dict[str, dict] = {}

    def cli(where: str | None) -> float:
        times = []
        for ref in refs[:3]:
            place = ["--endpoint", where] if where else []
            command = [sys.executable, "-c", "from igkg.cli import run; run()", *([] if where else ["--data", str(syn)]),
                       "lineage", ref, "--direction", "up", *place]
            t = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        return sorted(times)[1]

    def reads(where: str | None) -> dict:
        got = {"lookup": child(env, "read", where, str(syn), refs, None, {}), "cli": cli(where)}
        for name, params in queries.items():
            got[name] = child(env, "read", where, str(syn), [], name, params)
        return got

    started = time.perf_counter()
    print(f"compiling g{args.size // 1000}k with the full closure…", file=sys.stderr)
    subprocess.run([sys.executable, "-c", "from igkg import api; import sys; api.open_graph([sys.argv[1]]).full()", str(syn)],
                   env=env, check=True)
    results["embedded"] = reads(None)
    starts = {"oxigraph": start_oxigraph, "virtuoso": lambda d: start_virtuoso(d, max_rows=1_000_000)}
    failed = {}
    for kind in args.servers.split(","):
        start = starts[kind]
        folder = scratch / kind
        folder.mkdir()
        print(f"{kind}: starting, pushing…", file=sys.stderr)
        server = start(folder)
        try:
            pushed = child(env, "push", server.url, str(syn), [], None, {})
            pushed["server_mb"] = server_peak_mb(server)
            results[kind] = {"push": pushed, **reads(server.url)}
            results[kind]["server_mb_after_reads"] = server_peak_mb(server)
        except SystemExit as e:  # one server's failure is a result too
            failed[kind] = str(e)
            print(f"{kind}: {e}", file=sys.stderr)
        finally:
            server.stop()
        if args.json:  # written as each server is done, so a later failure loses nothing
            args.json.write_text(json.dumps({**results, "failed": failed}, indent=1))
    print(f"whole run {time.perf_counter() - started:.0f} s", file=sys.stderr)
    print(table(results, args.size, queries))
    for kind, why in failed.items():
        print(f"\n{kind} failed: {why}")


def table(results: dict[str, dict], size: int, queries: dict[str, dict[str, str]]) -> str:
    names = {"oxigraph": "Oxigraph server", "virtuoso": "Virtuoso 7"}
    sides = ["embedded", *(s for s in names if s in results)]
    lines = [f"### g{size // 1000}k: the bundled data plus {size:,} synthetic instruments", "",
             "| measure | embedded | " + " | ".join(names[s] for s in sides[1:]) + " | "
             + " | ".join(f"{names[s].split()[0]}/embedded" for s in sides[1:]) + " |",
             "|---|" + "---:|" * (2 * len(sides) - 1)]

    def row(label: str, values: list[float | None], fmt: str = "{:.2f} s") -> None:
        cells = [fmt.format(v) if v is not None else "—" for v in values]
        base = values[0]
        ratios = [f"{v / base:.1f}x" if v is not None and base else "—" for v in values[1:]]
        lines.append(f"| {label} | {' | '.join(cells)} | {' | '.join(ratios)} |")

    pushes = [None] + [results[s]["push"] for s in sides[1:]]
    row(f"push, {pushes[1]['triples']:,} triples (client)", [None] + [p["seconds"] for p in pushes[1:]])
    row("push: client peak memory", [None] + [p["rss_mb"] for p in pushes[1:]], "{:.0f} MB")
    row("server peak memory after push", [None] + [p["server_mb"] for p in pushes[1:]], "{:.0f} MB")
    row("server peak memory after the reads", [None] + [results[s]["server_mb_after_reads"] for s in sides[1:]], "{:.0f} MB")
    row("open (the manifest read)", [results[s]["lookup"]["open"] for s in sides])
    row("open, the graphs counted (a machine's first read; stats)", [None] + [results[s]["lookup"]["recount"] for s in sides[1:]])
    row("first lineage of a name (SYN/…), up", [results[s]["lookup"]["first"] for s in sides])
    row(f"later lineage, median of {LATER}", [results[s]["lookup"]["later"] * 1000 for s in sides], "{:.1f} ms")
    row("a fresh `igkg lineage` process, median of 3", [results[s]["cli"] for s in sides])
    slowest = {s: max(queries, key=lambda q: results[s][q]["seconds"]) for s in sides}
    for name in queries:
        row(f"`{name}` ({results['embedded'][name]['rows']:,} rows)", [results[s][name]["seconds"] for s in sides])
    lines.append("")
    lines.append("Slowest named query: " + "; ".join(f"{s} `{slowest[s]}` {results[s][slowest[s]]['seconds']:.2f} s" for s in sides) + ".")
    same = all(results[s][q]["rows"] == results["embedded"][q]["rows"] for s in sides[1:] for q in queries)
    lines.append("Row counts " + ("equal on every side." if same else "DIFFER: " + ", ".join(
        f"{s} {q} {results[s][q]['rows']} vs {results['embedded'][q]['rows']}" for s in sides[1:] for q in queries
        if results[s][q]["rows"] != results["embedded"][q]["rows"])))
    steps = {s: results[s]["lookup"]["steps"] for s in sides}
    lines.append("Lineage steps " + ("equal on every side." if len({json.dumps(v) for v in steps.values()}) == 1 else f"DIFFER: {steps}"))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
