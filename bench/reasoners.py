"""The fast reasoner against owlrl, the reference, on synthetic graphs measured in one run.

For each size: asserted triples, inferred triples, seconds for each engine, the ratio,
and whether the two inferred graphs are identical. owlrl is skipped above OWLRL_MAX
asserted triples (it grows at ~4 ms per triple). With ``--reasonable`` it also runs
reasonable (PyPI, a Rust OWL 2 RL reasoner; not a dependency, ``pip install reasonable``)
on the same triples, and counts the inferred triples it lacks and adds against the fast path's
(plain literals compared as ``xsd:string`` ones, which RDF 1.1 makes them).
Usage:
    python bench/reasoners.py [SIZES...] [--owlrl-max N] [--reasonable]   (default 25 100 200 1000 5000; N 15000)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_turtle

from igkg import resources
from igkg.pipeline.closure import closure, owlrl_axioms
from igkg.pipeline.load import SourceSet, asserted_graph, load
from igkg.pipeline.reason import _trivial, apply_rules, owl_rl_closure

OWLRL_MAX = 15_000


def inferred(c: set, given: set) -> set:  # type: ignore[type-arg]
    return {t for t in c - given if not _trivial(t)}


def main() -> None:
    args = sys.argv[1:]
    owlrl_max = OWLRL_MAX
    if "--owlrl-max" in args:
        i = args.index("--owlrl-max")
        owlrl_max = int(args[i + 1])
        del args[i : i + 2]
    with_reasonable = "--reasonable" in args
    if with_reasonable:
        args.remove("--reasonable")
    sizes = [int(a) for a in args] or [25, 100, 200, 1000, 5000]
    owlrl_axioms()  # computed once per process, like the cache of a long-running build
    extra_head = " reasonable s | reasonable / fast | it lacks / adds |" if with_reasonable else ""
    print(f"| instruments | asserted | inferred | fast s | owlrl s | owlrl / fast | identical |{extra_head}")
    print("|---:|---:|---:|---:|---:|---:|---|" + ("---:|---:|---:|" if with_reasonable else ""))
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            path = Path(tmp) / f"syn-{n}.ttl"
            path.write_text(synthetic_turtle(n), encoding="utf-8")
            ds = load(SourceSet(ontology=(resources.ontology_file(),), data=(path,)))
            base = asserted_graph(ds)
            given = set(base) | apply_rules(base)
            t0 = time.perf_counter()
            fast = inferred(closure(given), given)
            t_fast = time.perf_counter() - t0
            if len(base) <= owlrl_max:
                t0 = time.perf_counter()
                ref = inferred(owl_rl_closure(given), given)
                t_ref = time.perf_counter() - t0
                cells = f"{t_ref:.2f} | {t_ref / t_fast:.0f}x | {'yes' if ref == fast else 'NO'}"
            else:
                cells = "not run | | "
            if with_reasonable:
                cells += " | " + _reasonable_cells(given, fast, t_fast)
            print(f"| {n} | {len(base):,} | {len(fast):,} | {t_fast:.2f} | {cells} |", flush=True)


def _reasonable_cells(given: set, fast: set, t_fast: float) -> str:  # type: ignore[type-arg]
    import reasonable  # type: ignore[import-not-found]
    from rdflib import XSD, Graph, Literal

    def rdf11(t: tuple) -> tuple:  # type: ignore[type-arg]
        # reasonable returns each plain literal as an xsd:string one, the same term in RDF 1.1
        # but a different one to rdflib: compared in RDF 1.1's terms, or every literal would differ.
        s, p, o = t
        plain = isinstance(o, Literal) and o.datatype is None and not o.language
        return (s, p, Literal(str(o), datatype=XSD.string)) if plain else t

    graph = Graph()
    for t in given:
        graph.add(t)
    t0 = time.perf_counter()
    engine = reasonable.PyReasoner()
    engine.from_graph(graph)
    out = engine.reason()
    seconds = time.perf_counter() - t0
    base = {rdf11(t) for t in given}
    theirs = {rdf11(t) for t in out if not _trivial(t)} - base
    ours = {rdf11(t) for t in fast} - base
    return f"{seconds:.2f} | {seconds / t_fast:.1f}x | {len(ours - theirs):,} / {len(theirs - ours):,}"


if __name__ == "__main__":
    main()
