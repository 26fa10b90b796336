"""Stage 2, find: spot references in cleaned text, with their pinpoint and governing verb.

Four forms are found: numbered ("WTSA Resolution 75 (Johannesburg, 2008)", "resolution
68/302 of 31 July 2014", "Draft Opinion 6 of the WTPF-13"), document symbols
("A/RES/70/125"), names from the graph ("the Tunis Agenda"), and instruments known by
the form of their kind, held by the graph or not ("Recommendation ITU-T E.164", "the ITU
Constitution", "the Budapest Convention", "the zero draft of 1 October 2025"). A pinpoint
before ("paragraphs 69-71 of", "Article 33 of", "action line C10 of") or after (",
paragraph 5") is attached, one reference per pinpoint. The grammar words (resolution,
paragraph …) are English and live here; every name, body, meeting and verb form comes from the
catalog, that is from the graph.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from .catalog import _NUMBER_IN_NAME, Catalog, tokens
from .clean import CleanText

# "57/270 B" and "57/270B"; up to four digits after the slash so that a footnote mark glued to the
# number ("60/2525,") is still seen — the resolver strips it.
_ITEM = r"\d{1,4}(?:/\d{1,4})?(?: ?[A-H](?![A-Za-z0-9/]))?"
_REV = r"(?: ?\((?:R ?ev\.? ?)?[A-Z][^()]{0,40}?,? ?(?:19|20)\d\d\))?"
_DATE = r"(?:\sof\s\d{1,2}\s[A-Z][a-z]+\s(?:19|20)\d\d\d{0,2})?"  # "20187": 2018 and footnote 7
_NUMBERED = re.compile(
    # No optional prefix before the kind word: the engine can then skip ahead to it ("Draft" is looked at after).
    # (?<![A-Za-z]), not \b: a footnote mark may be glued before the word ("issue,1Resolutions 56/183").
    r"(?<![A-Za-z])(?P<kind>resolution|res\.|res|opinion|decision)s?(?: |\n(?=\d{1,4}/\d))?"
    rf"(?P<items>{_ITEM}{_REV}{_DATE}(?:(?:,\sand\s|,\s|\sand\s|\s&\s|,(?=\d{{1,4}}/\d)){_ITEM}{_REV}{_DATE})*)(?![\d/])",
    re.IGNORECASE,
)
_GLUED_PART = re.compile(r"(\d)([A-H])$")
_CONTINUED = re.compile(
    r"(?:,\d{0,2}\s(?:and\s)?|\sand\s)(?P<num>\d{1,4}/\d{1,4})\sof\s\d{1,2}\s[A-Z][a-z]+\s(?P<dyear>(?:19|20)\d\d)\d{0,2}(?![\d/])"
)
# After a block's heading verb ("recalling", "considering further", "resolves"), its first item: "a)",
# "(a)", "1", "•", or a line break where cleaning kept one.
_ITEM_NEXT = r"(?: (?:further|also|furthermore))?[ \t]*(?:\n|[•*–-]|\(?[a-z]\)|\(?[ivx]+\)|\d{1,2}\.?(?=\s))"
BLOCK_REACH = 3000  # characters: how far back an item's block heading may be
_SENTENCE_END = re.compile(r";|\.(?=\s+[A-Z]|\s*$)|\n")  # not ":": subjects have colons ("the child: …")
# "(Modified 2019)", "(Rev. 2015)", "(Mod. 2008)": the year a Council text was changed, no place.
_CHANGED = re.compile(r"^(?:Rev|Modified|Mod|Amended|Revised)\.?$", re.IGNORECASE)
_ITEM_PARTS = re.compile(
    rf"(?P<num>{_ITEM})(?: ?\((?:(?P<rev>R ?ev)\.? ?)?(?P<place>[A-Z][^()]{{0,40}}?),? ?(?P<year>(?:19|20)\d\d)\))?"
    r"(?:\sof\s\d{1,2}\s[A-Z][a-z]+\s(?P<dyear>(?:19|20)\d\d)\d{0,2})?",
    re.IGNORECASE,
)
_SYMBOL = re.compile(r"\b(?P<organ>[AE])/(?:(?P<res>RES)/)?(?P<num>\d{1,4}/\d{1,3}(?: [A-H](?![A-Za-z0-9]))?)(?![\d/])")
_PIN_ITEM = r"\d{1,3}(?: ?\([a-z]\)| ?[a-z]\)|[a-z](?![A-Za-z]))?"
_PIN_LIST = rf"(?P<list>{_PIN_ITEM} ?(?:-|to) ?{_PIN_ITEM}|{_PIN_ITEM}(?:(?:, and | and |, | & ){_PIN_ITEM})*)"
_PIN_WORD = r"(?:(?:operative |preambular )?(?:paragraphs?|paras?\.?|§§?|¶¶?) ?)"
_PIN_BEFORE = re.compile(rf"(?P<pin>{_PIN_WORD}{_PIN_LIST})['\"]? ?(?:of|in) (?:the |its |their )?$", re.IGNORECASE)
_PIN_AFTER = re.compile(rf"^,? ?(?:in )?\(?(?P<pin>{_PIN_WORD}{_PIN_LIST})\)?", re.IGNORECASE)
_TITLE_AFTER = re.compile(
    # after a space or a bracket, not "70/1's"
    r"(?:\sof\s\d{1,2}\s[A-Z][a-z]+\s(?:19|20)\d\d)?(?:,?\s(?:entitled\s|titled\s)?|\)\s?)[\"'‘“](?P<title>[^\"'’”]{3,300})[\"'’”]"
)
_SUPPLEMENT = re.compile(r"Supplement No\. ?\d+[A-Z]? ?\($")
_OF_NEXT = re.compile(r"['\"]? ?(?:of|in) ", re.IGNORECASE)
_PIN_ITS = re.compile(
    rf"\b(?:its|their|in particular|particularly|especially|notably|including) (?:its |their )?(?P<pin>{_PIN_WORD}{_PIN_LIST})",
    re.IGNORECASE
)
_PIN_SPLIT = re.compile(r"(?P<n>\d{1,3})(?: ?\((?P<l>[a-z])\)| ?(?P<l2>[a-z])\)|(?P<l3>[a-z])(?![a-z]))?")
# Instruments the graph may not hold, by the forms of their kind: ITU-T/ITU-R/ITU-D Recommendations,
# the ITU's basic texts, conventions named by subject or city, drafts named by their date. Found
# here so that a reader sees what is cited even where the graph cannot link it.
_OTHER = re.compile(
    r"(?P<rec>(?:Recommendation )?ITU-(?P<sector>[TRD])(?: Recommendation)? (?P<code>[A-Z]{1,2}\.\d{1,4}(?:\.\d{1,3})*))"
    r"|(?P<itu>(?:ITU (?P<kind1>Constitution|Convention))|(?P<kind2>Constitution|Convention) of the International Telecommunication Union)"
    r"|(?P<itr>International Telecommunication Regulations)"
    r"|(?P<conv>(?:(?!(?:The|This|That|Such|Said|Each|Any|Its|Their|A|An|Our|Every) )[A-Z][a-z]+ Convention"
    r"(?! of the International Telecommunication)"
    r"|Convention (?:on|for|against) (?:the )?[A-Z][\w-]*(?: (?:of the|of|and|on|with|against|for|in|to|[A-Z][\w-]*))*))"
    r"|(?P<draft>(?:zero|first|second|third|revised|final) draft(?: of the [A-Z][\w ]{1,60}?)? (?:of|dated) \d{1,2} [A-Z][a-z]+ (?:19|20)\d\d)"
)
_OTHER_KEY = re.compile(r"ITU-[TRD]|Constitution|Convention|Telecommunication Regulations|draft")
OTHER_BEFORE, OTHER_AFTER = 40, 160  # characters around a key word that its form may take
_OTHER_TRAILING = re.compile(r"(?: (?:of the|of|and|on|with|against|for|in|to))+$")
# Parts other than paragraphs, before the name: "Annex II of", "Article 33 of", "No. 196 of", "action line C10 of".
_PART_BEFORE = re.compile(
    r"(?<![A-Za-z])(?P<word>annex(?:es)?|articles?|arts?\.?|nos?\.|(?:wsis )?action lines?) ?"
    # an action line may carry its title: "C2 (Information and communication infrastructure) and C5 (…)"
    r"(?P<list>(?:[IVX]{1,5}|C\d{1,2}(?: \([^()]{1,80}\))?|\d{1,3}[A-Z]?)"
    r"(?:(?:, and | and |, )(?:[IVX]{1,5}|C\d{1,2}(?: \([^()]{1,80}\))?|\d{1,3}[A-Z]?))*)"
    r"(?:,? (?:item|paragraph|para\.?) [\w ()]{1,8}?)?['\"]? ?(?:of|in) (?:the |its )?$",
    re.IGNORECASE,
)
_ANNEX_AFTER = re.compile(r",? (?:and its )?annex(?: (?P<n>[IVX]{1,5}|\d{1,2}))?\b", re.IGNORECASE)
_PART_WORD = re.compile(r"annex|arti|art\.|nos?\.|action line", re.IGNORECASE)  # cheap: most windows have none
ACTION_LINES_REACH = 250  # characters before a name that "action lines C2 (…) and C5 (…) of" may take
_PART_SPLIT = re.compile(r"\([^()]*\)|(?P<part>[IVX]{1,5}|C\d{1,2}|\d{1,3}[A-Z]?)")
# Words that may name the adopting body or meeting after "of the": capitalised words, a year,
# an ordinal ("the fifth World ... Forum"), or "this conference".
_HINT_WORD = (
    r"(?:this|conference|assembly|forum|council|summit|session|meeting"
    r"|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|(?:19|20)\d\d|[A-Z(][\w/+().-]*)"
)
_HINT_AFTER = re.compile(rf"^['\"]? ?(?:of|adopted by|by|from) (?:the )?(?P<hint>(?:{_HINT_WORD} ?){{1,8}})")
_HINT_BEFORE = re.compile(r"(?:(?:[A-Z][\w/+-]*|(?:19|20)\d\d) ){1,4}$")  # "Plenipotentiary Conference 2010 Resolution 140"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_YEAR_AFTER = re.compile(r"^ ?\((?P<year>(?:19|20)\d\d)\)")
# A full stop followed by a lower-case word ("annex. and endorsed") is a footnote or an
# abbreviation, not the end of a sentence.
_BOUNDARY = re.compile(r"[;:!?](?=[ \n]|$)|\.(?= +[^a-z ]|\n|$)|\n")
_ABBREV = re.compile(r"(?:\b(?:rev|para|paras|res|no|nos|art|e\.g|i\.e|cf|vol|op|mr|ms|dr)|\b[A-Za-z])$", re.IGNORECASE)


@dataclass(frozen=True)
class Pinpoint:
    number: str
    letter: str | None = None
    end: str | None = None
    part: str = "para"  # or "annex", "art", "No.", "Action Line": parts the graph does not divide into nodes

    def __str__(self) -> str:
        if self.part != "para":
            return f"{self.part} {self.number}".strip()  # "Annex" alone: a resolution's only annex
        if self.end:
            return f"paras {self.number}-{self.end}"
        return f"para {self.number}" + (f"({self.letter})" if self.letter else "")


@dataclass(frozen=True)
class Found:
    """A reference as written: clean-text span and the parts the text gives."""

    start: int
    end: int
    form: str  # "numbered", "symbol", "named", or "other" (by its kind's form: "Recommendation ITU-T E.164")
    kind: str | None = None  # resolution, opinion, decision
    number: str | None = None
    organ: str | None = None  # A or E, for symbols
    hint: str = ""  # words naming the body or meeting, before or after
    this_meeting: bool = False  # "of this conference": the document's own meeting decides
    place: str | None = None
    year: str | None = None  # revision or meeting year the text states
    date_year: str | None = None  # year of an adoption date the text states
    revised: bool = False
    draft: bool = False
    name: str | None = None  # for named references: the name as in the graph
    pinpoint: Pinpoint | None = None
    verb: str | None = None  # relation label, e.g. "recalls"
    bare_symbol: bool = False  # "A/70/125" written without RES


class _Spans:
    """Sorted spans answering "is this position (or range) inside one of them" in log time."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach: list[int] = []  # furthest end among spans starting at or before each start
        furthest = -1
        for _, b in spans:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.reach[i] > start

    def covers(self, pos: int) -> bool:
        return self.overlaps(pos, pos + 1)


