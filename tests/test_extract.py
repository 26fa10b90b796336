"""The extractor: clean, find, resolve, annotate; reading files of every kind; the gold standard."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph

from igkg import api
from igkg.errors import EXIT_DOCUMENT, DocumentError
from igkg.extract import Catalog, extract_text, read_document
from igkg.extract.clean import Speller, clean
from igkg.extract.evaluate import evaluate
from igkg.models import ExtractedReference

from .conftest import PREFIXES, SEED
from .test_cli import run

GOLD = Path(__file__).resolve().parent / "gold"


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a text layer (no lines: a page with nothing to read)."""
    ops = "".join(f"BT /F1 11 Tf 72 {720 - 16 * i} Td ({ln}) Tj ET\n" for i, ln in enumerate(lines))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(ops)} >>\nstream\n{ops}endstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


# --- the seed: every reference it makes, resolved -------------------------------

def test_seed_references_resolve(kg) -> None:
    refs = api.extract(kg, SEED)
    found = {(r.instrument.split("/")[-1] if r.instrument else None, r.pinpoint) for r in refs}
    assert ("wsis-tunis-agenda.para-69", "para 69") in found
    assert ("wsis-tunis-agenda.para-71", "para 71") in found
    assert ("wsis-tunis-agenda.para-78.a", "para 78(a)") in found
    assert ("itu-pp-res-102-rev-2010", None) in found
    assert ("itu-wtpf-2013-opinion-6", None) in found
    assert all(r.instrument for r in refs)
    text = read_document(SEED).text
    for r in refs:  # offsets point at the surface in the decoded text
        assert text[r.start : r.end] == r.surface


def test_res_102_of_the_2010_conference_is_the_guadalajara_revision(kg) -> None:
    (r,) = api.extract_text(kg, "Resolution 102 of the 2010 ITU Plenipotentiary Conference")
    assert r.instrument.endswith("itu-pp-res-102-rev-2010") and r.revision == "Guadalajara 2010"


def test_one_reference_per_pinpoint(kg) -> None:
    refs = api.extract_text(kg, "recognized \u201c\u00a7\u00a7 71 and 78a) of the Tunis Agenda")
    assert [(r.pinpoint, r.relation) for r in refs] == [("para 71", "recognizes"), ("para 78(a)", "recognizes")]


@pytest.mark.parametrize(
    "text, suffix, pinpoint, revision",
    [
        ("paragraphs 69-71 of the Tunis Agenda", "wsis-tunis-agenda.paras-69-71", "paras 69-71", None),
        ("paragraph 35 of the Tunis Agenda", "wsis-tunis-agenda.para-35", "para 35", None),
        ("WTSA Resolution 75 (Johannesburg, 2008)", "itu-wtsa-res-75-2008", None, "Johannesburg 2008"),
        ("Resolution 102 (Rev. Antalya, 2006)", "itu-pp-res-102-rev-2006", None, "Antalya 2006"),
        ("resolution 68/302 of 31 July 2014", "unga-res-68-302", None, None),
        ("A/RES/70/125", "unga-res-70-125", None, None),
        ("General Assembly resolution 60/252", "unga-res-60-252", None, None),
        ("ECOSOC resolution 2006/46", "ecosoc-res-2006-46", None, None),
        ("Council Resolution 1305", "itu-council-res-1305", None, None),
        ("Draft Opinion 6 of the WTPF\u201113", "itu-wtpf-2013-opinion-6", None, None),
        ("the Geneva Declaration of Principles", "wsis-geneva-declaration", None, None),
        ("the Global Digital Compact", "unga-gdc-2024", None, None),
        ("WTSAResolution 64 (Johannesburg, 2008)", "itu-wtsa-res-64-2008", None, "Johannesburg 2008"),
        ("Resolutlon 102 (Rev.\nAntalya, 2006)", "itu-pp-res-102-rev-2006", None, "Antalya 2006"),
        ("paragraph 111'of the Tunis Agenda", "wsis-tunis-agenda.para-111", "para 111", None),
        ("General Assembly resolution 57/270B", "unga-res-57-270b", None, None),
        ("Resolution 140 (REV. BUSAN, 2014)", "itu-pp-res-140-rev-2014", None, "Busan 2014"),
    ],
)
def test_forms(kg, text: str, suffix: str, pinpoint: str | None, revision: str | None) -> None:
    (r,) = api.extract_text(kg, text)
    assert r.instrument is not None and r.instrument.endswith("/" + suffix)
    assert (r.pinpoint, r.revision) == (pinpoint, revision)


