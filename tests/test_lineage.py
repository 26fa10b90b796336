"""Lineage over the fixed test network (exact answers) and over the shipped data (the seed's facts)."""

from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import URIRef

from igkg import api
from igkg.analysis.describe import describe
from igkg.analysis.lineage import lineage
from igkg.analysis.network import CitationNetwork
from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.vocab import IGKG, IGR

from .conftest import ontology_plus, write_ttl


def _steps(lin):  # type: ignore[no-untyped-def]
    return [(s.depth, s.direction, s.edge.source.curie, s.edge.relation, s.edge.target.curie) for s in lin.steps]


def test_down_from_a_paragraph_reaches_range_citers_and_their_citers(mini: KnowledgeGraph) -> None:
    assert _steps(api.lineage(mini, "Test Agenda para 1", "down")) == [
        (1, "down", "igr:t-opinion", "reaffirms", "igr:t-agenda.para-1"),
        (1, "down", "igr:t-outcome.para-9", "recognizes", "igr:t-agenda.paras-1-3"),
        (2, "down", "igr:t-review", "recalls", "igr:t-outcome"),
    ]


def test_depth_limit(mini: KnowledgeGraph) -> None:
    assert [s.depth for s in api.lineage(mini, "Test Agenda para 1", "down", depth=1).steps] == [1, 1]


def test_down_from_a_paragraph_covers_its_sub_paragraphs(mini: KnowledgeGraph) -> None:
    lin = api.lineage(mini, "Test Agenda para 2", "down", depth=1)
    assert [(s.edge.source.curie, s.edge.target.pinpoint) for s in lin.steps] == [
        ("igr:t-res-7-rev-2010.recognizing-c", "para 2(a)"),
        ("igr:t-outcome.para-9", "paras 1-3"),
    ]


def test_down_from_an_instrument_covers_all_its_parts(mini: KnowledgeGraph) -> None:
    citers = {s.edge.source.curie for s in api.lineage(mini, "Test Agenda", "down", depth=1).steps}
    assert citers == {"igr:t-opinion", "igr:t-outcome.para-9", "igr:t-res-7-rev-2010.recognizing-c"}


def test_up_includes_references_made_by_parts(mini: KnowledgeGraph) -> None:
    lin = api.lineage(mini, "Resolution 7 (Rev. Beta, 2010)", "up")
    assert _steps(lin) == [
        (1, "up", "igr:t-res-7-rev-2010", "revises", "igr:t-res-7-rev-2006"),
        (1, "up", "igr:t-res-7-rev-2010.recognizing-c", "recognizes", "igr:t-agenda.para-2.a"),
        (1, "up", "igr:t-res-7-rev-2010.recognizing-c", "recognizes", "igr:t-agenda.para-3"),
    ]
    assert [s.edge.source.pinpoint for s in lin.steps] == [None, "recognizing c)", "recognizing c)"]
    assert [s.edge.pinpoint for s in lin.steps] == [None, "§ 2 a)", "§ 3"]


def test_relation_filter_follows_narrower_verbs(mini: KnowledgeGraph) -> None:
    assert api.lineage(mini, "Test Agenda", "down", relations=["welcomes"]).steps == ()
    assert [s.edge.relation for s in api.lineage(mini, "Test Agenda", "down", relations=["reaffirms"]).steps] == ["reaffirms"]
    everything = api.lineage(mini, "Test Agenda", "down")
    assert api.lineage(mini, "Test Agenda", "down", relations=["refersTo"]).steps == everything.steps


def test_both_directions(mini: KnowledgeGraph) -> None:
    lin = api.lineage(mini, "Test outcome 2015", "both")
    assert _steps(lin) == [
        (1, "up", "igr:t-outcome.para-9", "recognizes", "igr:t-agenda.paras-1-3"),
        (1, "down", "igr:t-review", "recalls", "igr:t-outcome"),
    ]


def test_bad_direction_is_refused(mini: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="direction"):
        lineage(mini.dataset, mini.index.resolve("TF"), "sideways")


def test_revisions_in_order(mini: KnowledgeGraph) -> None:
    series, revs = api.revisions(mini, "Resolution 7 (Rev. Beta, 2010)")
    assert series is not None and series.curie == "igr:t-series"
    assert [(r.place, r.year, r.node.date) for r in revs] == [("Alpha", "2006", "2006-06-01"), ("Beta", "2010", "2010-06-01")]
    assert revs[1].revises == revs[0].node.iri
    assert [r.status for r in revs] == ["secondary source", None]


def test_shipped_revision_status_shows_unverified_dates(kg: KnowledgeGraph) -> None:
    _, revs = api.revisions(kg, "PP Res 102")
    status = {r.node.curie: r.status for r in revs}
    assert status["igr:itu-pp-res-102-1998"] == "date of adoption unverified"
    assert status["igr:itu-pp-res-102-rev-2018"] == "secondary source"


