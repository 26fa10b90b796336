from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from igkg import api
from igkg.analysis.queries import adhoc_query, find_query, is_named, named_queries, parse_named_query
from igkg.errors import ParameterError, QueryError, QueryNotFound, RefNotFound
from igkg.graph import KnowledgeGraph

IGR = "https://w3id.org/igkg/id/"

# Parameters each named query is exercised with; every named query must appear here.
PARAMS = {
    "citing": {"target": "Tunis Agenda para 69"},
    "process-paragraphs": {"process": "IGF"},
    "revision-history": {"input": "PP Res 102"},
    "timeline": {},
    "most-cited": {},
    "unresolved-references": {},
    "instruments-by-body": {},
    "unverified-facts": {},
    "stakeholder-roles": {},
    "igf-vs-ec": {},
    "meetings": {"of": "IGF"},
}


def test_library_has_a_header_for_every_query() -> None:
    queries = named_queries()
    assert {q.name for q in queries} == set(PARAMS)
    for q in queries:
        assert q.title != q.name and q.description, q.name


# On the default store; test_named_queries_give_the_same_rows_in_order_on_both_stores compares
# the rdflib reference with it.
@pytest.mark.parametrize("name", sorted(PARAMS))
def test_named_query_runs(oxkg: KnowledgeGraph, name: str) -> None:
    result = api.query(oxkg, name, params=PARAMS[name])
    expected_empty = {"unresolved-references"}
    assert (len(result.rows) == 0) == (name in expected_empty)


def test_citing_a_paragraph_finds_direct_and_range_citations(mini: KnowledgeGraph) -> None:
    rows = api.query(mini, "citing", params={"target": "Test Agenda para 1"}).rows
    assert [(str(r[0]).split("/")[-1], str(r[2]), str(r[3]).split("#")[1], str(r[4]).split("/")[-1]) for r in rows] == [
        ("t-opinion", "2013-05-16", "reaffirms", "t-agenda.para-1"),
        ("t-outcome", "2015-12-16", "recognizes", "t-agenda.paras-1-3"),
    ]


def test_citing_shipped_paragraph_69(kg: KnowledgeGraph) -> None:
    rows = api.query(kg, "citing", params={"target": "Tunis Agenda para 69", "relation": "reaffirms"}).rows
    assert (IGR + "itu-wtpf-2013-opinion-6", "2013-05-16") in {(str(r[0]), str(r[2])) for r in rows}


def test_relation_parameter_filters(mini: KnowledgeGraph) -> None:
    rows = api.query(mini, "citing", params={"target": "Test Agenda", "relation": "recognizes"}).rows
    assert sorted(str(r[4]).split("/")[-1] for r in rows) == ["t-agenda.para-2.a", "t-agenda.para-3", "t-agenda.paras-1-3"]
    assert api.query(mini, "citing", params={"target": "Test Agenda", "relation": "welcomes"}).rows == ()


def test_timeline_date_window(mini: KnowledgeGraph) -> None:
    rows = api.query(mini, "timeline", params={"from": "2006-01-01", "to": "2012-12-31"}).rows
    assert [str(r[0]) for r in rows] == ["2006-06-01", "2010-06-01"]


def test_timeline_says_what_it_leaves_out(tmp_path: Path) -> None:
    from igkg.pipeline.compile import compile_graph

    from .conftest import ontology_plus, write_ttl

    data = write_ttl(tmp_path, "t.ttl", """
igr:b a igkg:Body ; rdfs:label "B" .
igr:dated a igkg:Resolution ; rdfs:label "Dated" ; igkg:dateAdopted "2020-01-01"^^xsd:date ; igkg:adoptedBy igr:b .
igr:bodiless a igkg:Resolution ; rdfs:label "Bodiless" ; igkg:dateAdopted "2021-01-01"^^xsd:date .
igr:undated-1 a igkg:Resolution ; rdfs:label "Undated 1" ; igkg:adoptedBy igr:b .
igr:undated-2 a igkg:Declaration ; rdfs:label "Undated 2" .
""")
    kg = compile_graph(sources=ontology_plus(data), use_cache=False, validate=False)
    result = api.query(kg, "timeline")
    assert [str(r[1]).split("/")[-1] for r in result.rows] == ["dated"]
    assert result.notes == ("not in the answer: 2 instrument(s) with no date of adoption",
                            "not in the answer: 1 dated instrument(s) with no adopting body")
    assert api.query(kg, "most-cited").notes == ()  # a query that leaves nothing out says nothing