# (sentence, [(instrument suffix or None, label, pinpoint)]): kinds of reference that real texts use, in our own sentences.
KINDS = [
    # pinpoints before the name, several at once, with spaced letters
    ("It builds on §§ 35 b) and 61 of the Geneva Declaration.",
     [("wsis-geneva-declaration.para-35", None, "para 35(b)"), ("wsis-geneva-declaration", None, "para 61")]),
    # pinpoints after the name, introduced by "in particular"
    ("Guided by the Tunis Agenda, in particular paragraphs 69-71, the parties met.",
     [("wsis-tunis-agenda", None, None), ("wsis-tunis-agenda.paras-69-71", None, "paras 69-71")]),
    # ... but a pinpoint followed by "of" belongs to the reference after it
    ("Recalling resolution 70/125, in particular paragraphs 69-71 of the Tunis Agenda as recalled therein,",
     [("unga-res-70-125", None, None), ("wsis-tunis-agenda.paras-69-71", None, "paras 69-71")]),
    # a short name then a pinpoint; a pinpoint into "its" resolution
    ("See GDC paragraph 30 and paragraph 24 of its resolution 2010/2.",
     [("unga-gdc-2024.para-30", None, "para 30"), ("ecosoc-res-2010-2.para-24", None, "para 24")]),
    # parts other than paragraphs
    ("Action line C5 of the Geneva Plan of Action and Annex II of resolution 79/1 say so.",
     [("wsis-geneva-plan-of-action", None, "Action Line C5"), ("unga-res-79-1", None, "Annex II")]),
    # "parts I and II": no article; "The Convention": no name of one; a convention named with lower-case links
    ("Recalling in particular parts I and II of the Tunis Agenda, as The Convention says, and the Convention on the "
     "Rights of Persons with Disabilities", [("wsis-tunis-agenda", None, None),
                                            (None, "Convention on the Rights of Persons with Disabilities", None)]),
    # instruments the graph does not hold: found by their kind's form, unresolved, with a normalised name
    ("Article 33 of the ITU Constitution, No. 121 of the Convention of the International Telecommunication Union, "
     "ITU-T Recommendation E.164 and the Budapest Convention apply, as does the zero draft of 1 October 2025.",
     [(None, "ITU Constitution", "art 33"), (None, "ITU Convention", "No. 121"), (None, "Recommendation ITU-T E.164", None),
      (None, "Budapest Convention", None), (None, "zero draft of 1 October 2025", None)]),
    # a footnote mark glued before a list of resolutions, one glued after a comma
    ("as well as previous resolutions on the issue,1Resolutions 59/220, 60/252,62/182",
     [("unga-res-59-220", None, None), ("unga-res-60-252", None, None), ("unga-res-62-182", None, None)]),
    # a paragraph past the last the graph holds, with no paragraph count: the whole text, with a note
    ("Recalling paragraph 200 of the Tunis Agenda,", [("wsis-tunis-agenda", None, "para 200")]),
    # dated items that go on after each one's subject, to the end of the sentence
    ("Recalling General Assembly resolutions 68/302 of 31 July 2014 on the review, 70/125 of 16 December 2015 on its "
     "outcome and 69/166 of 18 December 2014 on privacy; 70/1 of 25 September 2015 is elsewhere.",
     [("unga-res-68-302", None, None), ("unga-res-70-125", None, None), ("unga-res-69-166", None, None)]),
    # a revision after the last of several numbers is the revision of each; a year of change is no revision
    ("Resolutions 101 and 102 (Rev. Busan, 2014) and Council Resolution 1305 (Modified 2019) apply.",
     [("itu-pp-res-101-rev-2014", None, None), ("itu-pp-res-102-rev-2014", None, None), ("itu-council-res-1305", None, None)]),
    # a title quoted after a reference is its title; footnote marks glued to years and commas; an annex after
    ("Reaffirming resolution 70/1 of 25 September 2015, entitled \u201cTransforming our world: the 2030 Agenda for "
     "Sustainable Development\u201d, and resolutions 68/167 of 18 December 20134 and 69/166 of 18 December 2014,5 as "
     "well as resolution 79/1, annex,", [("unga-res-70-1", None, None), ("unga-res-68-167", None, None),
                                          ("unga-res-69-166", None, None), ("unga-res-79-1", None, "Annex")]),
    # a meeting's year before the number; a copy's broken "R ev."; the resolution that adopted a declaration
    ("the Plenipotentiary Conference 2010 Resolution 140 and Resolution 102 (R ev. Busan, 2014), and resolution 217 A (III)",
     [("itu-pp-res-140-rev-2010", None, None), ("itu-pp-res-102-rev-2014", None, None), ("unga-res-217-iii", None, None)]),
    # action lines with their titles
    ("the facilitator for action lines C2 (Information infrastructure) and C5 (Building confidence) of the Geneva Plan of Action",
     [("wsis-geneva-plan-of-action", None, "Action Line C2"), ("wsis-geneva-plan-of-action", None, "Action Line C5")]),
    # one mention named twice in a clause is one reference; named again after "and" it is two
    ("Reaffirming the Pact for the Future, adopted by the General Assembly in resolution 79/1 of 22 September 2024, "
     "and recalling A/RES/79/1 and resolution 79/1", [("unga-res-79-1", None, None), ("unga-res-79-1", None, None),
                                                     ("unga-res-79-1", None, None)]),
    # where a text was published is no reference to it
    ("See Official Records of the General Assembly, Seventieth Session, Supplement No. 53 (A/70/53), and A/RES/70/125.",
     [("unga-res-70-125", None, None)]),
    # a paragraph pinpoint after the name, introduced by "in"
    ("the principles of the Geneva Declaration of Principles in §§ 64 and 35 b)", [
        ("wsis-geneva-declaration.para-64", None, "para 64"), ("wsis-geneva-declaration.para-35", None, "para 35(b)")]),
]