def test_paths_between_instruments(mini: KnowledgeGraph) -> None:
    found = api.paths(mini, "Test review 2025", "Test Agenda")
    assert [[(e.source.curie, e.relation, e.target.curie) for e in p] for p in found] == [
        [("igr:t-review", "recalls", "igr:t-outcome"), ("igr:t-outcome.para-9", "recognizes", "igr:t-agenda.paras-1-3")]
    ]
    assert api.paths(mini, "Test Agenda", "Test review 2025") == found  # either order
    assert api.paths(mini, "Test Opinion 4", "Resolution 7 (Rev. Alpha, 2006)") == []


def test_no_path_joins_two_parts_of_one_instrument(mini: KnowledgeGraph) -> None:
    # Paths run between instruments; a paragraph and its own instrument are one, and the empty
    # route the search yields for start == end is no reference path.
    assert api.paths(mini, "Test Agenda para 1", "Test Agenda") == []
    assert api.paths(mini, "igr:t-agenda.para-2.a", "Test Agenda para 1") == []


@pytest.mark.parametrize("seed", range(12))
def test_simple_edge_paths_agrees_with_networkx(seed: int) -> None:
    import random

    import networkx as nx

    from igkg.analysis.network import simple_edge_paths

    rnd = random.Random(seed)
    nodes = list(range(rnd.randint(2, 9)))
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes)
    succ: dict[int, dict[int, list[tuple[int, int, int]]]] = {n: {} for n in nodes}
    for i in range(rnd.randint(1, 22)):
        u, v = rnd.choice(nodes), rnd.choice(nodes)
        if u != v:
            key = (u, v, i)  # several edges may join the same two nodes
            g.add_edge(u, v, key=key)
            succ[u].setdefault(v, []).append(key)
    for cutoff in (None, 1, 2, 3):
        for start in nodes:
            for end in nodes:
                ours = [[k for _, _, k in route] for route in simple_edge_paths(succ, start, end, cutoff)]
                theirs = [[k for _, _, k in route] for route in nx.all_simple_edge_paths(g, start, end, cutoff=cutoff)]
                assert sorted(ours) == sorted(theirs), (seed, cutoff, start, end)


def test_citation_graph_is_the_network_for_networkx(kg: KnowledgeGraph) -> None:
    import networkx as nx

    g = api.citation_graph(kg)
    assert isinstance(g, nx.MultiDiGraph)
    ours = {(s, o, k) for s, o, k, _ in kg.network.references.edges()}
    assert set(g.edges(keys=True)) == ours and len(ours) > 400
    # every edge keeps the citation that states it, where one does
    tunis_69 = kg.index.resolve("Tunis Agenda para 69")
    assert any(d["citation"] is not None for _, _, d in g.in_edges(tunis_69, data=True))


# --- the shipped data: what the issues' "done when" lines promise --------------

def test_shipped_paragraph_69_is_reaffirmed_by_wtpf13_opinion_6(kg: KnowledgeGraph) -> None:
    steps = api.lineage(kg, "Tunis Agenda para 69", "down").steps
    assert ("igr:itu-wtpf-2013-opinion-6", "reaffirms", "2013-05-16") in {
        (s.edge.source.curie, s.edge.relation, s.edge.source.date) for s in steps
    }


def test_shipped_resolution_102_recognizes_paragraphs_71_and_78a(kg: KnowledgeGraph) -> None:
    steps = api.lineage(kg, "PP Res 102 (Rev. Guadalajara, 2010)", "up", depth=1).steps
    targets = {(s.edge.relation, s.edge.target.curie) for s in steps}
    assert {("recognizes", "igr:wsis-tunis-agenda.para-71"), ("recognizes", "igr:wsis-tunis-agenda.para-78.a")} <= targets


def test_shipped_igf_mandate_chain_reaches_wsis20(kg: KnowledgeGraph) -> None:
    reached = [s.edge.source.curie for s in api.lineage(kg, "Tunis Agenda para 72", "down").steps]
    assert reached.index("igr:unga-res-70-125") < reached.index("igr:unga-2025-wsis20-outcome")


def test_shipped_wsis10_builds_on_tunis_and_68_302(kg: KnowledgeGraph) -> None:
    targets = {s.edge.target.curie for s in api.lineage(kg, "A/RES/70/125", "up", depth=1).steps}
    assert {"igr:unga-res-68-302", "igr:wsis-tunis-agenda.para-111", "igr:wsis-tunis-agenda.paras-69-71"} <= targets


