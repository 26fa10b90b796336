"""The structure of an instrument's text: its title block and parts, each with a locator.

Reads the decoded text line by line. A part starts where a line starts with what marks one in
UN, ITU and WSIS texts: a numbered paragraph ("69."), a lettered or roman item ("a)", "(a)",
"(iii)"), an ITU block heading ("recalling", "resolves", "instructs the Secretary-General"), a
numbered operative item inside a block ("1 to …"), an annex ("ANNEX II"), an article, a WSIS
action line ("C5."), or a preambular paragraph of a UN resolution (a participle opening a line
between "The General Assembly," and the first numbered paragraph). A part runs to the next
one. Locators are written as the extractor writes pinpoints ("para 78(a)", "resolves 2",
"considering a)", "Annex I", "Action Line C5", "section 1.3"); numbering restarts inside an annex and its
locators say so ("Annex I, para 3"). Lines repeated down the text (running headers, page
numbers) start no part and are left out of a part's text.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter

from ..models import Part
from .identify import body_line

# ITU and UN block headings, alone on their line: the verb and, for instructions and invitations,
# whom they address.
_BLOCK = re.compile(
    r"[ \t]*(?:[•*–-][ \t]*)?(?P<h>(?:recalling|considering|noting|recognizing|recognising|bearing in mind|taking into account|"
    r"aware|conscious|emphasizing|emphasising|mindful|convinced|observing|acknowledging|resolves|decides|further resolves)"
    r"(?: (?:further|also|furthermore|moreover))?"
    # an instruction or invitation, with whom it addresses: "instructs the Secretary-General", "invites Member States"
    r"|(?:instructs|invites|requests|encourages|urges|calls upon)(?: (?:further|also))?(?: (?:the |[A-Z])[^\n,:;]{1,90}?)?)"
    r"[ \t]*[,:;]?[ \t]*$",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"[ \t]*(?P<n>\d{1,3})\.(?:[ \t]+(?=\S)|[ \t]*$)")  # "69. We …", or "1." on a line of its own
_SECTION = re.compile(r"[ \t]*(?P<n>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)[ \t]+(?=[A-Z])")  # "1.3 Financial mechanisms"
_OPERATIVE = re.compile(r"[ \t]*(?P<n>\d{1,2})[ \t]+(?=[a-z])")  # ITU: "resolves\n1 to …"
_LETTERED = re.compile(r"[ \t]*(?:[•*–-][ \t]*)?(?:\((?P<a>[a-z])\)|(?P<b>[a-z])\))[ \t]*(?=\S)")
_ROMAN = re.compile(r"[ \t]*\((?P<r>i{1,3}|iv|v|vi{1,3}|ix|x)\)[ \t]*(?=\S)")
_ANNEX = re.compile(r"[ \t]*ANNEX(?:[ \t]+(?P<n>[IVX]{1,5}|\d{1,2}))?\b(?![a-z])", re.IGNORECASE)
_ARTICLE = re.compile(r"[ \t]*Article[ \t]+(?P<n>\d{1,3})\b")
_ACTION_LINE = re.compile(r"[ \t]*(?:Action Line[ \t]+)?C(?P<n>\d{1,2})\.?[ \t]+(?=[A-Z])")
# How a UN preambular paragraph opens: a participle, or an adjective of its kind ("Guided by", "Deeply concerned").
_PARTICIPLE = re.compile(
    r"[ \t]*(?:[A-Z][a-z]+ing|Guided|Aware|Convinced|Mindful|Conscious|Concerned|Deeply|Alarmed|Determined|Encouraged"
    r"|Expressing|Bearing in mind|Taking note|Having)\b"
)
_HYPHENATED = re.compile(r"(?<=[a-z])-\n[ \t]*(?=[a-z])")
LONG_LINE = 400  # characters: a line this long has lost its line breaks, and is cut where parts begin
# Where a part begins inside such a line: a numbered paragraph after a sentence's end, a lettered
# item after a clause's end, a block heading followed by its first item.
_INLINE_START = re.compile(
    r"(?<=[.;:,)\]”\"]) (?P<at>(?:\d{1,3}\. (?=[A-Z\[])|\d{1,2}\.\d{1,2} (?=[A-Z])|(?<=; )\d{1,2} (?=[a-z])|\(?[a-z]\) ?(?=[A-Z“\"a-z])|"
    r"(?:recalling|considering|noting|recognizing|resolves|instructs|invites|requests|encourages|urges|further resolves)"
    r"(?: further| also)?(?: the [A-Z][^,;:]{0,60}?)? (?P<item>\(?[a-z]\)|\d )))"
)
REPEATED = 3  # a short line met this many times is a running header or footer; a document symbol, twice
_SYMBOL_LINE = re.compile(r"[A-Z]{1,6}(?:/[\w.#()-]+){2,}")


def outline(text: str) -> list[Part]:
    """The parts of ``text`` in order."""
    lines = _lines(text)
    repeated = _repeated(text, lines)
    body = body_line(text)
    starts: list[tuple[int, str, str, str | None]] = []  # (offset, locator, kind, heading)
    if body is not None and body[0] > 0:
        starts.append((0, "title", "title", None))
    block: str | None = None  # the ITU block or the UN part (preamble) a line stands in
    annex = ""  # "Annex I, " inside an annex
    para: str | None = None  # the current numbered paragraph, for its lettered items
    item: str | None = None  # the current lettered locator, for its roman items
    preamble = 0
    in_preamble = body is not None and _is_un_body(text, body)
    for start, end in lines:
        line = text[start:end]
        if (start, end) in repeated or not line.strip() or (body is not None and start < body[1]):
            continue
        if m := _ANNEX.match(line):
            annex = f"Annex {m['n'].upper()}, " if m["n"] else "Annex, "
            block, para, item, in_preamble = None, None, None, False
            starts.append((start, annex.rstrip(", "), "annex", None))
        elif m := _BLOCK.match(line):
            block, para, item, in_preamble = " ".join(m["h"].split()).rstrip(",:; "), None, None, False
            starts.append((start, f"{annex}{block}", "block", None))
        elif m := _ARTICLE.match(line):
            para, item = f"{annex}art {m['n']}", None
            starts.append((start, para, "article", block))
        elif m := _ACTION_LINE.match(line):
            para, item = f"{annex}Action Line C{m['n']}", None
            starts.append((start, para, "action line", block))
        elif m := _SECTION.match(line):
            para, item = None, None
            starts.append((start + m.start("n"), f"{annex}section {m['n']}", "section", block))
        elif m := _NUMBERED.match(line):
            in_preamble = False
            para, item = f"{annex}para {m['n']}", None
            starts.append((start + m.start("n"), para, "paragraph", block))
        elif block is not None and (m := _OPERATIVE.match(line)):
            para, item = f"{annex}{block} {m['n']}", None
            starts.append((start + m.start("n"), para, "operative", block))
        elif m := _LETTERED.match(line):
            letter = m["a"] or m["b"]
            item = f"{para}({letter})" if para is not None else f"{annex}{block} {letter})" if block else f"{annex}({letter})"
            starts.append((start + len(line) - len(line.lstrip(" \t•*–-")), item, "sub-paragraph" if para else "item", block))
        elif (m := _ROMAN.match(line)) and item is not None:
            starts.append((start + len(line) - len(line.lstrip()), f"{item}({m['r']})", "sub-paragraph", block))
        elif in_preamble and _PARTICIPLE.match(line):
            preamble += 1
            starts.append((start + len(line) - len(line.lstrip()), f"pp {preamble}", "preambular", "preamble"))
    parts = []
    for i, (start, locator, kind, heading) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        if kind == "title" and body is not None:
            end = body[0]  # the body's opening line belongs to no part
        end = len(text[:end].rstrip())
        parts.append(Part(start, end, locator, kind, heading, _words(text, lines, start, end, repeated)))
    return parts


def _lines(text: str) -> list[tuple[int, int]]:
    """Lines, and in a long line (a copy that lost its line breaks) the pieces that begin where a
    part would: "… society. 31. In building …", "…; b) Resolution 130 …", "…, recalling a) …"."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        end = pos + len(line.rstrip("\r\n"))
        if end - pos > LONG_LINE:
            found = list(_INLINE_START.finditer(text, pos, end))
            cuts = sorted({pos, end, *(m.start("at") for m in found), *(m.start("item") for m in found if m["item"])})
            out.extend((a, b) for a, b in itertools.pairwise(cuts) if b > a)
        else:
            out.append((pos, end))
        pos += len(line)
    return out