@pytest.mark.parametrize("text, expected", KINDS, ids=[f"kind-{i}" for i in range(len(KINDS))])
def test_kinds_of_reference(kg, text: str, expected: list[tuple[str | None, str | None, str | None]]) -> None:
    refs = api.extract_text(kg, text)
    got = [(r.instrument.split("/")[-1] if r.instrument else None, None if r.instrument else r.label, r.pinpoint) for r in refs]
    assert got == expected


def test_an_itu_block_heading_governs_each_of_its_items(kg) -> None:
    text = ("The Conference,\nrecalling\na) Resolution 71 (Rev. Guadalajara, 2010) of the Plenipotentiary Conference;\n"
            "b) Resolution 140 (Rev. Guadalajara, 2010) of the Plenipotentiary Conference;\n"
            "considering further\na) the Tunis Agenda;\nb) that the Geneva Declaration of Principles sets principles;\n"
            "resolves\n1 to keep Resolution 102 (Rev. Busan, 2014) under review")
    assert [r.relation for r in api.extract_text(kg, text)] == ["recalls", "recalls", "considers", "considers", "decides"]


def test_a_double_spaced_copy_reads_as_single_spaced(kg) -> None:
    """Web copies of PDFs often put a blank line after every line: those do not end paragraphs, so
    a name or a list runs on across them; in a single-spaced text a blank line still ends one."""
    lines = ["Recalling the Universal", "Declaration of Human Rights and General Assembly resolutions",
             "68/167 of 18 December 2013 and 69/166 of 18", "December 2014, and"] + [f"filler line {i}" for i in range(10)]
    double = "\n\n".join(lines)
    got = [r.instrument.split("/")[-1] for r in api.extract_text(kg, double) if r.instrument]
    assert got == ["unga-res-217-iii", "unga-res-68-167", "unga-res-69-166"]
    single = "Recalling the Tunis\n\nAgenda,"  # a heading, then a paragraph: no name runs across them
    assert api.extract_text(kg, single) == []