def test_show_and_lineage_do_not_import_networkx() -> None:
    # A cold `igkg show` or `igkg lineage` pays for every import; networkx alone cost 0.15 s
    # and is only needed by the path search.
    import subprocess
    import sys

    code = ("import sys; from igkg import api; kg = api.open_graph(); api.show(kg, 'Tunis Agenda para 69'); "
            "api.lineage(kg, 'Tunis Agenda para 69', direction='both'); print('networkx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_verb_named_in_two_words_is_written_as_words_and_taken_as_either(kg: KnowledgeGraph) -> None:
    from igkg import render
    from igkg.analysis.nodes import verb_name, verb_words

    assert [verb_words(n) for n in ("refersTo", "decidesOn", "reaffirms")] == ["refers to", "decides on", "reaffirms"]
    assert [verb_name(w) for w in ("refers to", " decides  on ", "refersTo", "reaffirms")] == ["refersTo", "decidesOn", "refersTo", "reaffirms"]
    lin = api.lineage(kg, "Tunis Agenda", "down", depth=1)
    generic = [s for s in lin.steps if s.edge.relation == "refersTo"]
    assert generic, "the shipped data has references with no narrower verb"
    tree = render.lineage_tree(lin)
    assert "refersTo" not in tree and f"{generic[0].edge.source.label} — refers to" in tree
    assert '"relation": "refersTo"' in render.lineage_json(lin)
    assert _steps(api.lineage(kg, "Tunis Agenda", "down", relations=["refers to"])) == _steps(
        api.lineage(kg, "Tunis Agenda", "down", relations=["refersTo"]))


# --- the network read node by node ------------------------------------------

def _by_node(edges: list) -> list[tuple[str, ...]]:  # type: ignore[type-arg]
    return sorted((str(s), str(o), str(p), *(str(d[k]) for k in ("citation", "pinpoint", "verification"))) for s, o, p, d in edges)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["kg", "oxkg"])
def test_the_network_read_node_by_node_is_the_whole_network(backend: str, request: pytest.FixtureRequest) -> None:
    # What a walk fetches for a node (its references, parts, containers, ranges, instrument) is
    # what a read of the whole graph tells about it, on either engine.
    kg = request.getfixturevalue(backend)
    store = kg.store
    whole = CitationNetwork(store)
    everything = whole.references
    parts = {n for s, _, o in kg.dataset.triples((None, IGKG.partOf, None)) for n in (s, o)}
    nodes = sorted({n for s, o, _, _ in everything.edges() for n in (s, o)} | parts, key=str)
    assert len(nodes) > 400
    ahead = CitationNetwork(store)
    ahead.read_references(nodes)
    one = CitationNetwork(store)
    for n in nodes:
        assert _by_node(ahead.out_edges(n)) == _by_node(list(everything.out_edges(n))) == _by_node(one.out_edges(n)), n
        assert _by_node(ahead.in_edges(n)) == _by_node(list(everything.in_edges(n))) == _by_node(one.in_edges(n)), n
        assert ahead.parts(n) == whole.parts(n) and ahead.containers(n) == whole.containers(n), n
        assert ahead.instrument(n) == whole.instrument(n), n
        assert ahead._down_targets(n, root=False) == whole._down_targets(n, root=False), n