def find(ct: CleanText, catalog: Catalog) -> list[Found]:
    text = ct.text
    context_words = frozenset().union(*(e.context for e in catalog.entries)) if catalog.entries else frozenset()
    found: list[Found] = list(_numbered(text, context_words))
    taken = _Spans([(f.start, f.end) for f in found])
    for m in _SYMBOL.finditer(text):
        # "Official Records of the General Assembly, …, Supplement No. 53 (A/70/53)": where a text was
        # published, not an instrument it cites.
        if not taken.overlaps(m.start(), m.end()) and not _SUPPLEMENT.search(text, max(0, m.start() - 30), m.start()):
            found.append(Found(m.start(), m.end(), "symbol", "resolution", m["num"].upper(), organ=m["organ"],
                               bare_symbol=not m["res"]))
    # A title quoted after a reference ("resolution 70/1 of 25 September 2015, entitled “Transforming our world:
    # the 2030 Agenda …”") is that reference's title: the names in it are not references of their own.
    titles = [t.span("title") for f in found if (t := _TITLE_AFTER.match(text, f.end))]
    taken = _Spans([(f.start, f.end) for f in found] + titles)
    found.extend(_named(text, m) for m in _named_pattern(catalog).finditer(text) if not taken.overlaps(m.start(), m.end()))
    taken = _Spans([(f.start, f.end) for f in found])
    found.extend(f for f in map(_other, _others(text)) if not taken.overlaps(f.start, f.end))
    found.sort(key=lambda f: f.start)
    out: list[Found] = []
    for f in found:
        out.extend(_with_pinpoints(text, f))
    out = sorted(out + _anaphoric(text, out), key=lambda f: f.start)
    spans = _Spans([(f.start, f.end) for f in out])
    blocks = _Blocks(text, spans, catalog)
    return [replace(f, verb=_verb(text, f.start, spans, catalog, blocks)) for f in out]


