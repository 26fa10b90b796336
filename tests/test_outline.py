"""Outlining an instrument's text: our own short texts in the real layouts (a GA resolution, an ITU
resolution with its blocks, a WSIS-style declaration, a plan with action lines, a PDF)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from igkg.cli import app
from igkg.errors import EXIT_DOCUMENT
from igkg.extract.outline import outline
from igkg.models import Part

from .test_extract import make_pdf

GA = """United Nations
A/RES/70/999
General Assembly
Distr.: General
70/999. A resolution in our own words
The General Assembly,
Recalling its resolution 68/302, which set out the review,
Reaffirming the Tunis Agenda for the Information Society,
1. Decides to keep going, and
(a) to write things down;
(b) to read them again, with care and
(ii) patience;
2. Requests the Secretary-General to re-
port on it;
A/RES/70/999
3. Decides to remain seized of the matter.
ANNEX
1. The annex begins again at one.
"""

ITU = """RESOLUTION 999 (REV. BUSAN, 2014)
A title in our own words
The Plenipotentiary Conference of the International Telecommunication Union (Busan, 2014),
recalling
a) Resolution 140 (Rev. Guadalajara, 2010) of the Plenipotentiary Conference;
b) that the Tunis Agenda asks for things,
considering further
a) that networks grow,
resolves
1 to keep watching;
2 to report,
instructs the Secretary-General
1 to write a report,
invites Member States
to take part.
"""

WSIS = """72. We ask the Secretary-General to convene a forum. Its mandate is to:
a) Discuss things.
b) Facilitate other things.
73. The forum will be light.
1.3 Financial mechanisms
C1. The role of everyone in promoting things
C2. Information infrastructure
Article 3
Everyone has rights.
"""


def shape(parts: list[Part]) -> list[tuple[str, str, str | None]]:
    return [(p.locator, p.kind, p.heading) for p in parts]


def test_a_ga_resolution_title_preamble_paragraphs_items_and_an_annex_that_restarts() -> None:
    parts = outline(GA)
    assert shape(parts) == [
        ("title", "title", None),
        ("pp 1", "preambular", "preamble"), ("pp 2", "preambular", "preamble"),
        ("para 1", "paragraph", None), ("para 1(a)", "sub-paragraph", None), ("para 1(b)", "sub-paragraph", None),
        ("para 1(b)(ii)", "sub-paragraph", None),
        ("para 2", "paragraph", None), ("para 3", "paragraph", None),
        ("Annex", "annex", None), ("Annex, para 1", "paragraph", None),
    ]
    by = {p.locator: p for p in parts}
    # a word hyphenated at a line end is joined; the running header is left out of the part's words
    assert by["para 2"].text == "2. Requests the Secretary-General to report on it;"
    assert by["title"].text.startswith("United Nations General Assembly") and "The General Assembly," not in by["title"].text
    for p in parts:  # offsets into the text: each part starts with its own first word
        assert GA[p.start : p.end].split()[0] == p.text.split()[0]


def test_an_itu_resolution_blocks_and_their_items() -> None:
    assert shape(outline(ITU)) == [
        ("title", "title", None),
        ("recalling", "block", None), ("recalling a)", "item", "recalling"), ("recalling b)", "item", "recalling"),
        ("considering further", "block", None), ("considering further a)", "item", "considering further"),
        ("resolves", "block", None), ("resolves 1", "operative", "resolves"), ("resolves 2", "operative", "resolves"),
        ("instructs the Secretary-General", "block", None),
        ("instructs the Secretary-General 1", "operative", "instructs the Secretary-General"),
        ("invites Member States", "block", None),
    ]


def test_a_preamble_broken_mid_sentence_keeps_its_paragraphs() -> None:
    """A copy that breaks lines mid-sentence: "Recalling all the resolutions of the" is a preambular
    paragraph's first line, not an ITU block heading; "Guided by" opens one too."""
    text = ("Human Rights Council\nResolution adopted on 1 July 2020\nThe Human Rights Council,\n\nGuided by the Charter,\n\n"
            "Recalling all the resolutions of the\n\nCouncil on the matter,\n\n1. Decides to go on.\n")
    assert shape(outline(text)) == [("title", "title", None), ("pp 1", "preambular", "preamble"),
                                    ("pp 2", "preambular", "preamble"), ("para 1", "paragraph", None)]
    assert outline(text)[2].text == "Recalling all the resolutions of the Council on the matter,"


def test_a_copy_that_lost_its_line_breaks_and_a_number_on_its_own_line() -> None:
    flat = ("RESOLUTION 999 (Rev. Busan, 2014) A title in our own words for a resolution that came to us as one line "
            "The World Telecommunication Development Conference (Busan, 2014), recalling a) Resolution 140 (Rev. "
            "Guadalajara, 2010) of the Plenipotentiary Conference, on its role; b) Resolution 130 (Rev. Guadalajara, 2010), "
            "on security; considering a) that the networks grow and grow; b) that they grow faster every year, resolves 1 to "
            "keep watching them closely; 2 to report to the next conference on what was seen and done by all")
    assert [p.locator for p in outline(flat)] == [
        "title", "recalling", "recalling a)", "recalling b)", "considering", "considering a)", "considering b)",
        "resolves", "resolves 1", "resolves 2"]
    alone = "1.\nDecides to go on;\n2.\nDecides to stop.\n3.\nEnds.\n"  # "1." on its own line is no page number
    assert [(p.locator, p.text) for p in outline(alone)] == [
        ("para 1", "1. Decides to go on;"), ("para 2", "2. Decides to stop."), ("para 3", "3. Ends.")]


def test_windows_line_ends_keep_hyphens_joined_and_headers_out() -> None:
    text = "1. Requests a re-\r\nport;\r\nA/RES/1/1\r\n2. Decides.\r\nA/RES/1/1\r\n"
    assert [(p.locator, p.text) for p in outline(text)] == [("para 1", "1. Requests a report;"), ("para 2", "2. Decides.")]


def test_numbered_declaration_action_lines_and_articles() -> None:
    assert [p.locator for p in outline(WSIS)] == [
        "para 72", "para 72(a)", "para 72(b)", "para 73", "section 1.3", "Action Line C1", "Action Line C2", "art 3"]


def test_a_pdf_is_outlined_from_its_text_layer(tmp_path: Path) -> None:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(make_pdf(["1. Requests a re-", "port on it;", "2. Decides to go on."]))
    result = CliRunner().invoke(app, ["outline", str(pdf), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(r) for r in rows] == [list(Part.JSON_KEYS)] * 2
    assert [(r["locator"], r["text"]) for r in rows] == [("para 1", "1. Requests a report on it;"), ("para 2", "2. Decides to go on.")]


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary"])
def test_a_file_that_cannot_be_read_is_one_line_and_exit_5(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(app, ["outline", str(bad)])
    assert result.exit_code == EXIT_DOCUMENT and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
