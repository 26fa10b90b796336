"""Stage 5: export. Deterministic serialisations: the same graph always gives the same bytes."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import URIRef

from ..store import GraphStore
from ..vocab import ASSERTED_GRAPHS, GRAPH_INFERRED, PREFIXES, RDF

FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}


def export(store: GraphStore, fmt: str = "turtle", inferred: bool = False) -> bytes:
    """Serialise the asserted graphs (and the inferred graph if asked) in one of FORMATS."""
    names = (*ASSERTED_GRAPHS, GRAPH_INFERRED) if inferred else ASSERTED_GRAPHS
    return serialize(store, names, fmt)


def serialize(store: GraphStore, names: tuple[URIRef, ...], fmt: str) -> bytes:
    """Serialise the named graphs of ``store``: merged for triple formats, kept apart for trig and
    nquads. Line formats are the store's lines sorted; the others are written by Oxigraph's
    writers from those lines, sorted by subject, type first, predicate and object, so the writer
    groups them the same way in every run."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in ("nt", "nquads"):
        lines = sorted(store.lines(names, quads=fmt == "nquads"))
        return ("\n".join(lines) + "\n" if lines else "").encode("utf-8")
    rdf_type = f"<{RDF.type}>"

    def lines_of(graphs: tuple[URIRef, ...]) -> list[str]:
        def key(line: str) -> tuple[str, bool, str, str]:
            # Subjects and predicates hold no space in N-Triples; the type first, as Turtle's "a".
            s, p, rest = line.split(" ", 2)
            return s, p != rdf_type, p, rest

        return sorted(store.lines(graphs, quads=False), key=key)

    prefixes = {p: str(ns) for p, ns in sorted(PREFIXES.items())}
    if fmt in ("turtle", "jsonld"):  # the graphs merged
        merged = ox.parse("\n".join(lines_of(names)).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        if fmt == "jsonld":
            # Expanded, without @context: a context would only restate the prefixes, and compaction
            # may drop one of two values of a property. Re-indented so that two exports diff line by line.
            doc = json.loads(ox.serialize(merged, format=ox.RdfFormat.JSON_LD) or b"[]")
            return (json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        data = ox.serialize(merged, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    else:
        nquads = "\n".join(f"{line[:-2]} <{name}> ." for name in sorted(names, key=str) for line in lines_of((name,)))
        data = ox.serialize(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG,
                            prefixes=prefixes)
    # The writer's own order of the @prefix lines is not documented: sorted here, so the
    # bytes cannot depend on it.
    out = (data or b"").decode("utf-8").split("\n")
    header = sorted(ln for ln in out if ln.startswith("@prefix "))
    body = [ln for ln in out if not ln.startswith("@prefix ")]
    return ("\n".join(header) + "\n\n" + "\n".join(body).lstrip("\n")).encode("utf-8")
