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


# The seed itself is not in the repository (the project ships no verbatim text of others'
# documents). What the checks below need of it is kept as a fingerprint: every run of eight
# consecutive words, hashed (see _eight_word_runs), one per line, sorted. Remade from a copy of the
# seed with `python -m tests.test_data PATH-TO-SEED > tests/fixtures/seed-eight-word-runs.txt`.
SEED_RUNS = Path(__file__).resolve().parent / "fixtures" / "seed-eight-word-runs.txt"


def _eight_word_runs(text: str) -> set[str]:
    """Each run of eight consecutive words: sha256 of the casefolded words joined by one space, 16 hex digits."""
    import hashlib

    words = _words(text)
    return {hashlib.sha256(" ".join(words[i : i + 8]).encode()).hexdigest()[:16] for i in range(len(words) - 7)}


def _seed_runs() -> set[str]:
    runs = {line for line in SEED_RUNS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert len(runs) > 500  # the seed's 650 words
    return runs


def test_summaries_are_in_our_own_words(kg: KnowledgeGraph) -> None:
    """No summary, role or definition repeats eight consecutive words of the seed's quotations."""
    seed = _seed_runs()
    texts = [str(o) for p in (IGKG.summary, IGKG.role, SKOS.definition) for o in kg.dataset.objects(None, p)]
    assert len(texts) > 20
    copied = [t for t in texts if _eight_word_runs(t) & seed]
    assert copied == []


def test_the_seed_fingerprint_catches_a_copy() -> None:
    """The check above can fail: the seed's heading (a name, a place and dates) is in the fingerprint,
    and so is the same heading inside a longer summary; one word changed, it is not."""
    seed = _seed_runs()
    heading = "World Telecommunication/ICT Policy Forum Geneva, Switzerland, 14-16 May 2013"
    assert _eight_word_runs(heading) <= seed
    assert _eight_word_runs(f"A summary that repeats the {heading} heading.") & seed
    assert not _eight_word_runs(heading.replace("Geneva", "Tunis")) & seed


def test_the_seed_stand_in_is_ours() -> None:
    """The tests read a stand-in for the seed that lies in the repository, cites in the seed's forms
    (its gold file lists them) and, apart from those references, shares no eight words with the seed."""
    import json

    tests = Path(__file__).resolve().parent
    assert SEED.resolve().is_relative_to(tests)
    text = SEED.read_text(encoding="utf-8")
    assert "Paragraph 69 of the Tunis Agenda" in text
    gold = json.loads((tests / "gold" / "seed-backgrounder.gold.json").read_text(encoding="utf-8"))
    assert (tests / "gold" / gold["document"]).resolve() == SEED.resolve()
    surfaces = sorted({r["surface"] for r in gold["references"]}, key=len, reverse=True)
    prose = re.split("|".join(map(re.escape, surfaces)), text)
    assert len(prose) > len(surfaces)
    assert [p for p in prose if _eight_word_runs(p) & _seed_runs()] == []


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


if __name__ == "__main__":  # the fingerprint of a document, for SEED_RUNS
    import sys

    print("# sha256 (first 16 hex digits) of each run of eight consecutive words of the WTPF-13 backgrounder")
    print("# on enhanced cooperation (14 May 2013); see test_data._eight_word_runs. Not the text itself.")
    print("\n".join(sorted(_eight_word_runs(Path(sys.argv[1]).read_text(encoding="utf-8")))))
