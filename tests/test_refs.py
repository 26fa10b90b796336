from pathlib import Path

import pytest

from igkg.analysis.names import RefIndex, normalize, short_forms
from igkg.errors import AmbiguousRef, RefNotFound
from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph

from .conftest import ontology_plus, write_ttl

# What people type → the node it must resolve to (local part of the igr: IRI).
CASES = [
    ("Tunis Agenda para 69", "wsis-tunis-agenda.para-69"),
    ("Tunis Agenda §69", "wsis-tunis-agenda.para-69"),
    ("paragraph 69 of the Tunis Agenda", "wsis-tunis-agenda.para-69"),
    ("Tunis Agenda, paragraph 71", "wsis-tunis-agenda.para-71"),
    ("Tunis Agenda §78(a)", "wsis-tunis-agenda.para-78.a"),
    ("Tunis Agenda § 78 a)", "wsis-tunis-agenda.para-78.a"),
    ("§78a) of the Tunis Agenda", "wsis-tunis-agenda.para-78.a"),
    ("Tunis Agenda paras 69-71", "wsis-tunis-agenda.paras-69-71"),
    ("paragraphs 69\u201371 of the Tunis Agenda", "wsis-tunis-agenda.paras-69-71"),
    ("TA para 72", "wsis-tunis-agenda.para-72"),
    ("Tunis Agenda", "wsis-tunis-agenda"),
    ("the Tunis Agenda for the Information Society", "wsis-tunis-agenda"),
    ("WSIS-05/TUNIS/DOC/6(Rev.1)-E", "wsis-tunis-agenda"),
    ("PP Res 102 (Rev. Guadalajara, 2010)", "itu-pp-res-102-rev-2010"),
    ("Resolution 102 (Rev. Guadalajara, 2010)", "itu-pp-res-102-rev-2010"),
    ("resolution 102 (rev. antalya, 2006)", "itu-pp-res-102-rev-2006"),
    ("PP Res 102", "itu-pp-res-102"),
    ("WTPF-13 Opinion 6", "itu-wtpf-2013-opinion-6"),
    ("WTPF\u201113 Opinion 6", "itu-wtpf-2013-opinion-6"),
    ("Draft Opinion 6 of the WTPF-13", "itu-wtpf-2013-opinion-6"),
    ("WTPF-13", "wtpf-13"),
    ("IGF", "igf"),
    ("enhanced cooperation", "enhanced-cooperation"),
    ("UN Secretary-General", "unsg"),
    ("CSTD", "cstd"),
    ("igr:wsis", "wsis"),
    ("https://w3id.org/igkg/id/itu", "itu"),
    # An identifier without its prefix, as at the end of a URL.
    ("wsis-tunis-agenda.para-78.a", "wsis-tunis-agenda.para-78.a"),
    (" itu-pp-res-102-rev-2010 ", "itu-pp-res-102-rev-2010"),
    ("unga-res-70-125", "unga-res-70-125"),
    # What researchers type (issue 28): short names recorded as data, short symbols, revisions
    # without their year, a number after the name, a meeting without its place.
    ("WSIS+10", "unga-wsis10-hlm"),  # the review, which ended in this meeting
    ("WSIS+20", "unga-wsis20-hlm"),
    ("Res. 102", "itu-pp-res-102"),
    ("Resolution 102", "itu-pp-res-102"),
    ("Resolution 102 (Rev. Busan)", "itu-pp-res-102-rev-2014"),
    ("70/125", "unga-res-70-125"),
    ("UNGA 68/302", "unga-res-68-302"),
    ("GA resolution 70/125", "unga-res-70-125"),
    ("ECOSOC 2023/3", "ecosoc-res-2023-3"),
    ("HRC 20/8", "unhrc-2012-internet-human-rights"),
    ("Tunis Agenda 69", "wsis-tunis-agenda.para-69"),
    ("TA 69", "wsis-tunis-agenda.para-69"),
    ("TA 78 a", "wsis-tunis-agenda.para-78.a"),
    ("70/125 para 64", "unga-res-70-125.para-64"),
    ("IGF 2015", "igf-2015"),
    ("UDHR", "unga-res-217-iii"),
]