def test_a_page_headed_by_a_name_is_about_it_not_it(kg) -> None:
    page = "Global Digital Compact\n\n" + "The GDC builds on WSIS. " * 20 + "\nThe Global Digital Compact, paragraph 5, says so."
    got = [r.instrument.split("/")[-1] for r in api.extract_text(kg, page) if r.instrument]
    assert got == ["unga-gdc-2024"] * 21 + ["unga-gdc-2024.para-5"]


@pytest.mark.parametrize("text, cited", [
    # a list of readings at the top is no title
    ("Background reading\n- Resolution 102 (Rev. Busan, 2014)\n- A/RES/70/125\n" + "Some words of ours. " * 15,
     ["itu-pp-res-102-rev-2014", "unga-res-70-125"]),
    # a title naming another instrument does not make the text that instrument
    ("2024/11. Assessment of the follow-up to the Tunis Agenda\nThe Economic and Social Council,\n"
     "Recalling the Tunis Agenda and resolution 70/125,", ["wsis-tunis-agenda", "unga-res-70-125"]),
    # a sentence before "The General Assembly, recalling" on its line is prose, not a title block
    ("Delegates noted that resolution 68/302 is key. The General Assembly, recalling resolution 70/125, went on.",
     ["unga-res-68-302", "unga-res-70-125"]),
    # the same instrument under another verb is another reference
    ("Noting the Tunis Agenda, welcoming the Tunis Agenda, recalling A/RES/70/125, reaffirming resolution 70/125,",
     ["wsis-tunis-agenda", "wsis-tunis-agenda", "unga-res-70-125", "unga-res-70-125"]),
    # an apostrophe is no quotation mark; "of the present resolution" is the text's own paragraph
    ("Recalling resolution 70/1's aims and the Tunis Agenda's aims, including paragraph 5 of the present resolution,",
     ["unga-res-70-1", "wsis-tunis-agenda"]),
])
def test_what_is_not_a_title_or_a_title_s_words(kg, text: str, cited: list[str]) -> None:
    assert [r.instrument.split("/")[-1] for r in api.extract_text(kg, text) if r.instrument] == cited


def test_a_paragraph_count_in_the_data_gives_a_firm_verdict(mini) -> None:
    """Test Agenda has 5 paragraphs (igkg:paragraphCount) and the graph holds 1-3: paragraph 4 is
    real but no node (linked to the text, with a note), paragraph 6 does not exist."""
    four, six = api.extract_text(mini, "Recalling paragraph 4 of the Test Agenda and paragraph 6 of the Test Agenda,")
    assert four.instrument.endswith("/t-agenda") and "not in the graph" in (four.note or "")
    assert six.instrument is None and six.confidence <= 0.3 and "has 5 paragraphs: there is no paragraph 6" in (six.note or "")


def test_a_pinpoint_the_graph_cannot_place_says_so(kg) -> None:
    past, = api.extract_text(kg, "Recalling paragraph 200 of the Tunis Agenda,")
    inside, = api.extract_text(kg, "Recalling paragraph 69 of the Tunis Agenda,")
    assert past.confidence <= 0.5 < inside.confidence and inside.note is None
    assert past.note is not None and "no paragraph 200" in past.note and "may not exist" in past.note
    sub, = api.extract_text(kg, "Recalling paragraph 35 (b) of the Geneva Declaration,")
    assert sub.instrument.endswith("wsis-geneva-declaration.para-35") and "linked to its paragraph 35" in (sub.note or "")


def test_a_footnote_mark_glued_to_a_number_is_stripped_at_lower_confidence(kg) -> None:
    clean_ref, glued = api.extract_text(kg, "Recalling resolution 60/252 and resolution 60/2525, as endorsed")
    assert clean_ref.instrument == glued.instrument and glued.instrument.endswith("/unga-res-60-252")
    assert glued.confidence < clean_ref.confidence
    (unknown,) = api.extract_text(kg, "resolution 99/9999")
    assert unknown.instrument is None


def test_a_noun_is_not_a_verb_and_a_passive_does_not_govern(kg) -> None:
    (r,) = api.extract_text(kg, "Recalling the request in paragraph 111 of the Tunis Agenda")
    assert r.relation == "recalls"
    refs = api.extract_text(kg, "Recalling the Declaration of Principles, endorsed by the General Assembly,2General Assembly resolution 59/220.")
    assert [r.relation for r in refs] == ["recalls", "recalls"]