@pytest.mark.parametrize("backend", ["kg", "oxkg"])
def test_a_lookup_reads_what_it_reaches_not_the_whole_network(backend: str, request: pytest.FixtureRequest,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    kg = request.getfixturevalue(backend)
    expected = (api.lineage(kg, "Tunis Agenda", "both"), api.show(kg, "Tunis Agenda"))
    net = CitationNetwork(kg.store)
    asked: list[str] = []  # each question put to the store (a triples_from's own query is not another)
    inside: list[str] = []

    def counting(name: str) -> Callable[..., object]:
        real = getattr(kg.store, name)

        def counted(*args: object) -> object:
            if not inside:
                asked.append(name)
            inside.append(name)
            try:
                return real(*args)
            finally:
                inside.pop()
        return counted

    for name in ("query", "triples_from", "triples_to"):
        monkeypatch.setattr(kg.store, name, counting(name))
    monkeypatch.setattr(CitationNetwork, "references", property(lambda self: pytest.fail("the whole network was read")))
    tunis = kg.resolve("Tunis Agenda")
    walked = lineage(net, tunis, "both")
    assert walked == expected[0] and describe(net, tunis) == expected[1]
    # A few queries per level of the walk, not a few per node reached.
    reached = {t for step in walked.steps for t in (step.edge.source.iri, step.edge.target.iri)}
    assert len(reached) > 100 and len(asked) < len(reached) / 2


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_a_part_of_cycle_ends_the_walk(tmp_path: Path, backend: str) -> None:
    # A node part of itself, and two parts of each other: the walks and show must end, and
    # name each node once.
    data = write_ttl(tmp_path, "cycle.ttl", """
igr:self a igkg:Resolution ; rdfs:label "Self" ; igkg:partOf igr:self .
igr:one a igkg:Paragraph ; rdfs:label "One" ; igkg:number "1" ; igkg:partOf igr:two .
igr:two a igkg:Paragraph ; rdfs:label "Two" ; igkg:number "2" ; igkg:partOf igr:one .
igr:citer a igkg:Resolution ; rdfs:label "Citer" ; igkg:reaffirms igr:one , igr:self .
igr:self igkg:recalls igr:two .
""")
    kg = compile_graph(sources=ontology_plus(data), use_cache=False, backend=backend)
    net = kg.network
    assert net.parts(IGR["self"]) == [] and net.containers(IGR["self"]) == []
    assert net.parts(IGR["one"]) == [IGR["two"]] and net.containers(IGR["one"]) == [IGR["two"]]
    assert net.instrument(IGR["one"]) == IGR["one"]
    for ref in ("Self", "One", "Two", "Citer"):
        for direction in ("up", "down"):
            steps = api.lineage(kg, ref, direction).steps
            assert len(steps) == len({(s.edge.source.iri, s.edge.relation, s.edge.target.iri) for s in steps}) <= 3
        api.show(kg, ref)
    down = {(s.edge.source.curie, s.edge.relation, s.edge.target.curie) for s in api.lineage(kg, "One", "down").steps}
    assert down == {("igr:citer", "reaffirms", "igr:one"), ("igr:self", "recalls", "igr:two"), ("igr:citer", "reaffirms", "igr:self")}
    assert [[e.target.curie for e in route] for route in api.paths(kg, "Citer", "Self")] == [["igr:self"]]


def test_a_tree_counts_texts_and_expands_each_once(kg) -> None:  # type: ignore[no-untyped-def]
    """A text reached by several paths is counted once, its lineage printed once, and every other
    place it is met says where its lineage is."""
    import re

    from igkg import render

    lin = api.lineage(kg, "Tunis Agenda", "down")
    text = render.lineage_tree(lin)
    reached = {s.edge.source.curie for s in lin.steps}
    assert f"built upon by ({len(reached)}):" in text and len(reached) < len(lin.steps)  # the graph has such texts
    met: dict[str, list[bool]] = {}
    for line in text.splitlines()[2:]:
        m = re.search(r"  (igr:\S+)(  \(its lineage above\))?$", line)
        assert m, line
        met.setdefault(m[1], []).append(bool(m[2]))
    assert set(met) == reached
    parents = {s.parent for s in lin.steps}
    expanded = {s.edge.source.curie for s in lin.steps if s.edge.source.iri in parents}  # texts with a lineage of their own
    assert expanded
    for name in expanded:
        assert met[name].count(False) == 1 and met[name][0] is False, (name, met[name])


@pytest.mark.parametrize(("ref", "direction", "hint"), [("ITU Resolution 102", "down", "--revisions"), ("IGF", "up", "process-paragraphs")])
def test_a_series_or_a_process_points_to_the_view_that_fits_it(kg, ref: str, direction: str, hint: str) -> None:  # type: ignore[no-untyped-def]
    from igkg import render

    lin = api.lineage(kg, ref, direction)
    assert not lin.steps
    assert render.lineage_tree(lin).splitlines()[-1].startswith("  (none): ") and hint in render.lineage_tree(lin)


def test_paths_take_a_limit_and_say_how_many_there_are() -> None:
    from .test_cli import run

    args = ["lineage", "A/RES/77/150", "--to", "Tunis Agenda", "--depth", "3"]
    code, every, _ = run(*args)
    total = int(every.split(" ", 1)[0])
    assert code == 0 and total > 3
    code, some, _ = run(*args, "--limit", "3")
    assert code == 0 and some.splitlines()[0].startswith(f"the 3 shortest of {total} path(s) between ")
    assert some.splitlines()[1:] == every.splitlines()[1:4]
    lines = [line.split(". ", 1)[1].split("  (")[0] for line in every.splitlines()[1:]]
    assert len(lines) == len(set(lines))  # paths that read alike are one line, with their count


def test_show_of_a_meeting_lists_what_was_adopted_at_it(kg) -> None:  # type: ignore[no-untyped-def]
    from igkg import render

    d = api.show(kg, "WSIS+20")
    assert d.node.kind == "meeting"
    adopted = {URIRef(n.iri) for n in d.adopted}
    assert adopted == set(kg.dataset.subjects(IGKG.adoptedAt, URIRef(d.node.iri))) and adopted
    assert f"adopted here ({len(adopted)}):" in render.description(d, "text")