def test_revision_history(mini: KnowledgeGraph) -> None:
    rows = api.query(mini, "revision-history", params={"input": "Resolution 7 (Rev. Beta, 2010)"}).rows
    assert [(str(r[2]), str(r[4])) for r in rows] == [("Alpha", "2006-06-01"), ("Beta", "2010-06-01")]


def test_meetings_of_a_process_in_date_order(kg: KnowledgeGraph) -> None:
    rows = api.query(kg, "meetings", params={"of": "IGF"}).rows
    starts = [str(r[3]) for r in rows if r[3] is not None]
    assert starts == sorted(starts) and "2006-10-30" in starts
    undated = [i for i, r in enumerate(rows) if r[3] is None]
    assert undated == list(range(len(starts), len(rows)))  # undated meetings come last
    assert {str(r[5]) for r in rows} == {"Internet Governance Forum"}


def test_a_meeting_with_only_its_last_day_sorts_by_it(kg: KnowledgeGraph) -> None:
    """PP-22 has only its end date recorded: it sorts among the meetings of 2022, not after the undated ones."""
    rows = api.query(kg, "meetings").rows
    days = [str(r[3] if r[3] is not None else r[4]) if (r[3] or r[4]) is not None else None for r in rows]
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated) and days[: len(dated)] == dated  # the undated ones last
    assert any(r[3] is None and r[4] is not None for r in rows)  # the graph has such a meeting


def test_igf_and_ec_are_distinct(kg: KnowledgeGraph) -> None:
    rows = api.query(kg, "igf-vs-ec").rows
    assert {str(r[0]) for r in rows} == {IGR + "igf", IGR + "enhanced-cooperation"}
    assert all(r[5] == Literal(True) for r in rows)


def test_parameter_values_are_terms_not_text(kg: KnowledgeGraph) -> None:
    hostile = 'x" } UNION { ?s ?p ?o } #'
    result = api.query(kg, text="SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }", params={"name": hostile})
    assert result.rows == ()
    same = api.query(kg, text="SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }", params={"name": "IGF"})
    assert same.rows == ()  # "IGF" is an alias, not the label
    exact = api.query(kg, text="SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?name }",
                      params={"name": "Internet Governance Forum"})
    assert [r[0] for r in exact.rows] == [URIRef(IGR + "igf")]


def test_ask_and_construct(kg: KnowledgeGraph) -> None:
    assert api.query(kg, text="ASK { igr:igf igkg:distinctFrom igr:enhanced-cooperation }").boolean is True
    g = api.query(kg, text="CONSTRUCT { ?a igkg:distinctFrom ?b } WHERE { ?a igkg:distinctFrom ?b }").graph
    assert len(g) == 2  # the asserted triple and its symmetric inference


def test_syntax_error_names_line(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"SPARQL syntax error in -e at line 1"):
        api.query(kg, text="SELECT ?s WHERE { ?s ?p }")


def test_unknown_query_name(kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryNotFound, match="citing"):
        api.query(kg, "no-such-query")


@pytest.mark.parametrize(
    ("params", "error", "words"),
    [
        ({}, ParameterError, "needs --param target"),
        ({"target": "Tunis Agenda para 69", "colour": "red"}, ParameterError, "no parameter 'colour'"),
        ({"target": "Tunis Agenda para 69", "relation": "likes"}, ParameterError, "not a reference verb"),
        ({"target": "Tunis Agenda para 6900"}, RefNotFound, "Tunis Agenda para 6900"),
    ],
)
def test_bad_parameters(kg: KnowledgeGraph, params: dict, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        api.query(kg, "citing", params=params)


def test_query_file_with_header(tmp_path: Path, kg: KnowledgeGraph) -> None:
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# description: test\n# param: when (date, required) a day\n"
                    "SELECT ?i WHERE { ?i igkg:dateAdopted ?when }\n")
    q = parse_named_query(path)
    assert [(p.name, p.type, p.required) for p in q.params] == [("when", "date", True)]
    assert sorted(str(r[0]) for r in api.query(kg, str(path), params={"when": "2003-12-12"}).rows) == [
        IGR + "wsis-geneva-declaration", IGR + "wsis-geneva-plan-of-action"]
    with pytest.raises(ParameterError, match="not a date"):
        api.query(kg, str(path), params={"when": "yesterday"})


