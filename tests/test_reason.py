import re
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

import igkg
from igkg import vocab as vocab_module
from igkg.graph import KnowledgeGraph
from igkg.pipeline.closure import agenda_closure, vocabulary
from igkg.pipeline.compile import compile_graph
from igkg.pipeline.load import parse_file
from igkg.pipeline.reason import apply_rules, read_keep, read_terms
from igkg.vocab import DCT, GRAPH_DATA, GRAPH_INFERRED, IGKG, IGR, OWL, RDF, XSD

from .conftest import ontology_plus, write_ttl

DATA = """
igr:src a igkg:SourceDocument ; rdfs:label "S" ; igkg:url <https://example.org/s> .
igr:body a igkg:Body ; rdfs:label "Body" .
igr:old a igkg:Resolution ; rdfs:label "Old" ; igkg:dateAdopted "2001-01-01"^^xsd:date ; igkg:adoptedBy igr:body ; dct:source igr:src .
igr:mid a igkg:Resolution ; rdfs:label "Mid" ; igkg:dateAdopted "2005-01-01"^^xsd:date ; igkg:adoptedBy igr:body ; dct:source igr:src .
igr:new a igkg:Opinion ; rdfs:label "New" ; igkg:dateAdopted "2010-01-01"^^xsd:date ; igkg:adoptedBy igr:body ; dct:source igr:src .
igr:old.para-1 a igkg:Paragraph ; rdfs:label "Old, paragraph 1" ; igkg:number "1" ; igkg:partOf igr:old ; dct:source igr:src .
igr:old.para-1.a a igkg:SubParagraph ; rdfs:label "Old, paragraph 1 (a)" ; igkg:number "a" ; igkg:partOf igr:old.para-1 ; dct:source igr:src .
igr:c1 a igkg:Citation ; igkg:citingEntity igr:mid ; igkg:relation igkg:reaffirms ; igkg:citedEntity igr:old.para-1 ; dct:source igr:src .
igr:c2 a igkg:Citation ; igkg:citingEntity igr:new ; igkg:relation igkg:recalls ; igkg:citedEntity igr:mid ; dct:source igr:src .
igr:p1 a igkg:Process ; rdfs:label "P1" ; igkg:distinctFrom igr:p2 ; dct:source igr:src .
igr:p2 a igkg:Process ; rdfs:label "P2" ; dct:source igr:src .
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    path = write_ttl(tmp_path_factory.mktemp("reason"), "small.ttl", DATA)
    return compile_graph(sources=ontology_plus(path), use_cache=False)


# (subject, predicate, object) the reasoner must add to the inferred graph.
ENTAILED = [
    (IGR.mid, IGKG.reaffirms, IGR["old.para-1"]),  # citation expansion
    (IGR.mid, IGKG.refersTo, IGR["old.para-1"]),  # sub-property
    (IGR["old.para-1"], IGKG.isReaffirmedBy, IGR.mid),  # inverse
    (IGR["old.para-1"], IGKG.isReferredToBy, IGR.mid),  # inverse of the super-property
    (IGR.new, IGKG.buildsOn, IGR["old.para-1"]),  # transitive lineage
    (IGR["old.para-1"], IGKG.isBuiltOnBy, IGR.new),
    (IGR["old.para-1.a"], IGKG.within, IGR.old),  # transitive containment
    (IGR.old, IGKG.hasPart, IGR["old.para-1"]),
    (IGR.p2, IGKG.distinctFrom, IGR.p1),  # symmetric
    (IGR.new, RDF.type, IGKG.Instrument),  # sub-class
    (IGR.old, DCT.issued, Literal("2001-01-01", datatype=XSD.date)),  # alignment to Dublin Core
]


@pytest.mark.parametrize("triple", ENTAILED, ids=lambda t: t[1].split("#")[-1])
def test_entailment_lands_in_inferred_graph(small: KnowledgeGraph, triple: tuple) -> None:
    full = small.full()
    assert triple in full.dataset.graph(GRAPH_INFERRED)
    assert triple not in full.dataset.graph(GRAPH_DATA)


# Of ENTAILED, what a build materialises: what igkg's texts and code read, not the alignments,
# the inverses or the transitive lineage no query asks for.
READ_PART = {IGKG.reaffirms, IGKG.refersTo, IGKG.within, IGKG.distinctFrom, RDF.type}


def test_a_build_infers_the_part_of_the_closure_igkg_reads(small: KnowledgeGraph) -> None:
    held, full = set(small.inferred()), set(small.full().inferred())
    assert small.report.full_closure is False and small.full().report.full_closure is True
    assert held < full
    assert {t[1] in READ_PART for t in ENTAILED} == {True, False}  # the list tests both sides
    for t in ENTAILED:
        assert (t in held) == (t[1] in READ_PART), t
    # Exactly the full closure restricted to what read_keep keeps, with the closed schema (owlrl's
    # axioms in it) and what the rules derive.
    vocab = vocabulary(URIRef)
    asserted = set(small.asserted())
    tbox = agenda_closure({t for t in asserted if vocab.is_schema(t)}, vocab)
    kept = read_keep(URIRef, lambda t: str(t) if isinstance(t, URIRef) else None).tester(tbox, vocab)
    assert held == {t for t in full if kept(t) or t in tbox} | (apply_rules(small.asserted()) - asserted)


def test_the_full_graph_is_compiled_once(small: KnowledgeGraph) -> None:
    assert small.full() is small.full() and small.full().full() is small.full()


def test_code_reads_only_what_the_build_materialises() -> None:
    """Every property and foreign class the reading code names is materialised (read_terms);
    igkg's own classes always are. A term missing here would read a partial inferred graph."""
    named = read_terms()
    package = Path(igkg.__file__).parent
    readers = [*package.glob("analysis/*.py"), *package.glob("extract/*.py"), *(package / f for f in ("api.py", "render.py", "graph.py"))]
    missing = set()
    for path in readers:
        if path.name == "ingest.py":  # writes triples, reads none of the inferred graph
            continue
        for ns, local in re.findall(r"\b(IGKG|RDFS|SKOS|DCT|OWL|PROV|CITO|ELI|FOAF|ORG)\.([A-Za-z]\w*)\b", path.read_text(encoding="utf-8")):
            if not (ns == "IGKG" and local[0].isupper()) and str(getattr(vocab_module, ns)[local]) not in named:
                missing.add(f"{path.name}: {ns}.{local}")
    assert not missing


