"""Stage 4, identify: which instrument a text is, and its mentions of itself.

A resolution's text opens with a title block (its symbol or number, title, distribution
lines, "[on the report of …]") and its body starts with the adopting body's line ("The
General Assembly,", "The Plenipotentiary Conference … (Guadalajara, 2010),"). The references
in the title block, and a symbol standing alone on several lines (a running header), name the text
itself or where it came from: none of them is a citation. The first of them that gives a number
or symbol of an instrument is the text; a later mention of it, of its parts or of its series
(with no other revision named) is the text speaking of itself. ``body_line`` also serves the
outline of a text, whose title block it bounds.
"""

from __future__ import annotations

import re
from collections import Counter

from rdflib import URIRef

from ..vocab import IGKG
from .catalog import Catalog
from .clean import CleanText
from .resolve import Resolved

# The body's opening: "The General Assembly,", "The Council,", "The World Telecommunication
# Development Conference (Dubai, 2014),", ending its line or followed by the first clause's
# participle ("recalling", "Bearing in mind") where a copy has lost its line breaks. A text is
# read as a resolution with a title block only when this comes within its opening.
_BODY_LINE = re.compile(
    r"(?:^|(?<=\s))The [^\n]{0,120}?\b(?:Assembly|Council|Conference|Commission|Committee|Forum|Summit|Union|Board|Group)\b"
    r"[^\n]{0,90}?,(?=[ \t]*(?:\n|$)|\s+[•*-]?\s*[A-Za-z]+ing\b)",
    re.MULTILINE,
)
_MASTHEAD = re.compile(r"\s+(?:General Assembly\s+|Economic and Social Council\s+)?Distr\.")
_UNITED_NATIONS = re.compile(r"United Nations\s+$")
TITLE_LINE = 200  # characters: a title block's lines are short; a longer line above the body's opening is prose
TITLE_BLOCK_REACH = 1500  # characters: a title block is the opening of a text, not a page deep
BODY_AFTER_A_TITLE = 200  # characters: a line is a title only when a text follows it, not a phrase on its own
HEADLINE_REACH = 800  # without a body line, a title line must come this near the top
NEAR_MARGIN = 200  # characters: cleaning may lengthen a text a little (a space between glued words)
_SENTENCE_END = re.compile(r"(?<!Rev)(?<!No)(?<!para)[.;!?](?:\s+[A-Z(]|\s*$)")  # "(Rev. Dubai" is no sentence end
_LIST_ITEM = re.compile(r"[ \t]*(?:[•*–-]|\(?[a-z0-9]{1,2}[.)])\s")


def _by_symbol(r: Resolved) -> bool:
    """A reference written as a document symbol: found as one, or a graph name that is one ("A/80/L.41")."""
    return r.found.form == "symbol" or (r.found.form == "named" and "/" in (r.found.name or ""))


def identify(ct: CleanText, resolved: list[Resolved], catalog: Catalog) -> tuple[URIRef | None, list[Resolved]]:
    """The instrument the text is (None when it names none the graph holds), and its references
    less its mentions of itself. Lines are those of the original (cleaning joins them)."""
    text = ct.original
    # Original offsets of the references that may name the text: those near the top, and symbols anywhere
    # (headers, mastheads); a long text has thousands of others.
    near = [r for r in resolved if r.found.start < TITLE_BLOCK_REACH + NEAR_MARGIN]
    symbols = [r for r in resolved if _by_symbol(r)]
    at = {id(r): ct.span(r.found.start, r.found.end) for r in near + symbols}
    body = body_line(text)
    if body is not None:
        titles = [r for r in near if at[id(r)][0] < body[0]]
    else:
        # Near the top, numbered or by symbol, alone on its line and not a list item: the first such
        # line, and those that name the same (a page's "PP Resolution 135" over "PP RESOLUTION 135 (Rev. …)").
        # A page headed "Global Digital Compact" is about the Compact; a list of readings is no title.
        heads = [r for r in near if r.found.form in ("numbered", "symbol") and r.found.pinpoint is None
                 and at[id(r)][0] < HEADLINE_REACH and _alone_on_a_line(text, at[id(r)])
                 and not _LIST_ITEM.match(text, text.rfind("\n", 0, at[id(r)][0]) + 1)
                 and len(text) - at[id(r)][1] > BODY_AFTER_A_TITLE]
        first = heads[0] if heads else None
        titles = [r for r in heads if first is not None and (r is first or _same_text(r, first))]
    # A running header: the same symbol alone on more than one line; a UN masthead: "United Nations", the
    # symbol, "Distr.".
    alone = [r for r in symbols if r.found.form == "symbol" and _alone_on_a_line(text, at[id(r)])]
    repeated = Counter((r.found.organ, r.found.number) for r in alone)
    headers = [r for r in alone if repeated[(r.found.organ, r.found.number)] > 1]
    headers += [r for r in symbols
                if _MASTHEAD.match(text, at[id(r)][1]) or _UNITED_NATIONS.search(text, max(0, at[id(r)][0] - 20), at[id(r)][0])]
    own = {id(r) for r in titles + headers}
    # Numbered or by symbol: a title that names another instrument ("… of the Tunis Agenda") is not it.
    me = next((r.target for r in titles + headers if r.entry is not None and not r.entry.is_series and r.target == r.entry.iri
               and (r.found.form == "numbered" or _by_symbol(r))), None)
    if me is None:
        return None, [r for r in resolved if id(r) not in own]
    entry = catalog.by_iri.get(me)
    series = entry.series if entry else None
    keep = []
    for r in resolved:
        if id(r) in own or r.target == me or (series is not None and r.target == series):
            continue
        if r.target is not None and (r.target, IGKG.within, me) in catalog.graph:
            continue
        keep.append(r)
    return me, keep


def body_line(text: str) -> tuple[int, int] | None:
    """Where the body's opening ("The General Assembly,") is, when the text opens with a title block."""
    body = _BODY_LINE.search(text, 0, TITLE_BLOCK_REACH)
    if body is None:
        return None
    line_start = text.rfind("\n", 0, body.start()) + 1
    above, prefix = text[:line_start], text[line_start : body.start()]
    # Prose above it or before it on its line: a cover note or proposal, whose references are its
    # own, then the text it annexes; or a sentence that happens to say "The Council, recalling".
    if any(len(line) > TITLE_LINE for line in above.splitlines()) or len(prefix) > TITLE_LINE or _SENTENCE_END.search(prefix):
        return None
    return body.span()


def _same_text(a: Resolved, b: Resolved) -> bool:
    """Whether two references name one text: the same node, or revisions and series of one series."""
    if a.entry is None or b.entry is None:
        return False
    one = {a.entry.iri, a.entry.series} - {None}
    return bool(one & ({b.entry.iri, b.entry.series} - {None}))


def _alone_on_a_line(text: str, span: tuple[int, int]) -> bool:
    end = span[1]
    line_end = text.find("\n", end)
    return _heads_a_line(text, span) and not text[end : line_end if line_end >= 0 else len(text)].strip()


def _heads_a_line(text: str, span: tuple[int, int]) -> bool:
    """A reference that begins its line: "RESOLUTION 1305 Role of …", "A/RES/59/220"."""
    return not text[text.rfind("\n", 0, span[0]) + 1 : span[0]].strip(" \t•*-")