BROKEN_REFERENCES = """
igr:a a igkg:Resolution ; rdfs:label "A" .
igr:b a igkg:Resolution ; rdfs:label "B" .
igr:ext a igkg:ExternalResource ; rdfs:label "Something outside" .
igr:ok a igkg:Citation ; igkg:citingEntity igr:a ; igkg:relation igkg:recalls ; igkg:citedEntity igr:b .
igr:to-external a igkg:Citation ; igkg:citingEntity igr:a ; igkg:relation igkg:notes ; igkg:citedEntity igr:ext .
igr:to-nowhere a igkg:Citation ; igkg:citingEntity igr:a ; igkg:relation igkg:recalls ; igkg:citedEntity igr:phantom .
igr:odd-verb a igkg:Citation ; igkg:citingEntity igr:a ; igkg:relation igkg:admires ; igkg:citedEntity igr:b .
igr:no-verb a igkg:Citation ; igkg:citingEntity igr:a ; igkg:citedEntity igr:b .
"""


def unresolved_rows(result) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(str(row[0]).rsplit("/", 1)[-1], str(row[4])) for row in result.rows}


EXPECTED_UNRESOLVED = {
    ("to-external", "external: not modelled in the graph"),
    ("to-nowhere", "target not in the graph"),
    ("odd-verb", "no known reference verb"),
    ("no-verb", "no known reference verb"),
}


def test_unresolved_references_finds_each_kind_of_problem(tmp_path: Path) -> None:
    from igkg.pipeline.compile import compile_graph

    from .conftest import ontology_plus, write_ttl

    kg = compile_graph(sources=ontology_plus(write_ttl(tmp_path, "broken.ttl", BROKEN_REFERENCES)), use_cache=False)
    assert unresolved_rows(api.query(kg, "unresolved-references")) == EXPECTED_UNRESOLVED


# Harder cases: two verbs on one citation, two targets and two citing entities, a citation
# typed only by the domain of its properties, one without a citing entity, an external
# resource nobody cites, a literal where the verb should be. Each row of the answer is a
# (citation, citing, verb, target, problem) combination, as many times as the graph gives it.
MORE_BROKEN = """
igr:two-verbs a igkg:Citation ; igkg:citingEntity igr:a ; igkg:relation igkg:recalls, igkg:admires ; igkg:citedEntity igr:b .
igr:ext-two a igkg:Citation ; igkg:citingEntity igr:a, igr:b ; igkg:relation igkg:recalls, igkg:notes ;
    igkg:citedEntity igr:ext, igr:phantom2 .
igr:untyped igkg:citingEntity igr:a ; igkg:relation igkg:admires2 ; igkg:citedEntity igr:phantom3 .
igr:no-citing a igkg:Citation ; igkg:relation igkg:admires3 ; igkg:citedEntity igr:phantom4 .
igr:ext-uncited a igkg:ExternalResource .
igr:lit-verb a igkg:Citation ; igkg:citingEntity igr:a ; igkg:relation "recalls" ; igkg:citedEntity igr:b .
"""

