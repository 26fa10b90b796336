from pathlib import Path

import pytest
from rdflib import Literal

from igkg import api
from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.vocab import GRAPH_DATA, IGKG, IGR, XSD

from .conftest import igkg_home, ontology_plus, write_ttl


def test_counts_on_the_test_network(mini: KnowledgeGraph) -> None:
    s = api.stats(mini)
    assert dict(s.relations) == {"recognizes": 3, "reaffirms": 1, "recalls": 1, "revises": 1}
    assert dict(s.classes)["instrument"] == 6 and dict(s.classes)["subdivision"] == 7
    assert s.triples["data"] == len(mini.dataset.graph(GRAPH_DATA))


def test_coverage_by_family_body_decade_and_status(mini: KnowledgeGraph) -> None:
    cov = api.stats(mini).coverage
    assert dict(cov["body"]) == {"Test Assembly": 3, "Test Conference": 3}
    assert dict(cov["family"]) == {"Test Assembly": 3, "Test Conference": 3}
    assert dict(cov["decade"]) == {"2000s": 2, "2010s": 3, "2020s": 1}
    assert dict(cov["verification"]) == {"verified": 4, "secondary source": 2}


def test_undated_instruments_are_counted_as_undated(mini_home: Path) -> None:
    with igkg_home(mini_home):
        kg = compile_graph(use_cache=False)
    data = kg.dataset.graph(GRAPH_DATA)
    inst = next(iter(data.subjects(IGKG.dateAdopted, None)))
    data.remove((inst, IGKG.dateAdopted, None))
    decades = dict(api.stats(kg).coverage["decade"])
    assert decades.get("undated") == 1 and sum(decades.values()) == 6


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_facts_are_what_value_gives_even_for_a_property_held_twice(tmp_path: Path, backend: str) -> None:
    from igkg.analysis.stats import _facts

    data = write_ttl(tmp_path, "two.ttl", """
igr:one a igkg:Instrument ; igkg:adoptedBy igr:a ; igkg:dateAdopted "2001-01-01"^^xsd:date .
igr:two a igkg:Instrument ; igkg:adoptedBy igr:a , igr:b .
""")
    store = compile_graph(sources=ontology_plus(data), use_cache=False, validate=False, backend=backend).store
    g = store.dataset
    props = (IGKG.adoptedBy, IGKG.dateAdopted, IGKG.verification)
    facts = _facts(store, IGKG.Instrument, props)
    assert set(facts) == {IGR.one, IGR.two}
    assert facts[IGR.one] == (IGR.a, Literal("2001-01-01", datatype=XSD.date), None)
    assert facts[IGR.two] == tuple(g.value(IGR.two, p) for p in props) and facts[IGR.two][0] in {IGR.a, IGR.b}


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_statuses_count_each_node_once_by_what_value_gives(tmp_path: Path, backend: str) -> None:
    from igkg.analysis.stats import _statuses

    data = write_ttl(tmp_path, "statuses.ttl", """
igr:p1 a igkg:Subdivision ; igkg:verification igkg:Verified .
igr:p2 a igkg:Subdivision ; igkg:verification igkg:Verified .
igr:p3 a igkg:Subdivision ; igkg:verification igkg:SecondarySource .
igr:p4 a igkg:Subdivision .
igr:p5 a igkg:Subdivision ; igkg:verification igkg:Verified , igkg:Unverified .
igr:c1 a igkg:Citation ; igkg:verification igkg:Unverified .
""")
    store = compile_graph(sources=ontology_plus(data), use_cache=False, validate=False, backend=backend).store
    g = store.dataset
    counts = _statuses(store, IGKG.Subdivision)
    twice = g.value(IGR.p5, IGKG.verification)
    assert twice in {IGKG.Verified, IGKG.Unverified}
    expected = {IGKG.Verified: 2, IGKG.SecondarySource: 1, None: 1}
    expected[twice] = expected.get(twice, 0) + 1
    assert dict(counts) == expected
    assert dict(_statuses(store, IGKG.Citation)) == {IGKG.Unverified: 1}