def test_asserted_graph_is_exactly_the_file(small: KnowledgeGraph) -> None:
    on_disk = parse_file(small.sources.data[0])
    assert set(small.dataset.graph(GRAPH_DATA)) == set(on_disk)


def test_no_forward_or_unrelated_lineage(small: KnowledgeGraph) -> None:
    g = small.dataset
    assert (IGR.old, IGKG.buildsOn, IGR.new) not in g
    assert (IGR.p1, IGKG.buildsOn, IGR.p2) not in g


def test_tautologies_and_literal_subjects_are_dropped(small: KnowledgeGraph) -> None:
    inferred = small.dataset.graph(GRAPH_INFERRED)
    assert not [t for t in inferred if isinstance(t[0], Literal)]
    assert not [t for t in inferred if t[1] == OWL.sameAs and t[0] == t[2]]
    assert (IGR.new, RDF.type, OWL.Thing) not in inferred


# --- the fast path gives owlrl's closure -------------------------------------------

@pytest.mark.slow
def test_fast_and_owlrl_infer_the_same_graph_on_the_shipped_data(kg: KnowledgeGraph) -> None:
    from igkg.pipeline.closure import closure
    from igkg.pipeline.load import asserted_graph
    from igkg.pipeline.reason import apply_rules, owl_rl_closure

    base = asserted_graph(kg.dataset)
    given = set(base) | apply_rules(base)
    fast, reference = _inferred(closure(given), given), _inferred(owl_rl_closure(given), given)
    assert fast == reference
    assert len(reference) > 4000  # the comparison covers the real inferences


def _inferred(closure: set, given: set) -> set:  # type: ignore[type-arg]
    """What the inferred graph would hold: new and not a tautology (x sameAs x, x a owl:Thing …)."""
    from igkg.pipeline.reason import _trivial

    return {t for t in closure - given if not _trivial(t)}