EXTERNAL, NOWHERE, VERB = "external: not modelled in the graph", "target not in the graph", "no known reference verb"
EXPECTED_MORE = Counter({
    **{(c, "a", v, "b", VERB): 1 for c, v in (("odd-verb", "admires"), ("two-verbs", "admires"), ("lit-verb", "recalls"))},
    ("no-verb", "a", None, "b", VERB): 1,
    ("to-external", "a", "notes", "ext", EXTERNAL): 1,
    ("to-nowhere", "a", "recalls", "phantom", NOWHERE): 1,
    **{("ext-two", citing, verb, "ext", EXTERNAL): 1 for citing in "ab" for verb in ("recalls", "notes")},
    **{("ext-two", citing, verb, "phantom2", NOWHERE): 1 for citing in "ab" for verb in ("recalls", "notes")},
    ("untyped", "a", "admires2", "phantom3", VERB): 1,
    ("untyped", "a", "admires2", "phantom3", NOWHERE): 1,
})


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_unresolved_references_rows_and_their_multiplicity(tmp_path: Path, backend: str) -> None:
    from igkg.pipeline.compile import compile_graph

    from .conftest import ontology_plus, write_ttl

    def short(term: object) -> str | None:
        return None if term is None else str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    sources = ontology_plus(write_ttl(tmp_path, "broken.ttl", BROKEN_REFERENCES + MORE_BROKEN))
    rows = api.query(compile_graph(sources=sources, use_cache=False, backend=backend), "unresolved-references").rows
    assert Counter(tuple(short(t) for t in row) for row in rows) == EXPECTED_MORE
    # In order of citing, target, citation, problem and verb: the same order on every engine.
    keys = [(str(r[1]), str(r[3]), str(r[0]), str(r[4]), "" if r[2] is None else str(r[2])) for r in rows]
    assert keys == sorted(keys)


# Cited paragraphs whose labels sort the other way round from their IRIs, cited from an
# instrument, from its paragraph and from a sub-paragraph, so that a form which sorted on
# the IRI, or lost one of the ways to the citing instrument, would show.
LABELS_AGAINST_IRIS = """
igr:i1 a igkg:Resolution ; rdfs:label "I1" .
igr:i1.p1 a igkg:Paragraph ; rdfs:label "I1 p1" ; igkg:partOf igr:i1 .
igr:i1.p1.a a igkg:SubParagraph ; rdfs:label "I1 p1 a" ; igkg:partOf igr:i1.p1 .
igr:i2 a igkg:Resolution ; rdfs:label "I2" .
igr:t a igkg:Resolution ; rdfs:label "T" .
igr:t.a a igkg:Paragraph ; rdfs:label "Zulu paragraph" ; igkg:partOf igr:t .
igr:t.z a igkg:Paragraph ; rdfs:label "Alpha paragraph" ; igkg:partOf igr:t .
igr:t.m a igkg:Paragraph ; rdfs:label "Mike paragraph" ; igkg:partOf igr:t .
igr:c1 a igkg:Citation ; igkg:citingEntity igr:i1.p1.a ; igkg:relation igkg:recalls ; igkg:citedEntity igr:t.a .
igr:c2 a igkg:Citation ; igkg:citingEntity igr:i2 ; igkg:relation igkg:recalls ; igkg:citedEntity igr:t.z .
igr:c3 a igkg:Citation ; igkg:citingEntity igr:i1.p1 ; igkg:relation igkg:notes ; igkg:citedEntity igr:t.m .
igr:c4 a igkg:Citation ; igkg:citingEntity igr:i2 ; igkg:relation igkg:notes ; igkg:citedEntity igr:t.m .
"""


# Parameters the named queries are also run with (besides none), on whichever graph has rows for them.
TUNED_PARAMS = {
    "timeline": [{"from": "2005-01-01", "to": "2015-12-31"}, {"from": "2010-06-01"}],
    "instruments-by-body": [{"body": "ITU Plenipotentiary Conference"}],
    "process-paragraphs": [{"process": "IGF"}, {"process": "enhanced cooperation"}],
}
# Queries that cannot run without a parameter.
REQUIRED_PARAMS = {"process-paragraphs"}