def _repeated(text: str, lines: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Lines of a running header or footer: short, the same down the text, page numbers aside."""
    key = {span: re.sub(r"\d+", "#", text[span[0] : span[1]].strip()) for span in lines}
    counts = Counter(k for k in key.values() if k and len(k) <= 60)
    return {span for span, k in key.items()
            if counts.get(k, 0) >= (2 if _SYMBOL_LINE.fullmatch(k) else REPEATED)
            and not _BLOCK.match(text[span[0] : span[1]]) and not _NUMBERED.fullmatch(text[span[0] : span[1]])}


def _words(text: str, lines: list[tuple[int, int]], start: int, end: int, repeated: set[tuple[int, int]]) -> str:
    """The words from ``start`` to ``end``, read by the lines the outline was made of."""
    first = bisect.bisect_right(lines, (start, len(text))) - 1
    kept = [text[max(a, start) : min(b, end)] for a, b in lines[max(first, 0) :] if a < end and b > start and (a, b) not in repeated]
    # the next part's bullet, where a copy puts one before each item, is not this part's
    return " ".join(_HYPHENATED.sub("", "\n".join(kept)).split()).rstrip(" •*–")


def _is_un_body(text: str, body: tuple[int, int]) -> bool:
    """A UN resolution's body ("The General Assembly,", "The Economic and Social Council,"): its preamble follows."""
    return bool(re.match(r"The (?:General Assembly|Economic and Social Council|Human Rights Council|Security Council)", text[body[0] : body[1]]))