def _random_graph(draw) -> set:  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st
    from rdflib import RDFS, URIRef

    ex = "https://example.org/"
    classes = [URIRef(f"{ex}C{i}") for i in range(4)]
    props = [URIRef(f"{ex}p{i}") for i in range(4)]
    things = [URIRef(f"{ex}x{i}") for i in range(5)]
    schema = st.one_of(
        st.tuples(st.sampled_from(classes), st.just(RDFS.subClassOf), st.sampled_from(classes)),
        st.tuples(st.sampled_from(classes), st.just(OWL.equivalentClass), st.sampled_from(classes)),
        st.tuples(st.sampled_from(classes), st.just(RDF.type), st.just(OWL.Class)),
        st.tuples(st.sampled_from(props), st.just(RDFS.subPropertyOf), st.sampled_from(props)),
        st.tuples(st.sampled_from(props), st.just(OWL.equivalentProperty), st.sampled_from(props)),
        st.tuples(st.sampled_from(props), st.just(OWL.inverseOf), st.sampled_from(props)),
        st.tuples(st.sampled_from(props), st.just(RDF.type),
                  st.sampled_from([OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.ObjectProperty, OWL.DatatypeProperty])),
        st.tuples(st.sampled_from(props), st.sampled_from([RDFS.domain, RDFS.range]), st.sampled_from(classes)),
    )
    # Instance triples that reach the schema (a property below rdfs:subClassOf, a range of
    # owl:TransitiveProperty …): the fast engine must notice and give up its strata.
    schema_from_data = st.one_of(
        st.tuples(st.sampled_from(props), st.just(RDFS.subPropertyOf),
                  st.sampled_from([RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, RDFS.domain])),
        st.tuples(st.sampled_from(props), st.sampled_from([RDFS.domain, RDFS.range]),
                  st.sampled_from([OWL.Class, OWL.TransitiveProperty, OWL.SymmetricProperty])),
        st.tuples(st.sampled_from(classes), st.just(RDFS.subClassOf), st.sampled_from([OWL.TransitiveProperty, OWL.Class])),
    )
    data = st.one_of(
        st.tuples(st.sampled_from(things), st.sampled_from(props), st.sampled_from(things)),
        st.tuples(st.sampled_from(things), st.sampled_from(props), st.just(Literal("a value"))),
        st.tuples(st.sampled_from(things), st.just(RDF.type), st.sampled_from(classes)),
    )
    return (set(draw(st.lists(schema, max_size=8))) | set(draw(st.lists(data, max_size=8)))
            | set(draw(st.lists(schema_from_data, max_size=2))))


@pytest.mark.slow
def test_fast_and_owlrl_agree_on_generated_graphs() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from igkg.pipeline.closure import closure
    from igkg.pipeline.reason import owl_rl_closure

    @settings(max_examples=150, deadline=None)
    @given(st.data())
    def check(data) -> None:  # type: ignore[no-untyped-def]
        triples = _random_graph(data.draw)
        assert _inferred(closure(triples), triples) == _inferred(owl_rl_closure(triples), triples)

    check()


@pytest.mark.slow
def test_a_transitive_relation_stays_closed_as_edges_arrive() -> None:
    """fastreason's _Closure against networkx's transitive closure, on random edge lists with
    cycles and self-loops, the edges linked in the order drawn."""
    import networkx as nx
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from igkg.pipeline.closure import _Closure

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20))
    def check(edges: list[tuple[int, int]]) -> None:
        rel, seen = _Closure(), set(edges)
        for a, b in edges:
            added = rel.link(a, b)
            assert (a, b) not in added and len(added) == len(set(added))
            seen.update(added)
        pairs = {(x, y) for x, ys in rel.succ.items() for y in ys}
        expected = set(nx.transitive_closure(nx.DiGraph(edges), reflexive=False).edges)
        assert pairs == expected == seen  # what link reported is the closure, each pair once
        assert all(x in rel.pred[y] for x, y in pairs)
        for a, b in edges:
            assert rel.link(a, b) == []  # an implied edge adds nothing

    check()


def test_rule_patterns_are_those_the_patterns_read() -> None:
    from rdflib import URIRef

    from igkg.pipeline.reason import rule_patterns, rule_texts

    igkg = "https://w3id.org/igkg/ontology#"
    shipped = rule_patterns(rule_texts())
    assert shipped == {RDF.type: {URIRef(igkg + "Citation")}, **{URIRef(igkg + p): None for p in ("citingEntity", "citedEntity", "relation")}}
    head = f"PREFIX igkg: <{igkg}> CONSTRUCT {{ ?a igkg:written ?b }} WHERE "
    assert rule_patterns([head + "{ ?a igkg:p ?b FILTER EXISTS { ?b igkg:q igkg:c } OPTIONAL { ?a igkg:r ?d } }"]) == {
        URIRef(igkg + "p"): None, URIRef(igkg + "q"): {URIRef(igkg + "c")}, URIRef(igkg + "r"): None}  # not igkg:written
    assert rule_patterns([head + "{ ?a igkg:p igkg:c }", head + "{ ?a igkg:p ?b }"]) == {URIRef(igkg + "p"): None}
    assert rule_patterns([head + "{ ?a ?p ?b }"]) is None
    assert rule_patterns([head + "{ ?a igkg:p/igkg:q ?b }"]) is None
    assert rule_patterns([head + "{ ?a igkg:p ?b }", head + "{ ?a ?p ?b }"]) is None