def test_this_conference_takes_the_document_meeting(kg) -> None:
    text = "Plenipotentiary Conference (PP-14)\n\nMembers recall Resolution 140 of this conference."
    (r,) = api.extract_text(kg, text)
    assert r.instrument.endswith("itu-pp-res-140-rev-2014") and r.relation == "recalls"


def test_unknown_instrument_is_reported_unresolved(kg) -> None:
    # WTSA Resolution 98 is not in the shipped data.
    (r,) = api.extract_text(kg, "noting WTSA Resolution 98 (Rev. Dubai, 2012)")
    assert r.instrument is None and r.label == "WTSA Resolution 98 (Rev. Dubai, 2012)" and r.relation == "notes"


def test_a_series_without_revision_resolves_to_the_series(kg) -> None:
    (r,) = api.extract_text(kg, "PP Resolution 102 has been revised many times")
    assert r.instrument.endswith("/itu-pp-res-102") and r.confidence < 0.9


GA_TEXT = """United Nations
General Assembly
A/RES/70/125
Distr.: General
Seventieth session
[on the report of the Second Committee (A/70/999)]
70/125. Our own words standing in for a title
The General Assembly,
Recalling its resolution 68/302 of 31 July 2014, which set out the review,
Welcoming the present resolution as a sign of things to come,
A/RES/70/125
1. Reaffirms the Tunis Agenda and General Assembly resolution 70/125, and decides to keep going.
"""
ITU_TEXT = """PP RESOLUTION 140 (Rev. Busan, 2014)
A title in our own words
The Plenipotentiary Conference of the International Telecommunication Union (Busan, 2014),
recalling
a) Resolution 140 (Rev. Guadalajara, 2010) of the Plenipotentiary Conference;
b) that PP Resolution 140 is revised at each conference, and that this text is Resolution 140 of this conference,
resolves to carry on with the Geneva Declaration of Principles.
"""


@pytest.mark.parametrize("text, identity, cited", [
    (GA_TEXT, "unga-res-70-125", ["unga-res-68-302", "wsis-tunis-agenda"]),
    (ITU_TEXT, "itu-pp-res-140-rev-2014", ["itu-pp-res-140-rev-2010", "wsis-geneva-declaration"]),
    # a UN masthead on one line, as copies flatten it: the symbol, then "Distr."
    ("United Nations A/RES/70/125 General Assembly Distr.: General 1 February 2016 " + "Seventieth session. " * 10
     + "Recalling its resolution 68/302, it notes A/RES/70/125 again.", "unga-res-70-125", ["unga-res-68-302"]),
    # A proposal's prose above the annexed text's opening is not a title block: its references count.
    ("Proposal\nGiven that Resolutions 37 and 102 (Rev. Busan, 2014) overlap in many ways and should be read together by "
     "all the members of the conference, before the next one, we propose the text below for adoption at this meeting.\n"
     "The World Telecommunication Development Conference (Buenos Aires, 2017),\nrecalling\na) Resolution 140 (Rev. Busan, 2014)",
     None, ["itu-pp-res-102-rev-2014", "itu-pp-res-140-rev-2014"]),
    # Prose that says "The Council, recalling" mid-line has no title block: every reference counts.
    ("In 2009 the Council met again. The Council, recalling Resolution 1305, went on, and A/RES/70/125 was cited too.",
     None, ["itu-council-res-1305", "unga-res-70-125"]),
])
def test_a_text_names_itself_in_its_title_block_and_that_is_no_citation(kg, text: str, identity: str | None,
                                                                         cited: list[str]) -> None:
    from igkg.extract.clean import clean as clean_text
    from igkg.extract.find import find
    from igkg.extract.identify import identify
    from igkg.extract.resolve import resolve

    ct = clean_text(text, Speller(kg.catalog.vocabulary))
    found, _ = identify(ct, resolve(find(ct, kg.catalog), kg.catalog), kg.catalog)
    assert (found.split("/")[-1] if found else None) == identity
    assert [r.instrument.split("/")[-1] for r in api.extract_text(kg, text) if r.instrument] == cited


