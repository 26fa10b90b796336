"""Stage 1, clean: repair the noise of real documents, keeping a map back to the original offsets.

What it repairs: runs of white space (line breaks, no-break and thin spaces) become one
space, or one line break where they hold a blank line; words hyphenated across a line break are joined; hyphen and quote look-alikes
become ASCII; words glued to a number or to a known word are separated ("Resolution102",
"WTSAResolution"); a capitalised word one typing error away from a known word is
corrected ("Resolutlon", "Tunls"). Known words come from the caller (the graph's names
and the extractor's grammar), so the cleaner learns the vocabulary of the data.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_DASH = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
           "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"'}
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"

_ODD_WS = r"[\t\n\r\f\v\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000" + _INVISIBLE + r"]"
_WS = r"[ \t\n\r\f\v\x1c-\x1f\x85\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000" + _INVISIBLE + r"]"
_NOISE = re.compile(
    r"(?P<hyphenated>(?<=[a-z])[-\u00ad\u2010\u2011]\s*\n\s*(?=[a-z]))"
    # A lone ASCII space needs no repair; matching it would cost a stretch per word.
    r"|(?P<space> " + _WS + r"+|" + _ODD_WS + _WS + r"*)"
    r"|(?P<dash>[" + _DASH + r"])"
    r"|(?P<quote>[" + "".join(_QUOTES) + r"])"
    r"|(?P<digitglue>(?<=[a-z]{3})(?=\d))"
    r"|(?P<word>(?<![A-Za-z])[A-Z][A-Za-z]{3,}(?![A-Za-z]))"
)
_CAPS_GLUE = re.compile(r"^([A-Z]{2,})([A-Z][a-z]{3,})$")


@dataclass(frozen=True)
class CleanText:
    """Cleaned text and, for each stretch of it, where it came from in the original."""

    text: str
    original: str
    _clean_at: list[int] = field(repr=False)  # starts of stretches in the clean text
    _orig_at: list[int] = field(repr=False)  # and the matching original offsets
    _copied: list[bool] = field(repr=False)  # stretch copied verbatim (offsets shift 1:1) or replaced
    corrected: tuple[int, ...] = ()  # clean offsets of words the cleaner corrected, ascending

    def to_original(self, pos: int, *, end: bool = False) -> int:
        """The original offset of clean offset ``pos`` (an end offset maps to the end of its stretch)."""
        i = bisect.bisect_right(self._clean_at, pos - (1 if end else 0)) - 1
        if i < 0:
            return pos
        if self._copied[i]:
            return self._orig_at[i] + (pos - self._clean_at[i])
        return self._orig_at[i + 1] if end and i + 1 < len(self._orig_at) else self._orig_at[i]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.to_original(start), self.to_original(end, end=True)

    def has_correction(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.corrected, start)
        return i < len(self.corrected) and self.corrected[i] < end


class Speller:
    """Corrects a word one edit away from exactly one known word (a symmetric-delete index)."""

    def __init__(self, words: Iterable[str]) -> None:
        self.known = {w.casefold() for w in words if len(w) >= 4}
        self._deletes: dict[str, set[str]] = {}
        for w in self.known:
            for d in _deletes(w):
                self._deletes.setdefault(d, set()).add(w)

    def correct(self, word: str) -> str | None:
        low = word.casefold()
        if low in self.known or len(low) < 5 or low.rstrip("s") in self.known or low + "s" in self.known:
            return None  # a known word or its plural: nothing to correct
        found = set(self._deletes.get(low, ()))
        for d in _deletes(low):
            found |= self._deletes.get(d, set())
            if d in self.known:
                found.add(d)
        found = {w for w in found if _within_one(low, w)}
        if len(found) != 1:
            return None
        fix = found.pop()
        if word.isupper():
            return fix.upper()
        return fix[:1].upper() + fix[1:]

    def glued_head(self, word: str) -> int:
        """Length of an acronym glued to a known word ("WTSAResolution" → 4), else 0."""
        m = _CAPS_GLUE.match(word)
        return len(m[1]) if m and m[2].casefold() in self.known else 0


_BLANK_AFTER = re.compile(r"\n[ \t]*\n")
DOUBLE_SPACED_LINES = 10  # a text this many lines long, at least, before its spacing says anything


def _double_spaced(text: str) -> bool:
    breaks = text.count("\n")
    return breaks >= 2 * DOUBLE_SPACED_LINES and 2 * len(_BLANK_AFTER.findall(text)) >= 0.8 * breaks


def clean(text: str, speller: Speller | None = None) -> CleanText:
    out: list[str] = []
    clean_at: list[int] = []
    orig_at: list[int] = []
    copied: list[bool] = []
    corrected: list[int] = []
    pos = 0  # in original
    length = 0  # of the clean text so far
    # A copy with a blank line after nearly every line (double-spaced, as many web copies of PDFs
    # are) says nothing by its blank lines: there only two or more of them end a paragraph.
    paragraph_break = 3 if _double_spaced(text) else 2

    def emit(piece: str, orig: int, verbatim: bool) -> None:
        nonlocal length
        if not piece and verbatim:
            return
        clean_at.append(length)
        orig_at.append(orig)
        copied.append(verbatim)
        out.append(piece)
        length += len(piece)

    for m in _NOISE.finditer(text):
        kind = m.lastgroup
        if kind == "word":
            if speller is None:
                continue
            word = m.group()
            head = speller.glued_head(word)
            if head:
                cut = m.start() + head
                emit(text[pos:cut], pos, True)
                emit(" ", cut, False)
                pos = cut
                continue
            fix = speller.correct(word)
            if fix is None:
                continue
            emit(text[pos : m.start()], pos, True)
            corrected.append(length)
            emit(fix, m.start(), False)
            pos = m.end()
            continue
        emit(text[pos : m.start()], pos, True)
        if kind == "hyphenated":
            replacement = ""
        elif kind == "space":
            run = m.group()
            # A blank line ends a paragraph, heading or list item: keep it, so no reference spans two.
            replacement = "" if all(c in _INVISIBLE for c in run) else "\n" if run.count("\n") >= paragraph_break else " "
        elif kind == "dash":
            replacement = "-"
        elif kind == "quote":
            replacement = _QUOTES[m.group()]
        else:  # digitglue: zero-width
            replacement = " "
        # Even an empty replacement is a stretch of its own, so offsets after it shift correctly.
        emit(replacement, m.start(), False)
        pos = m.end()
    emit(text[pos:], pos, True)
    clean_at.append(length)
    orig_at.append(len(text))
    copied.append(True)
    return CleanText("".join(out), text, clean_at, orig_at, copied, tuple(corrected))


def _deletes(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


def _within_one(a: str, b: str) -> bool:
    """Damerau-Levenshtein distance of at most one."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]
