"""The shipped data holds everything the seed backgrounder names, sourced and in the curators' own words."""

import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

from igkg.graph import KnowledgeGraph
from igkg.vocab import DCT, IGKG, IGR, RDF, SKOS

from .conftest import SEED

# Everything the seed names, as the seed names it → the node it must resolve to.
SEED_NAMES = [
    ("Tunis Agenda (2005)", "wsis-tunis-agenda"),
    ("Paragraph 69 of the Tunis Agenda", "wsis-tunis-agenda.para-69"),
    ("Paragraph 71 of the Tunis Agenda", "wsis-tunis-agenda.para-71"),
    ("§§ 78a) of the Tunis Agenda", "wsis-tunis-agenda.para-78.a"),
    ("Resolution 102 (Rev. Guadalajara, 2010)", "itu-pp-res-102-rev-2010"),
    ("Draft Opinion 6 of the WTPF-13", "itu-wtpf-2013-opinion-6"),
    ("WTPF-13", "wtpf-13"),
    ("World Telecommunication/ICT Policy Forum", "itu-wtpf"),
    ("World Summit on the Information Society", "wsis"),
    ("Internet Governance Forum", "igf"),
    ("enhanced cooperation", "enhanced-cooperation"),
    ("UN Secretary-General", "unsg"),
    ("UN General Assembly", "unga"),
    ("Commission on Science and Technology for Development", "cstd"),
    ("ITU", "itu"),
    ("ITU Plenipotentiary Conference (Guadalajara, 2010)", "pp-10"),
    ("Governments", "stakeholder.governments"),
]

# (citing, relation, cited) references the seed states.
SEED_REFERENCES = [
    ("itu-pp-res-102-rev-2010", "recognizes", "wsis-tunis-agenda.para-71"),
    ("itu-pp-res-102-rev-2010", "recognizes", "wsis-tunis-agenda.para-78.a"),
    ("itu-wtpf-2013-opinion-6", "reaffirms", "wsis-tunis-agenda.para-69"),
]


@pytest.mark.parametrize(("name", "local"), SEED_NAMES)
def test_seed_names_resolve(kg: KnowledgeGraph, name: str, local: str) -> None:
    assert kg.index.resolve(name) == IGR[local]


@pytest.mark.parametrize(("citing", "verb", "cited"), SEED_REFERENCES)
def test_seed_references_are_in_the_graph(kg: KnowledgeGraph, citing: str, verb: str, cited: str) -> None:
    assert (IGR[citing], IGKG[verb], IGR[cited]) in kg.dataset
    citations = [c for c in kg.dataset.subjects(IGKG.citedEntity, IGR[cited]) if (c, IGKG.citingEntity, IGR[citing]) in kg.dataset]
    assert citations and all(kg.dataset.value(c, DCT.source) is not None for c in citations)


def test_igf_and_enhanced_cooperation_are_distinct_both_ways(kg: KnowledgeGraph) -> None:
    assert (IGR.igf, IGKG.distinctFrom, IGR["enhanced-cooperation"]) in kg.dataset
    assert (IGR["enhanced-cooperation"], IGKG.distinctFrom, IGR.igf) in kg.dataset


def test_tunis_agenda_facts(kg: KnowledgeGraph) -> None:
    g, ta = kg.dataset, IGR["wsis-tunis-agenda"]
    assert "WSIS-05/TUNIS/DOC/6(Rev.1)-E" in {str(s) for s in g.objects(ta, IGKG.symbol)}
    assert str(g.value(ta, IGKG.dateAdopted)) == "2005-11-18"
    assert (IGR["wsis-tunis-agenda.para-71"], IGKG.establishes, IGR["enhanced-cooperation"]) in g
    assert (IGR["wsis-tunis-agenda.para-72"], IGKG.establishes, IGR.igf) in g


def test_wtpf13_dates(kg: KnowledgeGraph) -> None:
    g = kg.dataset
    assert (str(g.value(IGR["wtpf-13"], IGKG.startDate)), str(g.value(IGR["wtpf-13"], IGKG.endDate))) == ("2013-05-14", "2013-05-16")


@pytest.mark.parametrize("cls", [IGKG.Instrument, IGKG.Subdivision, IGKG.Citation, IGKG.Process, IGKG.Meeting])
def test_every_fact_bearing_node_has_a_source(kg: KnowledgeGraph, cls: URIRef) -> None:
    nodes = set(kg.dataset.subjects(RDF.type, cls))
    assert nodes
    assert {n for n in nodes if kg.dataset.value(n, DCT.source) is None} == set()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.casefold())


def test_summaries_are_in_our_own_words(kg: KnowledgeGraph) -> None:
    """No summary, role or definition repeats eight consecutive words of the seed's quotations."""
    seed = _words(SEED.read_text(encoding="utf-8"))
    shingles = {tuple(seed[i : i + 8]) for i in range(len(seed) - 7)}
    texts = [str(o) for p in (IGKG.summary, IGKG.role, SKOS.definition) for o in kg.dataset.objects(None, p)]
    assert len(texts) > 20
    copied = [t for t in texts if any(tuple(_words(t)[i : i + 8]) in shingles for i in range(len(_words(t)) - 7))]
    assert copied == []


def test_seed_file_is_there() -> None:
    assert "Paragraph 69 of the Tunis Agenda" in SEED.read_text(encoding="utf-8")


def test_no_node_is_described_twice() -> None:
    """A second block for the same IRI merges silently, so a curator who repeats one thinks a fact was added."""
    data = Path(__file__).resolve().parents[1] / "data"
    starts = Counter(
        m.group(1) for f in sorted(data.glob("*.ttl")) for m in re.finditer(r"^(igr:\S+) a ", f.read_text(encoding="utf-8"), re.MULTILINE)
    )
    assert len(starts) > 1000
    assert [iri for iri, n in starts.items() if n > 1] == []


def test_every_igf_annual_meeting_from_2006_to_2025_has_place_and_dates(kg: KnowledgeGraph) -> None:
    g = kg.dataset
    meetings = set(g.subjects(IGKG.meetingOf, IGR.igf))
    years = {str(g.value(m, IGKG.startDate))[:4]: m for m in meetings if g.value(m, IGKG.startDate) is not None}
    assert sorted(years) == [str(y) for y in range(2006, 2026)]
    incomplete = [m for m in years.values() if g.value(m, IGKG.endDate) is None or g.value(m, IGKG.place) is None]
    assert incomplete == []