def test_resolution_reads_the_graph_not_code() -> None:
    """A new instrument, alias and verb form in the data are found without code changes."""
    g = Graph()
    g.parse(data=PREFIXES + """
        igkg:Instrument rdfs:label "instrument"@en .
        igkg:Charter rdfs:subClassOf igkg:Instrument ; rdfs:label "charter"@en .
        igkg:Resolution rdfs:subClassOf igkg:Instrument ; rdfs:label "resolution"@en .
        ex:charter a igkg:Charter , igkg:Instrument ; rdfs:label "Charter of Digital Things" ; skos:altLabel "CDT" .
        ex:body a igkg:Actor ; rdfs:label "Assembly of Examples" ; skos:altLabel "AoE" .
        ex:res a igkg:Resolution , igkg:Instrument ; rdfs:label "AoE Resolution 7 (Rev. Oslo, 2031)" ;
            igkg:adoptedBy ex:body ; igkg:revisionPlace "Oslo" ; igkg:revisionYear "2031"^^xsd:gYear .
        igkg:celebrates rdfs:label "celebrates" ; igkg:verbForm "celebrating" .
    """, format="turtle")
    refs = extract_text("Celebrating the Charter of Digital Things and AoE Resolution 7 (Rev. Oslo, 2031)", Catalog.build(g))
    assert [(r.instrument, r.relation, r.revision) for r in refs] == [
        ("https://example.org/charter", "celebrates", None),
        ("https://example.org/res", "celebrates", "Oslo 2031"),
    ]


# --- cleaning keeps offsets --------------------------------------------------

NOISY = st.lists(
    st.sampled_from([*list("ab Rz-.\n\xa0‑–“”\xad\u200b19"), "Resolutlon", "WTSAResolution", "reso-\nlution"]), max_size=40
).map("".join)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(NOISY)
def test_clean_maps_every_offset_into_the_original(text: str) -> None:
    ct = clean(text, Speller(["resolution", "agenda"]))
    assert ct.to_original(len(ct.text), end=True) <= len(text)
    previous = 0
    for i in range(len(ct.text) + 1):
        o = ct.to_original(i)
        assert previous <= o <= len(text)
        previous = o
        if i < len(ct.text) and ct.text[i].isalnum() and not ct.corrected:
            assert text[o] == ct.text[i]  # a letter maps to itself in the original


def test_clean_repairs_noise() -> None:
    ct = clean("WTSAResolution\u00a0102 of the Tunls\nAgenda, reso-\nlution\u2011x", Speller(["resolution", "tunis", "agenda"]))
    assert ct.text == "WTSA Resolution 102 of the Tunis Agenda, resolution-x"
    start = ct.text.index("Tunis Agenda")
    assert ct.span(start, start + len("Tunis Agenda")) == (26, 38)


# --- reading files -----------------------------------------------------------

