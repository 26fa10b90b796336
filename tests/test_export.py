import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from igkg import api
from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.pipeline.export import FORMATS, serialize
from igkg.pipeline.load import SourceSet
from igkg.store.memory import MemoryStore
from igkg.vocab import ASSERTED_GRAPHS, GRAPH_DATA, GRAPH_INFERRED

from .conftest import ontology_plus, write_ttl

PARSE_AS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}


@pytest.mark.slow
@pytest.mark.parametrize("inferred", [False, True])
@pytest.mark.parametrize("fmt", sorted(PARSE_AS))
def test_triple_formats_parse_back_isomorphic(kg: KnowledgeGraph, fmt: str, inferred: bool) -> None:
    expected = Graph()
    held = kg.full() if inferred else kg  # the inferred graph exported is the full OWL RL closure
    for name in (*ASSERTED_GRAPHS, GRAPH_INFERRED) if inferred else ASSERTED_GRAPHS:
        for t in held.dataset.graph(name):
            expected.add(t)
    parsed = Graph().parse(data=api.export(kg, fmt, inferred), format=PARSE_AS[fmt])
    assert len(parsed) == len(expected)
    assert isomorphic(parsed, expected)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_quad_formats_keep_graphs_apart(kg: KnowledgeGraph, fmt: str) -> None:
    ds = Dataset()
    ds.parse(data=api.export(kg, fmt, inferred=True), format=fmt)
    assert set(ds.graph(GRAPH_DATA)) == set(kg.dataset.graph(GRAPH_DATA))
    assert set(ds.graph(GRAPH_INFERRED)) == set(kg.full().dataset.graph(GRAPH_INFERRED))


def test_a_triple_two_graphs_hold_is_one_line_merged_and_one_per_graph_apart(tmp_path: Path) -> None:
    both = 'igr:x a igkg:Resolution ; rdfs:label "Both graphs" .\n'
    data = write_ttl(tmp_path, "data.ttl", both)
    user = write_ttl(tmp_path, "user.ttl", both + 'igr:y a igkg:Resolution ; rdfs:label "User only" .\n')
    sources = SourceSet(ontology=ontology_plus().ontology, data=(data,), user=(user,))
    out = {backend: compile_graph(sources=sources, use_cache=False, validate=False, backend=backend) for backend in ("memory", "oxigraph")}
    for fmt in ("nt", "nquads"):
        assert api.export(out["oxigraph"], fmt, inferred=True) == api.export(out["memory"], fmt, inferred=True)
    label = '<https://w3id.org/igkg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "Both graphs"'
    lines = api.export(out["oxigraph"], "nt").decode().splitlines()
    assert lines.count(f"{label} .") == 1 and lines == sorted(lines)
    quads = api.export(out["oxigraph"], "nquads").decode().splitlines()
    assert sorted(q for q in quads if q.startswith(label)) == [
        f"{label} <https://w3id.org/igkg/graph/data> .", f"{label} <https://w3id.org/igkg/graph/user> ."]


@pytest.mark.slow
def test_turtle_is_isomorphic_to_nt(kg: KnowledgeGraph) -> None:
    ttl = Graph().parse(data=api.export(kg, "turtle"), format="turtle")
    nt = Graph().parse(data=api.export(kg, "nt"), format="nt")
    assert isomorphic(ttl, nt)


OXIGRAPH_FORMATS = {
    "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD,
}


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(OXIGRAPH_FORMATS))
def test_an_independent_parser_reads_every_export(kg: KnowledgeGraph, fmt: str) -> None:
    """Oxigraph's Rust parsers share no code with rdflib: the same number of statements must come back."""
    quads = list(pyoxigraph.parse(api.export(kg, fmt, inferred=True), format=OXIGRAPH_FORMATS[fmt]))
    assert len(quads) == len(kg.asserted()) + len(kg.full().inferred())


@pytest.mark.slow
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_same_graph_same_bytes_across_processes(fmt: str) -> None:
    """Hash randomisation changes set order between processes; the output must not change."""
    code = f"import sys, igkg; sys.stdout.buffer.write(igkg.export(igkg.open_graph(), {fmt!r}, True))"
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, env={**_env(), "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


_iris = st.sampled_from([URIRef(f"https://example.org/{c}") for c in "abcdefg"])
_literals = st.one_of(
    st.text(max_size=20).map(Literal),
    st.integers(-1000, 1000).map(Literal),
    st.dates().map(lambda d: Literal(d.isoformat(), datatype=XSD.date)),
    st.text(max_size=10).map(lambda s: Literal(s, lang="en")),
)
_triples = st.lists(st.tuples(_iris, _iris, st.one_of(_iris, _literals)), max_size=30)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(triples=_triples, fmt=st.sampled_from(sorted(PARSE_AS)))
def test_round_trip_property(triples: list, fmt: str) -> None:
    ds = Dataset()
    for t in triples:
        ds.graph(GRAPH_DATA).add(t)
    data = serialize(MemoryStore(ds), (GRAPH_DATA,), fmt)
    parsed = Graph().parse(data=data, format=PARSE_AS[fmt])
    assert isomorphic(parsed, ds.graph(GRAPH_DATA))
    assert serialize(MemoryStore(ds), (GRAPH_DATA,), fmt) == data


# Regressions found by the round-trip property above, each with the data that broke.
REGRESSIONS = [
    ("literal with U+0085 split the sorted N-Triples", "nt", [(URIRef("https://example.org/a"),) * 2 + (Literal("\x85<"),)]),
    ("literal with U+2028 split the sorted N-Triples", "nt", [(URIRef("https://example.org/a"),) * 2 + (Literal("a\u2028b"),)]),
    ("JSON-LD compaction dropped an empty literal beside an IRI", "jsonld",
     [(URIRef("https://example.org/a"),) * 3, (URIRef("https://example.org/a"),) * 2 + (Literal(""),)]),
]


@pytest.mark.parametrize(("fmt", "triples"), [r[1:] for r in REGRESSIONS], ids=[r[0] for r in REGRESSIONS])
def test_regressions(fmt: str, triples: list) -> None:
    ds = Dataset()
    for t in triples:
        ds.graph(GRAPH_DATA).add(t)
    parsed = Graph().parse(data=serialize(MemoryStore(ds), (GRAPH_DATA,), fmt), format=PARSE_AS[fmt])
    assert isomorphic(parsed, ds.graph(GRAPH_DATA))
