"""The build stages at scale: igkg's path against the reference path, measured in one run.

For each size (instruments in a synthetic graph shaped like the real one, see
synthetic.py) two fresh processes run the same stages, one per path:

    path       reason          validate              query / export
    igkg       fastreason.py   pySHACL + checks      rdflib
    reference  owlrl           pySHACL + checks      rdflib

Each stage reports seconds and the process's peak resident memory so far. owlrl is
not started above --owlrl-max asserted triples (default 60,000, enough for g1k; it grows at ~4 ms per triple and does
not finish in hours at g10k); a stage that would start after --bound seconds of its
process is skipped and reported as such. Validation, querying and export have no fast
path yet, so their ratio is 1 by construction: the table says so rather than hiding it.

Usage:
    python bench/run.py [SIZES...]               (default 1000; "g1k" = 1000, "g10k" = 10000)
    python bench/run.py 1000 10000 --bound 900
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STAGES = ("load", "reason", "validate", "query", "export")
# Named queries that run without parameters, plus citing with the most-cited paragraph.
PLAIN_QUERIES = ("igf-vs-ec", "instruments-by-body", "meetings", "most-cited", "stakeholder-roles", "timeline",
                 "unresolved-references", "unverified-facts")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_path(path: str, data: Path, bound: float, owlrl_max: int) -> dict[str, dict[str, float | str]]:
    """All stages in this process; one JSON object per stage."""
    from igkg import resources
    from igkg.build import KnowledgeGraph
    from igkg.export import export
    from igkg.load import SourceSet, asserted_graph, load
    from igkg.models import BuildReport
    from igkg.query import find_query, run_query
    from igkg.reason import reason
    from igkg.validate import validate_dataset

    out: dict[str, dict[str, float | str]] = {}
    start = time.perf_counter()

    def timed(stage: str, fn):  # type: ignore[no-untyped-def]
        if time.perf_counter() - start > bound:
            out[stage] = {"skipped": f"process past the {bound:.0f} s bound"}
            return None
        t0 = time.perf_counter()
        value = fn()
        out[stage] = {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb()}
        return value

    sources = SourceSet(ontology=(resources.ontology_file(),), data=(data,))
    ds = timed("load", lambda: load(sources))
    asserted = len(asserted_graph(ds))
    out["load"]["asserted"] = asserted
    if path == "reference" and asserted > owlrl_max:
        out["reason"] = {"skipped": f"owlrl not started above {owlrl_max:,} asserted triples"}
        for stage in STAGES[2:]:
            out[stage] = {"skipped": "needs the owlrl closure"}
        return out
    if timed("reason", lambda: reason(ds, "fast" if path == "igkg" else "owlrl")) is None:
        return out
    timed("validate", lambda: validate_dataset(ds))
    report = BuildReport(triples={}, load_seconds=0, reason_seconds=0, from_cache=False, cache_file=None)
    kg = KnowledgeGraph(dataset=ds, sources=sources, report=report)

    def queries() -> None:
        slowest = 0.0
        for name in PLAIN_QUERIES:
            t0 = time.perf_counter()
            run_query(ds, find_query(name), None, kg.index)
            slowest = max(slowest, time.perf_counter() - t0)
        t0 = time.perf_counter()
        run_query(ds, find_query("citing"), {"target": "https://w3id.org/igkg/id/syn-0.para-1"}, kg.index)
        out["query_slowest"] = {"seconds": max(slowest, time.perf_counter() - t0)}

    timed("query", queries)
    timed("export", lambda: export(kg, "turtle"))
    return out


def measure(n: int, bound: float, owlrl_max: int) -> dict[str, dict[str, dict[str, float | str]]]:
    from synthetic import synthetic_turtle

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / f"syn-{n}.ttl"
        data.write_text(synthetic_turtle(n), encoding="utf-8")
        for path in ("igkg", "reference"):
            cmd = [sys.executable, __file__, "--child", path, str(data), "--bound", str(bound), "--owlrl-max", str(owlrl_max)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                results[path] = {"error": {"skipped": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}}
            else:
                results[path] = json.loads(proc.stdout)
    return results


def cell(stage: dict[str, float | str] | None) -> str:
    if stage is None:
        return "—"
    if "skipped" in stage:
        return f"not run ({stage['skipped']})"
    return f"{stage['seconds']:.2f} s / {stage['peak_mb']:.0f} MB"


def table(n: int, results: dict[str, dict[str, dict[str, float | str]]]) -> str:
    ours, ref = results["igkg"], results["reference"]
    for path, res in results.items():
        if "error" in res:
            raise SystemExit(f"bench: the {path} path failed: {res['error']['skipped']}")
    asserted = ours.get("load", {}).get("asserted", "?")
    lines = [f"### {n:,} instruments ({asserted:,} asserted triples)" if isinstance(asserted, int) else f"### {n:,} instruments",
             "", "| stage | igkg (seconds / peak memory) | reference | reference / igkg |", "|---|---:|---:|---:|"]
    for stage in STAGES:
        a, b = ours.get(stage), ref.get(stage)
        ratio = ""
        if a and b and "seconds" in a and "seconds" in b and a["seconds"]:
            ratio = f"{float(b['seconds']) / float(a['seconds']):.1f}x"
            if stage != "reason":
                ratio += " (same code)"
        lines.append(f"| {stage} | {cell(a)} | {cell(b)} | {ratio} |")
    slow = ours.get("query_slowest")
    if slow:
        lines.append(f"\nSlowest named query (igkg path): {float(slow['seconds']):.2f} s.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", default=["1000"])
    ap.add_argument("--bound", type=float, default=600.0, help="seconds after which a process starts no new stage")
    ap.add_argument("--owlrl-max", type=int, default=60_000, help="largest asserted graph owlrl is started on")
    ap.add_argument("--child", nargs=2, metavar=("PATH", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child[0], Path(args.child[1]), args.bound, args.owlrl_max)))
        return
    for size in args.sizes:
        n = {"g1k": 1000, "g10k": 10000}.get(size) or int(size)
        print(table(n, measure(n, args.bound, args.owlrl_max)), flush=True)
        print()


if __name__ == "__main__":
    main()