def test_reads_encodings_html_and_pdf(tmp_path: Path) -> None:
    latin = tmp_path / "note.txt"
    latin.write_bytes("Caf\u00e9 \u2013 paragraph 69 of the Tunis Agenda, \u00ab quoted \u00bb and more words in Windows-1252.".encode("cp1252"))
    assert "paragraph 69 of the Tunis Agenda" in read_document(latin).text
    utf16 = tmp_path / "u16.txt"
    utf16.write_text("the Tunis Agenda", encoding="utf-16")
    assert read_document(utf16).text == "the Tunis Agenda"
    html = read_document(GOLD / "cs-statement.html")
    assert html.media_type == "text/html" and "Rev. Antalya" not in html.text  # scripts are not text
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(make_pdf(["Recalling Resolution 102 (Rev. Antalya, 2006)"]))
    doc = read_document(pdf)
    assert doc.media_type == "application/pdf" and "Resolution 102" in doc.text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "the file is empty"),
        pytest.param("blank.txt", b" \n\t\n", "only white space", marks=pytest.mark.slow),
        pytest.param("binary.bin", bytes(range(256)) * 4, "looks like a binary file", marks=pytest.mark.slow),
        ("scan.pdf", None, "the PDF has no text layer"),
        pytest.param("broken.pdf", b"%PDF-1.4\nthis is not a pdf body", "not a readable PDF", marks=pytest.mark.slow),
    ],
)
def test_bad_documents_get_one_line_and_exit_5(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(make_pdf([]) if content is None else content)
    with pytest.raises(DocumentError, match=message):
        read_document(path)
    code, out, err = run("extract", str(path))
    assert code == EXIT_DOCUMENT and out == ""
    assert err.startswith(f"igkg: error: {path}: ") and err.count("\n") == 1


def test_undecodable_with_given_encoding_and_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("na\u00efve".encode("latin-1"))
    code, _, err = run("extract", "--encoding", "utf-8", str(path))
    assert code == EXIT_DOCUMENT and "cannot be decoded as utf-8" in err
    monkeypatch.setenv("IGKG_MAX_DOCUMENT_BYTES", "3")
    code, _, err = run("extract", str(path))
    assert code == EXIT_DOCUMENT and "over the limit of 3" in err


# --- output formats ------------------------------------------------------------

def test_json_has_exactly_the_documented_keys() -> None:
    code, out, _ = run("extract", "--format", "json", str(SEED))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(list(r) == list(ExtractedReference.JSON_KEYS) for r in rows)
    assert {"para 69", "para 71", "para 78(a)"} <= {r["pinpoint"] for r in rows}


def test_turtle_output_parses_and_holds_the_citations() -> None:
    code, out, _ = run("extract", "--format", "turtle", str(SEED))
    assert code == 0
    g = Graph().parse(data=out, format="turtle")
    from igkg.vocab import IGKG

    assert len(set(g.subjects(predicate=IGKG.citedEntity))) == 10  # the references of gold/seed-backgrounder.gold.json
    # Every namespace under its usual prefix, Web Annotation's included: no generated ns1:.
    assert "@prefix oa: <http://www.w3.org/ns/oa#> ." in out and not re.search(r"\bns\d+:", out)


# --- the gold standard --------------------------------------------------------

def test_gold_standard_does_not_regress(kg) -> None:
    scores, wrong = evaluate(GOLD, kg)
    by = {s.field: s for s in scores}
    assert by["all"].expected >= 50
    # Instrument, revision and pinpoint all right: the target on explicit references.
    assert by["all"].precision >= 0.95 and by["all"].recall >= 0.90, wrong
    assert by["relation"].precision >= 0.85 and by["relation"].recall >= 0.85, wrong


def test_the_scorer_pairs_a_pinpoint_written_apart_from_its_name() -> None:
    from igkg.extract.evaluate import Gold, match

    def ref(start: int, end: int, pin: str | None) -> ExtractedReference:
        return ExtractedReference(start, end, "x", "https://w3id.org/igkg/id/t" + (".p" if pin else ""), "t", None, None, pin,
                                  None, 0.9)
    name = Gold(10, 30, "igr:t.p", None, "para 5", None)  # the annotator marked the name
    near, far = ref(50, 60, "para 5"), ref(400, 410, "para 5")  # igkg marks the pinpoint
    assert match([near], [name]) == [(near, name)]
    assert match([far], [name]) == [(None, name), (far, None)]  # too far apart to be one reference
    other = ref(50, 60, "para 6")
    assert match([other], [name]) == [(None, name), (other, None)]


def test_an_instrument_with_no_date_takes_the_year_its_name_states(kg) -> None:
    from rdflib import URIRef

    entry = kg.catalog.by_iri[URIRef("https://w3id.org/igkg/id/itu-pp-res-73-1998")]
    assert (entry.year, entry.place) == ("1998", "Minneapolis")
    assert kg.dataset.value(entry.iri, URIRef("https://w3id.org/igkg/ontology#dateAdopted")) is None


def test_evaluate_refuses_an_empty_or_broken_gold_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from igkg.extract.evaluate import main

    assert main([str(tmp_path)]) == 2
    assert "no *.gold.json files" in capsys.readouterr().err
    (tmp_path / "x.txt").write_text("the Tunis Agenda", encoding="utf-8")
    (tmp_path / "x.gold.json").write_text(json.dumps({"document": "x.txt", "references": [{"surface": "Geneva", "instrument": None,
                                          "revision": None, "pinpoint": None, "relation": None}]}), encoding="utf-8")
    assert main([str(tmp_path)]) == 2
    assert "'Geneva' (occurrence 1) is not in the document" in capsys.readouterr().err
