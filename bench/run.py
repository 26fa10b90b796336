"""The build stages at scale: igkg's path against the reference path, measured in one run.

For each size (instruments in a synthetic graph shaped like the real one, see
synthetic.py) fresh processes run the same stages, one per path:

    path       load        reason          validate                   query / lineage / export
    oxigraph   pyoxigraph  closure.py   shapes as SPARQL + checks  Oxigraph / rdflib view
    memory     rdflib      closure.py   pySHACL + checks           rdflib
    reference  rdflib      owlrl           pySHACL + checks           rdflib

The oxigraph path also persists the store (compacts it, closes it, opens it read-only as a CLI call does) before validating ("persist"),
and at the end reasons once more into an in-memory store, the figure to set beside owlrl's
in-memory closure (its "reason" stage includes writing 1.4 million quads to disk at g10k); every
path builds the name index the build caches ("index"), and times lineage lookups ("lineage":
the first lookup, then the median of 20 warm ones; each reads what its walk reaches).

Last, the oxigraph path writes the compiled quads, dumped as N-Quads, into a new on-disk store
and compacts it ("store_write"): the floor any build that keeps these quads in Oxigraph's store
pays. It runs minutes after the build, so on a machine whose pace changes the ratio of the two
moves too (1.51-2.23x at g10k, the same code, 2026-12-03); compare code against code in one sitting.

Each stage reports seconds, the process's peak resident memory so far, its CPU seconds, and the
CPU time the host gave other guests meanwhile ("steal", from /proc/stat where there is one). owlrl is
not started above --owlrl-max asserted triples (default 60,000, enough for g1k; it grows at ~4 ms per triple and does
not finish in hours at g10k); a stage that would start after --bound seconds of its
process is skipped and reported as such. Export runs the same code on every path (Oxigraph's
Turtle writer, fed sorted lines read from the path's store), so its ratio measures only the
reading out, not a faster writer.

Usage:
    python bench/run.py [SIZES...]               (default 1000; "g1k" = 1000, "g10k" = 10000)
    python bench/run.py 1000 10000 --bound 900
    python bench/run.py 10000 --paths oxigraph   (the igkg path alone)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

STAGES = ("load", "reason", "persist", "validate", "index", "query", "lineage", "export")
PATHS = ("oxigraph", "memory", "reference")
# Named queries that run without parameters, plus citing with the most-cited paragraph.
PLAIN_QUERIES = ("igf-vs-ec", "instruments-by-body", "meetings", "most-cited", "stakeholder-roles", "timeline",
                 "unresolved-references", "unverified-facts")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def _steal_seconds() -> float | None:
    """CPU time the host gave to other guests, summed over this machine's cores (Linux's
    /proc/stat); None where that is not known. A virtual machine whose neighbours are busy runs
    the same code slower, and this says by how much time a run was robbed."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run_path(path: str, data: Path, bound: float, owlrl_max: int) -> dict[str, dict[str, float | str]]:
    """All stages in this process; one JSON object per stage."""
    from igkg import resources
    from igkg.analysis.queries import bind_params, find_query, run_query
    from igkg.graph import KnowledgeGraph
    from igkg.models import BuildReport
    from igkg.pipeline.export import export
    from igkg.pipeline.load import SourceSet, asserted_graph, load
    from igkg.pipeline.reason import reason
    from igkg.pipeline.validate import validate_store

    out: dict[str, dict[str, float | str]] = {}
    start = time.perf_counter()

    def timed(stage: str, fn):  # type: ignore[no-untyped-def]
        if time.perf_counter() - start > bound:
            out[stage] = {"skipped": f"process past the {bound:.0f} s bound"}
            return None
        t0, cpu0, steal0 = time.perf_counter(), _cpu_seconds(), _steal_seconds()
        value = fn()
        out[stage] = {"seconds": time.perf_counter() - t0, "peak_mb": _peak_mb(), "cpu": _cpu_seconds() - cpu0}
        if steal0 is not None and (steal1 := _steal_seconds()) is not None:
            out[stage]["steal"] = steal1 - steal0
        return value

    sources = SourceSet(ontology=(resources.ontology_file(),), data=(data,))
    n_instruments = int(data.stem.split("-")[-1])
    report = BuildReport(triples={}, load_seconds=0, reason_seconds=0, from_cache=False, cache_file=None)
    if path == "oxigraph":
        import pyoxigraph

        from igkg.store import oxigraph_compile as compiling
        from igkg.store.oxigraph import OxigraphStore
        from igkg.vocab import ASSERTED_GRAPHS

        # As the build does it (oxigraph_compile.compile_store, then compile.compile_graph): loaded and
        # reasoned into a store on disk by the bulk loader, compacted, closed and opened
        # read-only as a CLI call opens it, then validated.
        folder = data.with_name(f"store-{data.stem}")
        store = pyoxigraph.Store(str(folder))
        # As compile_into times them: "load" ends once the sources are parsed; their write to
        # disk goes on beside the closure and is finished inside "reason".
        scratch = data.with_name(f"scratch-{data.stem}")  # for the derived quads' files, as compile_store's
        scratch.mkdir(exist_ok=True)
        loading = timed("load", lambda: compiling.Loading(store, sources))
        timed("reason", lambda: compiling.reason_store(store, "fast", loading, scratch))
        # Counted on the store itself: an rdflib Dataset over it lives until the cyclic garbage
        # collector frees it, and would keep the writable store open beside the read-only one.
        out["load"]["asserted"] = sum(sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(str(g))))
                                      for g in ASSERTED_GRAPHS)

        def persist():  # type: ignore[no-untyped-def]
            nonlocal store
            store.optimize()
            store.flush()
            del store
            return OxigraphStore.open(folder)

        opened = timed("persist", persist)
        if opened is not None:
            timed("validate", lambda: validate_store(opened))
    else:
        from igkg.store.memory import MemoryStore

        ds = timed("load", lambda: load(sources))
        opened = MemoryStore(ds)
        out["load"]["asserted"] = len(asserted_graph(ds))
        if path == "reference" and int(out["load"]["asserted"]) > owlrl_max:
            out["reason"] = {"skipped": f"owlrl not started above {owlrl_max:,} asserted triples"}
            for stage in STAGES[2:]:
                out[stage] = {"skipped": "needs the owlrl closure"}
            return out
        if timed("reason", lambda: reason(ds, "owlrl" if path == "reference" else "fast")) is None:
            return out
        timed("validate", lambda: validate_store(opened))
    if opened is None:
        return out
    kg = KnowledgeGraph(store=opened, sources=sources, report=report)
    target = "https://w3id.org/igkg/id/syn-0.para-1"
    # The name index: the build writes it beside the compiled graph, so queries and lookups
    # later find it made; timed apart rather than charged to the first query.
    timed("index", lambda: kg.index)

    def queries() -> None:
        slowest, which = 0.0, ""
        each: dict[str, float] = {}
        for name, params in [*((n, None) for n in PLAIN_QUERIES), ("citing", {"target": target})]:
            t0 = time.perf_counter()
            q = find_query(name)
            run_query(kg.store, q, bind_params(kg.dataset, q, params, kg.resolve))
            each[name] = took = time.perf_counter() - t0
            if took > slowest:
                slowest, which = took, name
        out["query_slowest"] = {"seconds": slowest, "name": which}
        out["query_each"] = each  # type: ignore[assignment]

    def lineage() -> None:
        import random

        from igkg import api

        t0 = time.perf_counter()
        api.lineage(kg, target, direction="down")
        first = time.perf_counter() - t0

        def lookups(indices: list[int]) -> tuple[float, int]:
            took, steps = [], []
            for i in indices:
                t0 = time.perf_counter()
                steps.append(len(api.lineage(kg, f"https://w3id.org/igkg/id/syn-{i}", direction="both").steps))
                took.append(time.perf_counter() - t0)
            return sorted(took)[len(took) // 2], sorted(steps)[len(steps) // 2]

        # Instruments drawn at random, and the twenty that the power law makes most cited
        # (thousands of lineage steps each), which show the cost of a very large answer.
        rnd = random.Random(3)
        sample, s_steps = lookups([rnd.randrange(n_instruments) for _ in range(20)])
        top, t_steps = lookups(list(range(20)))
        out["lineage_lookups"] = {"first": first, "random_median": sample, "random_steps": s_steps,
                                  "top_median": top, "top_steps": t_steps}

    timed("query", queries)
    timed("lineage", lineage)
    timed("export", lambda: export(kg.store, "turtle"))
    if path == "oxigraph":
        # The same reasoner into an in-memory store, as a build with no writable cache does:
        # the entailments without the disk write, which is what owlrl's figure is (it adds to
        # an in-memory rdflib graph). Last, so the build's peak memory above is its own.
        import pyoxigraph

        scratch = pyoxigraph.Store()
        again = compiling.Loading(scratch, sources)
        timed("reason_in_memory", lambda: compiling.reason_store(scratch, "fast", again))
        del scratch, again
        if time.perf_counter() - start <= bound:  # else timed() reports the stage skipped
            halves = _quads_in_halves(opened.ox, data.with_name(f"quads-{data.stem}"))  # type: ignore[attr-defined]
        timed("store_write", lambda: _bare_write(halves, data.with_name(f"bare-{data.stem}")))
    return out


def _quads_in_halves(store, folder: Path) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """The store's quads as two N-Quads files of about equal length."""
    import pyoxigraph

    folder.mkdir()
    whole = folder / "all.nq"
    store.dump(output=str(whole), format=pyoxigraph.RdfFormat.N_QUADS)
    lines = whole.read_bytes().splitlines(keepends=True)
    whole.unlink()
    halves = (folder / "0.nq", folder / "1.nq")
    half = (len(lines) + 1) // 2
    halves[0].write_bytes(b"".join(lines[:half]))
    halves[1].write_bytes(b"".join(lines[half:]))
    return halves


def _bare_write(halves: tuple[Path, Path], folder: Path) -> None:
    """The compiled quads written into a new store on disk as the build writes its derived ones (a
    bulk load of each file on its own thread), then compacted: what any design that keeps these
    quads in Oxigraph's on-disk store pays, without parsing Turtle or reasoning."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(store.bulk_load, path=str(h), format=pyoxigraph.RdfFormat.N_QUADS, lenient=True) for h in halves]:
            done.result()
    store.optimize()
    store.flush()


def measure(n: int, bound: float, owlrl_max: int, paths: tuple[str, ...] = PATHS) -> dict[str, dict[str, dict[str, float | str]]]:
    from synthetic import synthetic_turtle

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / f"syn-{n}.ttl"
        data.write_text(synthetic_turtle(n), encoding="utf-8")
        for path in PATHS:
            if path not in paths:
                results[path] = {"stopped": {"skipped": "not asked for (--paths)"}}
                continue
            cmd = [sys.executable, __file__, "--child", path, str(data), "--bound", str(bound), "--owlrl-max", str(owlrl_max)]
            # A stage that starts before the bound runs to its end; the whole path gets twice the bound.
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=2 * bound)
            except subprocess.TimeoutExpired:
                results[path] = {"stopped": {"skipped": f"stopped after {2 * bound:.0f} s"}}
                continue
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
    for path, res in results.items():
        if "error" in res:
            raise SystemExit(f"bench: the {path} path failed: {res['error']['skipped']}")
    ox, mem, ref = (results[p] for p in PATHS)
    asserted = ox.get("load", {}).get("asserted", "?")
    lines = [f"### {n:,} instruments ({asserted:,} asserted triples)" if isinstance(asserted, int) else f"### {n:,} instruments",
             "", "| stage | oxigraph (s / peak MB) | memory | reference (owlrl, pySHACL) | memory / oxigraph | reference / oxigraph |",
             "|---|---:|---:|---:|---:|---:|"]

    def ratio(a: dict | None, b: dict | None) -> str:
        if a and b and "seconds" in a and "seconds" in b and a["seconds"]:
            return f"{float(b['seconds']) / float(a['seconds']):.1f}x"
        return ""

    for stage in STAGES:
        a, b, c = (res.get(stage) or res.get("stopped") for res in (ox, mem, ref))
        lines.append(f"| {stage} | {cell(a)} | {cell(b)} | {cell(c)} | {ratio(a, b)} | {ratio(a, c)} |")
    if (mine := ox.get("reason_in_memory")) and "seconds" in mine:
        owl = ref.get("reason")
        versus = f"; owlrl {float(owl['seconds']):.2f} s, {ratio(mine, owl)}" if owl and "seconds" in owl else ""
        lines.append(f"\nOxigraph reasoning into an in-memory store (the entailments without the disk write): "
                     f"{float(mine['seconds']):.2f} s{versus}.")
    build = [ox.get(s) for s in ("load", "reason", "persist", "validate", "index")]
    if all(b and "seconds" in b for b in build):
        total = sum(float(b["seconds"]) for b in build if b)
        lines.append(f"\nOxigraph build (load + reason + persist + validate + index): {total:.1f} s, peak {float(build[-1]['peak_mb']):.0f} MB.")  # type: ignore[index]
        lines.extend(_the_machine(build[:4], ox.get("store_write")))  # type: ignore[arg-type]
    for name, res in (("oxigraph", ox), ("memory", mem)):
        if slow := res.get("query_slowest"):
            lines.append(f"Slowest named query ({name}): {slow['name']} {float(slow['seconds']):.2f} s.")
        if each := res.get("query_each"):
            lines.append(f"Named queries ({name}): " + ", ".join(f"{q} {float(t):.2f} s" for q, t in each.items()) + ".")
        for q, (plain, tuned) in (res.get("query_portable") or {}).items():  # type: ignore[misc]
            lines.append(f"  {q}, run again: portable form {plain:.2f} s, Oxigraph form {tuned:.2f} s ({plain / tuned:.1f}x).")
        if look := res.get("lineage_lookups"):
            lines.append(f"Lineage ({name}): first lookup {float(look['first']) * 1000:.0f} ms (builds the network); then, "
                         f"median of 20 random instruments {float(look['random_median']) * 1000:.1f} ms "
                         f"({look['random_steps']} steps), of the 20 most cited {float(look['top_median']) * 1000:.0f} ms "
                         f"({look['top_steps']} steps).")
    return "\n".join(lines)


def _the_machine(four: list[dict[str, float | str]], bare: dict[str, float | str] | None) -> list[str]:
    """What the build cost the machine (CPU, the host's steal), and its ratio to the bare write of
    its quads."""
    wall = sum(float(b["seconds"]) for b in four)
    cpu = sum(float(b["cpu"]) for b in four if "cpu" in b)
    out = [f"The four build stages (load, reason, persist, validate): {wall:.1f} s wall, {cpu:.1f} s of CPU in this process."]
    if all("steal" in b for b in four):
        steal = sum(float(b["steal"]) for b in four)
        cores = os.cpu_count() or 1
        out.append(f"  CPU time the host gave other guests meanwhile (steal): {steal:.1f} s, "
                   f"{100 * steal / (cores * wall):.0f}% of {cores} cores over that wall time.")
    if bare and "seconds" in bare:
        out.append(f"  Bare write of the compiled quads into a new on-disk store (bulk load + compaction, the same run): "
                   f"{float(bare['seconds']):.1f} s; the four stages take {wall / float(bare['seconds']):.2f}x that.")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sizes", nargs="*", default=["1000"])
    ap.add_argument("--bound", type=float, default=600.0, help="seconds after which a process starts no new stage")
    ap.add_argument("--owlrl-max", type=int, default=60_000, help="largest asserted graph owlrl is started on")
    ap.add_argument("--paths", default=",".join(PATHS), help=f"which of {', '.join(PATHS)} to run (comma-separated)")
    ap.add_argument("--child", nargs=2, metavar=("PATH", "DATA"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child[0], Path(args.child[1]), args.bound, args.owlrl_max)))
        return
    for size in args.sizes:
        n = {"g1k": 1000, "g10k": 10000}.get(size) or int(size)
        print(table(n, measure(n, args.bound, args.owlrl_max, tuple(args.paths.split(",")))), flush=True)
        print()


if __name__ == "__main__":
    main()