class _Blocks:
    """Block headings ("recalling a) …") for references whose sentence has no verb: each takes its
    block's. Looked for in pieces of the text, each once and only when a reference asks."""

    PIECE = 4096  # characters
    OVERLAP = 80  # a heading and the item after it, read across a piece's end

    def __init__(self, text: str, spans: _Spans, catalog: Catalog) -> None:
        self.text, self.spans, self.catalog = text, spans, catalog
        self.pieces: dict[int, list[re.Match[str]]] = {}

    def _piece(self, k: int) -> list[re.Match[str]]:
        found = self.pieces.get(k)
        if found is None:
            lo, hi = k * self.PIECE, (k + 1) * self.PIECE
            found = self.pieces[k] = [m for m in _heading_pattern(self.catalog).finditer(self.text, lo, hi + self.OVERLAP)
                                      if m.start() < hi and not self.spans.covers(m.start())]
        return found

    def before(self, pos: int, earliest: int) -> re.Match[str] | None:
        """The last heading that starts before ``pos`` and not before ``earliest``."""
        for k in range(pos // self.PIECE, max(earliest, 0) // self.PIECE - 1, -1):
            for m in reversed(self._piece(k)):
                if m.start() < pos:
                    return m if m.start() >= earliest else None
        return None


def _numbered(text: str, context_words: frozenset[str]) -> list[Found]:
    out = []
    matches = list(_NUMBERED.finditer(text))
    for at, m in enumerate(matches):
        items = list(_ITEM_PARTS.finditer(m["items"]))
        if not items:
            continue
        start, end = m.start(), m.end()
        draft = text[max(0, start - 6) : start].casefold() == "draft "
        if draft:
            start -= 6
        kind = m["kind"].casefold().rstrip(".")
        kind = "resolution" if kind == "res" else kind
        before = _HINT_BEFORE.search(text, max(0, start - 80), start)
        pre = ""
        if before:
            words = before.group().split()
            keep: list[str] = []
            for w in reversed(words):
                if tokens(w) and tokens(w) <= context_words:
                    keep.insert(0, w)
                else:
                    break
            if keep:
                pre = " ".join(keep)
                start = before.end() - len(pre) - 1
        post, this_meeting, hint_year = "", False, None
        after = _HINT_AFTER.match(text[end : end + 120])
        if after:
            hint = after["hint"].rstrip(" ().")
            hint_words = tokens(hint)
            this_meeting = hint.casefold().startswith("this ")
            years = _YEAR.findall(hint)
            if this_meeting or years or hint_words & context_words:
                post = hint
                hint_year = years[0] if years else None
                end = end + after.start("hint") + len(hint)
                # Close what the hint opened: "Forum ((WTPF-13)" takes its closing parenthesis.
                unclosed = hint.count("(") - hint.count(")")
                while unclosed > 0 and text[end : end + 1] == ")":
                    end, unclosed = end + 1, unclosed - 1
        base = m.start("items")
        revisions = [_revision(item) for item in items]
        for i in range(len(items) - 2, -1, -1):
            # "Resolutions 44 and 54 (Rev. Johannesburg, 2008)": the revision is of both.
            if revisions[i] == (None, None, False) and not items[i]["dyear"] and revisions[i + 1][0]:
                revisions[i] = revisions[i + 1]
        hint = " ".join(x for x in (pre, post) if x)
        for i, item in enumerate(items):
            place, year, revised = revisions[i]
            out.append(Found(
                start=start if i == 0 else base + item.start(),
                end=end if i == len(items) - 1 else base + item.end(),
                form="numbered", kind=kind, number=_GLUED_PART.sub(r"\1 \2", item["num"].upper()),
                hint=hint, this_meeting=this_meeting,
                place=place, year=year or hint_year, date_year=item["dyear"], revised=revised, draft=draft,
            ))
        if items[-1]["dyear"] and "/" in items[-1]["num"]:
            # "resolutions 12/16 of 2 October 2009 on freedom of expression, 28/16 of 26 March 2015 and 34/7 of
            # 23 March 2017 on privacy": dated items go on after each one's subject, to the end of the sentence.
            stop = min(matches[at + 1].start() if at + 1 < len(matches) else len(text), _sentence_end(text, end))
            for c in _CONTINUED.finditer(text, end, stop):
                out.append(Found(c.start("num"), c.end(), "numbered", kind=kind, number=c["num"], hint=hint,
                                 date_year=c["dyear"]))
    return out


def _sentence_end(text: str, pos: int) -> int:
    end = _SENTENCE_END.search(text, pos)
    return end.start() if end else len(text)


def _revision(item: re.Match[str]) -> tuple[str | None, str | None, bool]:
    """(place, year, revised) of one listed item; a year of change ("Modified 2019") is neither."""
    place = item["place"].strip(" ,") if item["place"] else None
    if place is not None and (not place or _CHANGED.match(place)):
        return None, None, False
    return place, item["year"], bool(item["rev"])


def _named(text: str, m: re.Match[str]) -> Found:
    end = m.end()
    year = None
    y = _YEAR_AFTER.match(text[end : end + 8])
    if y:
        year, end = y["year"], end + y.end()
    start = m.start()
    if text[max(0, start - 4) : start].casefold() == "the ":
        start -= 4
    return Found(start, end, "named", name=m.group(), year=year)


def _others(text: str) -> list[re.Match[str]]:
    """_OTHER's matches, tried only near the words its forms turn on: the whole text is long, those words are rare."""
    out: list[re.Match[str]] = []
    for key in _OTHER_KEY.finditer(text):
        lo = max(key.start() - OTHER_BEFORE, out[-1].end() if out else 0)
        for m in _OTHER.finditer(text, lo, min(len(text), key.end() + OTHER_AFTER)):
            if m.start() <= key.start() < m.end() and (not out or m.start() >= out[-1].end()):
                out.append(m)
                break
    return out


def _other(m: re.Match[str]) -> Found:
    """An instrument found by the form of its kind, with its name in a canonical spelling."""
    end = m.end()
    if m["rec"]:
        name = f"Recommendation ITU-{m['sector']} {m['code']}"
    elif m["itu"]:
        name = f"ITU {m['kind1'] or m['kind2']}"
    elif m["conv"]:  # without the linking words the pattern took at its end
        name = _OTHER_TRAILING.sub("", m["conv"])
        end = m.start() + len(name)
    else:
        name = m.group()
    return Found(m.start(), end, "other", name=name)


def _with_pinpoints(text: str, f: Found) -> list[Found]:
    before = _PIN_BEFORE.search(text, max(0, f.start - 80), f.start)
    if before:
        return [replace(f, start=before.start(), pinpoint=p) for p in _pinpoints(before["list"])]
    # Action lines may carry their titles, so look further back where one is named.
    lo = max(0, f.start - (ACTION_LINES_REACH if "ction line" in text[max(0, f.start - ACTION_LINES_REACH) : f.start] else 80))
    part = _PART_BEFORE.search(text, lo, f.start) if _PART_WORD.search(text, lo, f.start) else None
    if part:
        word = part["word"].casefold()
        kind = ("Annex" if word.startswith("annex") else "No." if word.startswith("no")
                else "Action Line" if "action" in word else "art")
        return [replace(f, start=part.start(), pinpoint=Pinpoint(n.upper() if kind != "art" else n, part=kind))
                for n in (m["part"] for m in _PART_SPLIT.finditer(part["list"])) if n]
    annex = _ANNEX_AFTER.match(text, f.end)
    if annex:
        return [replace(f, end=annex.end(), pinpoint=Pinpoint((annex["n"] or "").upper(), part="Annex"))]
    after = _PIN_AFTER.match(text[f.end : f.end + 60])
    # "…, §§ 35 b) and 61 of the Geneva Declaration": a pinpoint followed by "of" is the next reference's.
    if after and f.form != "numbered" and not _OF_NEXT.match(text, f.end + after.end()):
        return [replace(f, end=f.end + after.end(), pinpoint=p) for p in _pinpoints(after["list"])]
    return [f]


def _anaphoric(text: str, refs: list[Found]) -> list[Found]:
    """ "the Tunis Agenda, in particular its paragraph 72", "…, in particular paragraphs 35-37": a pinpoint
    into the reference just before."""
    out: list[Found] = []
    starts = [r.start for r in refs]
    taken = _Spans([(r.start, r.end) for r in refs])
    for m in _PIN_ITS.finditer(text):
        # "in particular paragraphs 69-71 of the Tunis Agenda", "paragraph 5 of the present resolution": another's.
        if taken.overlaps(m.start("pin"), m.end()) or _OF_NEXT.match(text, m.end()):
            continue
        i = bisect.bisect_left(starts, m.start()) - 1
        while i >= 0 and (refs[i].end > m.start() or refs[i].pinpoint is not None) and m.start() - refs[i].start < 400:
            i -= 1
        if i < 0 or refs[i].end > m.start() or refs[i].pinpoint is not None or m.start() - refs[i].end >= 200:
            continue
        prev = refs[i]
        if _BOUNDARY.search(text, prev.end, m.start()):
            continue
        for p in _pinpoints(m["list"]):
            out.append(replace(prev, start=m.start("pin"), end=m.end(), pinpoint=p, hint=prev.hint))
    return out


def _pinpoints(listed: str) -> list[Pinpoint]:
    parts = list(_PIN_SPLIT.finditer(listed))
    if len(parts) == 2 and re.search(r"\d ?(?:-|to) ?\d", listed):
        return [Pinpoint(parts[0]["n"], end=parts[1]["n"])]
    return [Pinpoint(p["n"], p["l"] or p["l2"] or p["l3"]) for p in parts]


def _verb(text: str, start: int, spans: _Spans, catalog: Catalog, blocks: _Blocks) -> str | None:
    lo = max(0, start - 600)
    window_start = lo
    # Search a little past the reference's start: the boundary test looks at the next word.
    for b in _BOUNDARY.finditer(text, lo, min(len(text), start + 2)):
        pos = b.start()
        if pos >= start or spans.covers(pos) or _ABBREV.search(text, max(0, pos - 5), pos):
            continue
        window_start = b.end()
    pattern = _verb_pattern(catalog)
    last = None
    for m in pattern.finditer(text, window_start, start):
        # "endorsed by the General Assembly", "adopted by": a passive describing the text, not governing it.
        if not spans.covers(m.start()) and text[m.end() : m.end() + 4] != " by ":
            last = m
    if last is None:
        # An ITU block: "recalling a) Resolution 71 …; b) …": the block's heading governs each of its items.
        last = blocks.before(window_start, start - BLOCK_REACH)
    return catalog.verbs[last.group().casefold()] if last else None


def _verb_pattern(catalog: Catalog) -> re.Pattern[str]:
    return _compiled(catalog)[1]


def _named_pattern(catalog: Catalog) -> re.Pattern[str]:
    return _compiled(catalog)[0]


def _heading_pattern(catalog: Catalog) -> re.Pattern[str]:
    return _compiled(catalog)[2]


def _compiled(catalog: Catalog) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    cached = catalog.derived.get("patterns")
    if cached is None:
        names = [n for n in catalog.names if _is_plain_name(n)]
        loose = [n for n in names if len(n.split()) >= 3]
        strict = [n for n in names if len(n.split()) < 3]
        strict += [n.upper() for n in strict]
        named = rf"(?<![\w/])(?:(?i:{_trie_regex(loose)})|{_trie_regex(strict)})(?![\w/])" if names else r"(?!x)x"
        verbs = r"\b(?:" + _trie_regex(sorted(catalog.verbs)) + r")\b"
        headings = verbs + f"(?={_ITEM_NEXT})"  # a verb form followed by its block's first item
        cached = catalog.derived["patterns"] = (re.compile(named), re.compile(verbs, re.IGNORECASE),
                                                re.compile(headings, re.IGNORECASE))
    return cached


def _is_plain_name(name: str) -> bool:
    """Names the numbered and symbol grammar does not already cover."""
    return len(name) >= 3 and not _NUMBER_IN_NAME.search(name) and not _SYMBOL.search(name)


def _trie_regex(words: list[str]) -> str:
    """One regex for many literal phrases, factored by common prefix so matching stays linear."""
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(" " if ch in " -" else ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = []
        end = "" in node
        for ch in sorted(k for k in node if k):
            alts.append(("[ -]" if ch == " " else re.escape(ch)) + emit(node[ch]))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return emit(trie) or r"(?!x)x"
