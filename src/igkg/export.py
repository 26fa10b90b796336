"""Stage 5: export. Deterministic serialisations: the same graph always gives the same bytes."""

from __future__ import annotations

from rdflib import Dataset, Graph

from .build import KnowledgeGraph
from .vocab import ASSERTED_GRAPHS, GRAPH_INFERRED, PREFIXES

FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}


def _sorted_ntriples(g: Graph) -> list[str]:
    text = g.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return sorted({line for line in text.splitlines() if line.strip()})


def _canonical(g: Graph) -> Graph:
    """A copy of g whose store holds the triples in sorted order, so serialisers iterate stably."""
    out = Graph()
    for prefix, ns in PREFIXES.items():
        out.bind(prefix, ns)
    out.parse(data="\n".join(_sorted_ntriples(g)), format="nt")
    return out


def export(kg: KnowledgeGraph, fmt: str = "turtle", inferred: bool = False) -> bytes:
    """Serialise the asserted graphs (and the inferred graph if asked) in one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    names = (*ASSERTED_GRAPHS, GRAPH_INFERRED) if inferred else ASSERTED_GRAPHS
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        for prefix, ns in PREFIXES.items():
            ds.bind(prefix, ns)
        for name in names:
            src = kg.dataset.graph(name)
            if len(src):
                target = ds.graph(name)
                for t in _canonical(src):
                    target.add(t)
        if fmt == "nquads":
            lines = ds.serialize(format="nquads", encoding="utf-8").decode("utf-8").splitlines()
            return ("\n".join(sorted({ln for ln in lines if ln.strip()})) + "\n").encode("utf-8")
        return ds.serialize(format="trig", encoding="utf-8")
    merged = Graph()
    for name in names:
        for t in kg.dataset.graph(name):
            merged.add(t)
    if fmt == "nt":
        return ("\n".join(_sorted_ntriples(merged)) + "\n").encode("utf-8")
    canonical = _canonical(merged)
    if fmt == "jsonld":
        return canonical.serialize(format="json-ld", encoding="utf-8", context={p: str(n) for p, n in PREFIXES.items()}, sort_keys=True, indent=1)
    return canonical.serialize(format=FORMATS[fmt], encoding="utf-8")
