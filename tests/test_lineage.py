from pathlib import Path

import pytest

from igkg import api
from igkg.build import KnowledgeGraph, compile_graph
from igkg.lineage import lineage

from .conftest import write_ttl


def _steps(lin):  # type: ignore[no-untyped-def]
    return [(s.depth, s.direction, s.edge.source.curie, s.edge.relation, s.edge.target.curie) for s in lin.steps]


def test_down_from_paragraph_69_finds_opinion_6(kg: KnowledgeGraph) -> None:
    lin = api.lineage(kg, "Tunis Agenda para 69", "down")
    assert _steps(lin) == [(1, "down", "igr:itu-wtpf-2013-opinion-6", "reaffirms", "igr:wsis-tunis-agenda.para-69")]
    assert lin.steps[0].edge.source.date == "2013-05-16"


def test_up_from_resolution_102_finds_paragraphs_71_and_78a(kg: KnowledgeGraph) -> None:
    lin = api.lineage(kg, "PP Res 102 (Rev. Guadalajara, 2010)", "up")
    assert _steps(lin) == [
        (1, "up", "igr:itu-pp-res-102-rev-2010", "revises", "igr:itu-pp-res-102-rev-2006"),
        (1, "up", "igr:itu-pp-res-102-rev-2010", "recognizes", "igr:wsis-tunis-agenda.para-71"),
        (1, "up", "igr:itu-pp-res-102-rev-2010", "recognizes", "igr:wsis-tunis-agenda.para-78.a"),
    ]
    assert [s.edge.pinpoint for s in lin.steps][1:] == ["§§ 71 and 78a)", "§§ 71 and 78a)"]


def test_down_from_an_instrument_covers_its_parts(kg: KnowledgeGraph) -> None:
    citers = {s.edge.source.curie for s in api.lineage(kg, "Tunis Agenda", "down").steps}
    assert citers == {"igr:itu-wtpf-2013-opinion-6", "igr:itu-pp-res-102-rev-2010"}


def test_down_from_a_paragraph_covers_its_sub_paragraphs(kg: KnowledgeGraph) -> None:
    lin = api.lineage(kg, "Tunis Agenda para 78", "down")
    assert [(s.edge.source.curie, s.edge.target.pinpoint) for s in lin.steps] == [("igr:itu-pp-res-102-rev-2010", "para 78(a)")]


def test_relation_filter(kg: KnowledgeGraph) -> None:
    assert api.lineage(kg, "Tunis Agenda", "down", relations=["recalls"]).steps == ()
    only = api.lineage(kg, "Tunis Agenda", "down", relations=["reaffirms"]).steps
    assert [s.edge.relation for s in only] == ["reaffirms"]
    # refersTo covers every verb
    assert len(api.lineage(kg, "Tunis Agenda", "down", relations=["refersTo"]).steps) == 3


def test_both_directions(kg: KnowledgeGraph) -> None:
    lin = api.lineage(kg, "PP Res 102 (Rev. Guadalajara, 2010)", "both")
    assert {s.direction for s in lin.steps} == {"up"}
    assert len(lin.steps) == 3


def test_bad_direction_is_refused(kg: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="direction"):
        lineage(kg.dataset, kg.index.resolve("IGF"), "sideways")


def test_revisions_in_order(kg: KnowledgeGraph) -> None:
    series, revs = api.revisions(kg, "Resolution 102 (Rev. Guadalajara, 2010)")
    assert series is not None and series.curie == "igr:itu-pp-res-102"
    assert [(r.place, r.year, r.node.date) for r in revs] == [("Antalya", "2006", "2006-11-24"), ("Guadalajara", "2010", "2010-10-22")]
    assert revs[1].revises == revs[0].node.iri


def test_paths_between_instruments(kg: KnowledgeGraph) -> None:
    found = api.paths(kg, "WTPF-13 Opinion 6", "Tunis Agenda")
    assert [[(e.source.curie, e.relation, e.target.curie) for e in p] for p in found] == [
        [("igr:itu-wtpf-2013-opinion-6", "reaffirms", "igr:wsis-tunis-agenda.para-69")]
    ]
    assert api.paths(kg, "WTPF-13 Opinion 6", "PP Res 102 (Rev. Guadalajara, 2010)") == []


CHAIN = """
igr:src a igkg:SourceDocument ; rdfs:label "S" ; igkg:url <https://example.org/s> .
igr:a a igkg:Resolution ; rdfs:label "A" ; igkg:dateAdopted "2015-01-01"^^xsd:date ; igkg:adoptedBy igr:unga ; dct:source igr:src .
igr:a.para-3 a igkg:Paragraph ; rdfs:label "A, paragraph 3" ; igkg:number "3" ; igkg:partOf igr:a ; dct:source igr:src .
igr:b a igkg:Resolution ; rdfs:label "B" ; igkg:dateAdopted "2016-01-01"^^xsd:date ; igkg:adoptedBy igr:unga ; dct:source igr:src .
igr:c-a a igkg:Citation ; igkg:citingEntity igr:a.para-3 ; igkg:relation igkg:recalls ;
    igkg:citedEntity igr:wsis-tunis-agenda.paras-69-71 ; dct:source igr:src .
igr:c-b a igkg:Citation ; igkg:citingEntity igr:b ; igkg:relation igkg:welcomes ; igkg:citedEntity igr:a ; dct:source igr:src .
"""


def test_ranges_and_chains(tmp_path: Path) -> None:
    """A text citing paragraphs 69-71 builds on paragraph 70; a text citing that text does too, one hop further."""
    extra = write_ttl(tmp_path, "chain.ttl", CHAIN)
    kg = compile_graph([extra], use_cache=False)
    lin = api.lineage(kg, "Tunis Agenda para 70", "down")
    assert _steps(lin) == [
        (1, "down", "igr:a.para-3", "recalls", "igr:wsis-tunis-agenda.paras-69-71"),
        (2, "down", "igr:b", "welcomes", "igr:a"),
    ]
    assert _steps(api.lineage(kg, "Tunis Agenda para 70", "down", depth=1)) == _steps(lin)[:1]
    up = api.lineage(kg, "B", "up")
    assert [s.edge.target.curie for s in up.steps] == ["igr:a", "igr:wsis-tunis-agenda.paras-69-71"]
    found = api.paths(kg, "B", "Tunis Agenda")
    assert [[e.relation for e in p] for p in found] == [["welcomes", "recalls"]]