def index_of(tmp_path: Path, turtle: str) -> RefIndex:
    """The names index of the ontology and ``turtle`` alone."""
    return compile_graph(sources=ontology_plus(write_ttl(tmp_path, "names.ttl", turtle)), use_cache=False, validate=False).index


@pytest.mark.parametrize(("ref", "local"), CASES)
def test_resolves(kg: KnowledgeGraph, ref: str, local: str) -> None:
    assert str(kg.index.resolve(ref)) == "https://w3id.org/igkg/id/" + local


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Tunis Agenda, §§ 71 and 78a)", "tunis agenda para 71 and 78 a"),
        ("WTPF\u201113", "wtpf-13"),
        ("Resolution 102 (Rev. Guadalajara, 2010)", "res 102 rev guadalajara 2010"),
        ("PP Res. 102", "pp res 102"),
        ("  The   Tunis  Agenda ", "tunis agenda"),
    ],
)
def test_normalize(text: str, key: str) -> None:
    assert normalize(text) == key


def test_short_names_that_fit_several_nodes_list_them(kg: KnowledgeGraph) -> None:
    for ref, candidates in (("WGEC", ["igr:cstd-wgec-2013", "igr:cstd-wgec-2016"]), ("Res 69", ["igr:itu-wtdc-res-69", "igr:itu-wtsa-res-69"])):
        with pytest.raises(AmbiguousRef) as err:
            kg.index.resolve(ref)
        assert [c for _, c in err.value.candidates] == candidates


@pytest.mark.parametrize(
    ("name", "symbol", "forms"),
    [
        ("A/RES/71/212", True, {"71/212", "unga 71/212", "ga 71/212", "res 71/212", "unga res 71/212", "ga res 71/212"}),
        ("E/RES/2019/24", True, {"2019/24", "ecosoc 2019/24", "ecosoc res 2019/24", "res 2019/24"}),
        ("A/HRC/RES/32/13", True, {"32/13", "hrc 32/13", "hrc res 32/13", "res 32/13"}),
        ("A/RES/71/212", False, set()),  # a label that looks like a symbol is only itself
        ("WTDC Resolution 30", False, {"res 30"}),
        ("WTDC-17 Resolution 30", False, set()),  # names one revision: not the number alone
        ("Resolution 30 (Rev. Buenos Aires, 2017)", False, {"res 30 rev buenos aires"}),
        ("Resolution 30 (Doha, 2006)", False, set()),
        ("IGF 2019 (Berlin)", False, {"igf 2019"}),
        ("Tunis Agenda", False, set()),
    ],
)
def test_short_forms_come_from_the_form_of_a_name(name: str, symbol: bool, forms: set[str]) -> None:
    assert short_forms(name, symbol) == forms


def test_a_short_form_never_shadows_a_name(tmp_path: Path) -> None:
    """A node whose own name is "res 7" wins over a series that only answers to it as a short form."""
    index = index_of(tmp_path, """
igr:series a igkg:RevisionSeries ; rdfs:label "Assembly Resolution 7" .
igr:other a igkg:Resolution ; rdfs:label "Resolution 7" .
""")
    assert str(index.resolve("Res. 7")).endswith("/other")
    assert str(index.resolve("Assembly Res 7")).endswith("/series")


def test_unknown_ref_suggests_near_matches(kg: KnowledgeGraph) -> None:
    with pytest.raises(RefNotFound) as err:
        kg.index.resolve("Tunis Agnda")
    labels = [label for label, _ in err.value.suggestions]
    assert labels[0] == "Tunis Agenda for the Information Society"
    assert "Did you mean: Tunis Agenda for the Information Society (igr:wsis-tunis-agenda)" in str(err.value)


