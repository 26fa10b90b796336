"""Lineage over the fixed test network (exact answers) and over the shipped data (the seed's facts)."""

import pytest

from igkg import api
from igkg.analysis.lineage import lineage
from igkg.graph import KnowledgeGraph


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
    ours = {(s, o, k) for s, o, k, _ in kg.network.net.edges()}
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