def _graph_pairs(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The same sources compiled into both stores: the shipped data, the broken references above,
    labels that sort against their IRIs, and a generated graph with ties and sub-paragraphs."""
    import sys

    from igkg.pipeline.compile import compile_graph
    from igkg.pipeline.load import default_sources

    from .conftest import ontology_plus, write_ttl

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from synthetic import synthetic_turtle

    generated = tmp_path / "syn-150.ttl"
    generated.write_text(synthetic_turtle(150), encoding="utf-8")
    for sources in (default_sources(include_user_dir=False),
                    ontology_plus(write_ttl(tmp_path, "broken.ttl", BROKEN_REFERENCES)),
                    ontology_plus(write_ttl(tmp_path, "ties.ttl", LABELS_AGAINST_IRIS)),
                    ontology_plus(generated)):
        yield tuple(compile_graph(backend=b, use_cache=False, sources=sources) for b in ("memory", "oxigraph"))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["most-cited", "unresolved-references", "timeline", "instruments-by-body", "igf-vs-ec",
                                  "process-paragraphs"])
def test_named_queries_give_the_same_rows_in_order_on_both_stores(tmp_path: Path, name: str) -> None:
    runs = [*([] if name in REQUIRED_PARAMS else [None]), *TUNED_PARAMS.get(name, [])]
    seen = {repr(run): 0 for run in runs}
    for i, (memory, oxigraph) in enumerate(_graph_pairs(tmp_path)):
        for params in runs:
            if params and ("body" in params or "process" in params) and i != 0:
                continue  # the body or process is one of the shipped data's
            reference, fast = api.query(memory, name, params=params), api.query(oxigraph, name, params=params)
            assert fast.variables == reference.variables
            assert fast.rows == reference.rows, (name, params)
            seen[repr(params)] += len(reference.rows)
    assert all(seen.values()), seen  # compared on rows, not only on empty answers


def test_a_parameter_in_a_sub_select_projection_becomes_an_alias() -> None:
    # The Oxigraph forms project parameters from sub-selects; a bare term there is not SPARQL.
    from igkg.store.sparql import substitute

    text = 'SELECT ?x ?b WHERE { { SELECT ?x ?b WHERE { ?x <urn:p> ?b } } FILTER(BOUND(?b)) "?b" }'
    assert substitute(text, {"b": URIRef("urn:body")}) == (
        'SELECT ?x (<urn:body> AS ?b) WHERE { { SELECT ?x (<urn:body> AS ?b) WHERE { ?x <urn:p> <urn:body> } } '
        'FILTER(true) "?b" }')


@pytest.mark.parametrize(("text", "names"), [
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from <urn:g> where { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <urn:g> WHERE { graph ?g { ?s ?p ?o } }", True),
    ('SELECT * WHERE { ?s rdfs:label "GRAPH FROM" }', False),  # in a literal
    ("SELECT * WHERE { ?s <urn:graph/from> ?o }  # GRAPH in a comment", False),
    ("SELECT ?graph ?from WHERE { ?graph ex:GRAPH ?from }", False),  # variables, a prefixed name
    ("SELECT * WHERE { ?s ?p ?o }", False),
])
def test_a_query_names_graphs_only_with_its_own_graph_or_from(text: str, names: bool) -> None:
    from igkg.store.sparql import names_graphs

    assert names_graphs(text) is names


@pytest.mark.slow
def test_named_queries_and_checks_read_the_same_from_the_part_a_build_infers(tmp_path: Path) -> None:
    """A build materialises only the part of the OWL RL closure igkg reads (reason.read_keep):
    every named query and every check must answer from it as from the full closure."""
    from igkg.pipeline.validate import validate_store

    answered = 0
    for i, (_, oxigraph) in enumerate(_graph_pairs(tmp_path)):
        full = oxigraph.full()
        assert oxigraph.report.triples["inferred"] < full.report.triples["inferred"]
        for name, params in PARAMS.items():
            if params and i != 0:
                continue  # the parameters name nodes of the shipped data
            part, whole = api.query(oxigraph, name, params=params), api.query(full, name, params=params)
            assert part.rows == whole.rows, name
            answered += len(part.rows)
        assert validate_store(oxigraph.store).violations == validate_store(full.store).violations
    assert answered


def test_the_user_s_own_sparql_reads_the_full_closure(oxkg: KnowledgeGraph, tmp_path: Path) -> None:
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://purl.org/spar/cito/cites> ?o }"  # an alignment, never materialised
    assert api.query(oxkg, text=text).rows[0][0].toPython() > 0
    assert oxkg.store.query(text).rows[0][0].toPython() == 0
    shipped = find_query("most-cited")
    copy = tmp_path / "most-cited.rq"  # the same text in a file of the user's, which may be edited
    copy.write_text(shipped.text, encoding="utf-8")
    assert is_named(shipped) and not is_named(find_query(str(copy))) and not is_named(adhoc_query(shipped.text))