# Names the index does not know, read as the extractor reads a text: one resolver for both.
AS_WRITTEN = [
    ("Resolution 102 of the 2010 Plenipotentiary Conference", "itu-pp-res-102-rev-2010"),
    ("PP-14 Resolution 102", "itu-pp-res-102-rev-2014"),
    ("paragraphs 69 to 71 of the Tunis Agenda for the Information Society", "wsis-tunis-agenda.paras-69-71"),
]


@pytest.mark.parametrize(("ref", "local"), AS_WRITTEN)
def test_what_the_index_does_not_know_is_read_as_a_text_reads(kg: KnowledgeGraph, ref: str, local: str) -> None:
    with pytest.raises(RefNotFound):
        kg.index.resolve(ref)
    assert str(kg.resolve(ref)) == "https://w3id.org/igkg/id/" + local


@pytest.mark.parametrize(("ref", "why"), [
    ("UDHR art 19", "no node for art 19 of Universal Declaration of Human Rights"),
    ("Article 19 of the Universal Declaration of Human Rights", "no node for art 19 of Universal Declaration of Human Rights"),
    ("Geneva Plan of Action C6", "no node for C6 of Geneva Plan of Action"),
    ("paragraph 200 of the Tunis Agenda", "no node for para 200 of Tunis Agenda for the Information Society"),
    # a name with words the extractor does not read as one reference is not guessed at
    ("Resolution 102 and some other words", None),
])
def test_a_part_the_graph_has_no_node_for_says_so_and_is_not_widened(kg: KnowledgeGraph, ref: str, why: str | None) -> None:
    with pytest.raises(RefNotFound) as err:
        kg.resolve(ref)
    assert err.value.reason is None if why is None else why in (err.value.reason or "")


def test_missing_paragraph_is_not_found(kg: KnowledgeGraph) -> None:
    with pytest.raises(RefNotFound):
        kg.index.resolve("Tunis Agenda para 999")


def test_unknown_iri_is_not_found(kg: KnowledgeGraph) -> None:
    for ref in ("igr:no-such-thing", "no-such-thing", "wsis-tunis-agenda.para-999"):
        with pytest.raises(RefNotFound):
            kg.index.resolve(ref)


def test_a_name_wins_over_an_identifier_without_its_prefix(tmp_path: Path) -> None:
    index = index_of(tmp_path, """
igr:alpha a igkg:Resolution ; rdfs:label "beta" .
igr:beta a igkg:Resolution ; rdfs:label "Another resolution" .
""")
    assert str(index.resolve("beta")).endswith("/alpha")
    assert str(index.resolve("alpha")).endswith("/alpha") and str(index.resolve("igr:beta")).endswith("/beta")


def test_ambiguous_name_lists_candidates(kg: KnowledgeGraph, tmp_path: Path) -> None:
    # "ITU Plenipotentiary Conference" names the body; its two meetings carry the name with a place.
    assert str(kg.index.resolve("ITU Plenipotentiary Conference")).endswith("/itu-pp")
    data = write_ttl(tmp_path, "shared.ttl", """
igr:pp-06 a igkg:Meeting ; rdfs:label "PP-06 Antalya" ; skos:altLabel "shared name" .
igr:pp-10 a igkg:Meeting ; rdfs:label "PP-10 Guadalajara" ; skos:altLabel "Shared  Name" .
igr:doc a igkg:SourceDocument ; rdfs:label "shared name" .
""")
    index = compile_graph(sources=ontology_plus(data), use_cache=False).index
    assert index.keys["shared name"] == {index.resolve("PP-06 Antalya"), index.resolve("PP-10 Guadalajara"), index.resolve("igr:doc")}
    with pytest.raises(AmbiguousRef, match=r"PP-06 Antalya \(igr:pp-06\).*PP-10 Guadalajara \(igr:pp-10\)") as err:
        index.resolve("shared name")  # two meetings rank before a source document, and tie
    assert [c for _, c in err.value.candidates] == ["igr:pp-06", "igr:pp-10"]
