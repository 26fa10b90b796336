"""Stage 3, resolve: match each found reference to a node of the graph, or say it is unknown.

Numbered references are matched on number and kind, then narrowed by what the text
states: the revision's year and place, the body or meeting named beside it, the
document's own meeting ("of this conference"). With no revision named and several
revisions in one series, the reference is to the series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rdflib import Literal, URIRef

from ..vocab import IGKG, RDF
from .catalog import Catalog, Entry, tokens
from .clean import CleanText
from .find import Found


@dataclass(frozen=True)
class Context:
    """What the document itself is, for "this conference": words naming its meeting or body, its year."""

    words: frozenset[str] = frozenset()
    year: str | None = None


@dataclass(frozen=True)
class Resolved:
    found: Found
    target: URIRef | None  # the most specific node: sub-paragraph, paragraph, range, instrument or series
    entry: Entry | None
    confidence: float
    normalized: str  # the reference in a canonical spelling, for unresolved ones above all
    note: str | None = None  # what a reader should know: a pinpoint the graph cannot place


def resolve(found: list[Found], catalog: Catalog, context: Context | None = None) -> list[Resolved]:
    ctx = context or Context()
    folded = {n.casefold(): iris for n, iris in catalog.names.items()}
    # A long text repeats its references: resolve each distinct one once.
    memo: dict[Found, Resolved] = {}
    out = []
    for f in found:
        key = replace(f, start=0, end=0, verb=None)
        if key not in memo:
            memo[key] = _one(key, catalog, folded, ctx)
        r = memo[key]
        out.append(replace(r, found=f))
    return out


def _one(f: Found, catalog: Catalog, folded: dict[str, set[URIRef]], ctx: Context) -> Resolved:
    if f.form in ("named", "other"):
        entry, conf = _named(f, catalog, folded)
    elif f.form == "symbol":
        entry, conf = _symbol(f, catalog, folded)
    else:
        entry, conf = _numbered(f, catalog, ctx)
    normalized = _normalized(f)
    if entry is None:
        return Resolved(f, None, None, 0.6, normalized)
    target: URIRef | None = entry.iri
    note = None
    if f.pinpoint is not None and f.pinpoint.part == "para" and not entry.is_series:
        node = _pinpointed(catalog, entry.iri, f)
        count = _paragraph_count(catalog, entry.iri)
        last = count if count is not None else _last_paragraph(catalog, entry.iri)
        if node is not None:
            target = node
            if f.pinpoint.letter is not None and (node, IGKG.partOf, entry.iri) in catalog.graph:  # the paragraph, not its part
                conf -= 0.05
                note = f"{f.pinpoint} of {entry.label} is not in the graph; linked to its paragraph {f.pinpoint.number}"
        elif count is not None and int(f.pinpoint.number) > count:
            # Past the text's last paragraph: no such paragraph, and not widened to the whole text.
            target, conf = None, 0.3
            note = f"{entry.label} has {count} paragraphs: there is no paragraph {f.pinpoint.number}"
        elif last is not None and int(f.pinpoint.number) > last:
            # Past the paragraphs the graph holds of it, all of them from 1, with no count to say whether the text goes on.
            conf = min(conf, 0.5)
            note = (f"{entry.label} has no paragraph {f.pinpoint.number} in the graph, whose paragraphs of it end at {last}; "
                    "it may not exist; linked to the whole text")
        else:
            conf -= 0.05
            note = f"{f.pinpoint} of {entry.label} is not in the graph; linked to the whole text"
    return Resolved(f, target, entry if target is not None else None, round(max(conf, 0.05), 2), normalized, note)


def _paragraph_count(catalog: Catalog, inst: URIRef) -> int | None:
    """The instrument's igkg:paragraphCount, when the data gives a whole number (validation flags others)."""
    value = catalog.graph.value(inst, IGKG.paragraphCount)
    number = value.toPython() if isinstance(value, Literal) else None
    return number if isinstance(number, int) and not isinstance(number, bool) and number > 0 else None


def _last_paragraph(catalog: Catalog, inst: URIRef) -> int | None:
    """The last paragraph the graph holds of an instrument when it holds every one from 1 to it;
    None when it holds none, or a gapped set (the Geneva Declaration's: a missing one says nothing)."""
    lasts = catalog.derived.get("last paragraph")
    if lasts is None:
        held: dict[URIRef, set[int]] = {}
        g = catalog.graph
        for para, parent in g.subject_objects(IGKG.partOf):
            number = str(g.value(para, IGKG.number) or "")
            if number.isdigit() and (para, RDF.type, IGKG.ParagraphRange) not in g and isinstance(parent, URIRef):
                held.setdefault(parent, set()).add(int(number))
        lasts = catalog.derived["last paragraph"] = {
            parent: max(numbers) for parent, numbers in held.items() if numbers == set(range(1, max(numbers) + 1))
        }
    return lasts.get(inst)


def _named(f: Found, catalog: Catalog, folded: dict[str, set[URIRef]]) -> tuple[Entry | None, float]:
    iris = catalog.names.get(f.name or "") or folded.get((f.name or "").casefold(), set())
    entries = [catalog.by_iri[i] for i in sorted(iris) if i in catalog.by_iri]
    if len(entries) > 1:
        entries = [e for e in entries if not e.is_series] or entries
    if len(entries) != 1:
        return None, 0.0
    e = entries[0]
    conf = 0.9 if len((f.name or "").split()) >= 3 else 0.85
    if f.year and e.year and f.year != e.year:
        conf -= 0.3
    return e, conf


def _symbol(f: Found, catalog: Catalog, folded: dict[str, set[URIRef]]) -> tuple[Entry | None, float]:
    exact = f"{f.organ}/RES/{f.number}"
    if f.bare_symbol:
        # "A/70/125" is how some texts write resolution 70/125; the plain document symbol may also be a name.
        plain = folded.get(f"{f.organ}/{f.number}".casefold())
        if plain:
            entries = [catalog.by_iri[i] for i in sorted(plain) if i in catalog.by_iri]
            if len(entries) == 1:
                return entries[0], 0.95
        iris = folded.get(exact.casefold(), set())
        entries = [catalog.by_iri[i] for i in sorted(iris) if i in catalog.by_iri]
        return (entries[0], 0.7) if len(entries) == 1 else (None, 0.0)
    iris = folded.get(exact.casefold(), set())
    entries = [catalog.by_iri[i] for i in sorted(iris) if i in catalog.by_iri]
    return (entries[0], 0.97) if len(entries) == 1 else (None, 0.0)


def _numbered(f: Found, catalog: Catalog, ctx: Context) -> tuple[Entry | None, float]:
    cands, conf_cut = _candidates(catalog, f)
    if not cands:
        return None, 0.0
    hint = tokens(f.hint)
    year = f.year
    if f.this_meeting:
        hint |= ctx.words
        year = year or ctx.year
    singles = [e for e in cands if not e.is_series]
    series = [e for e in cands if e.is_series]
    if year:
        singles = [e for e in singles if e.year == year]
    if f.place:
        place = tokens(f.place)
        singles = [e for e in singles if place <= e.context]
    singles = _best_by_hint(singles, hint)
    series = _best_by_hint(series, hint)
    conf = (0.95 if (year or f.place) else 0.9) - conf_cut
    if f.date_year and len(singles) > 1:
        dated = [e for e in singles if e.year == f.date_year]
        singles = dated or singles
    if len(singles) == 1:
        e = singles[0]
        if f.date_year and e.year and f.date_year != e.year:
            conf -= 0.2
        return e, conf
    if not singles or year:
        return None, 0.0
    in_series = {e.series for e in singles}
    if len(in_series) == 1 and None not in in_series:
        match = [s for s in series if s.iri in in_series]
        if match:
            return match[0], 0.7
    return None, 0.0


def _candidates(catalog: Catalog, f: Found) -> tuple[list[Entry], float]:
    """Instruments with the reference's number and kind; failing that, the number without a footnote
    mark glued to its end ("60/2525," for 60/252 and footnote 5), at a lower confidence."""
    number = f.number or ""
    for cut, penalty in ((0, 0.0), (1, 0.25), (2, 0.3)):
        if cut and ("/" not in number or len(number.split("/")[1]) - cut < 1 or " " in number):
            break
        key = number[: len(number) - cut] if cut else number
        # A UN instrument is known by the resolution that adopted it ("resolution 217 A (III)": the Declaration).
        cands = [e for e in catalog.by_number.get(key, [])
                 if not f.kind or f.kind in e.kinds or (f.kind == "resolution" and (e.symbol or "").startswith(("A/RES/", "E/RES/")))]
        if cands:
            return cands, penalty
    return [], 0.0


def _best_by_hint(entries: list[Entry], hint: frozenset[str]) -> list[Entry]:
    if not hint or len(entries) <= 1:
        return entries
    scored = [(len(hint & e.context), e) for e in entries]
    best = max(s for s, _ in scored)
    return [e for s, e in scored if s == best] if best > 0 else entries


def _pinpointed(catalog: Catalog, inst: URIRef, f: Found) -> URIRef | None:
    g = catalog.graph
    pin = f.pinpoint
    assert pin is not None

    def child(parent: URIRef, number: str) -> URIRef | None:
        for c in g.subjects(IGKG.partOf, parent):
            if isinstance(c, URIRef) and str(g.value(c, IGKG.number)) == number:
                return c
        return None

    if pin.end:
        for rng in g.subjects(RDF.type, IGKG.ParagraphRange):
            first, last = g.value(rng, IGKG.rangeStart), g.value(rng, IGKG.rangeEnd)
            if (
                isinstance(rng, URIRef) and (rng, IGKG.partOf, inst) in g
                and str(g.value(first, IGKG.number)) == pin.number and str(g.value(last, IGKG.number)) == pin.end
            ):
                return rng
        return None
    para = child(inst, pin.number)
    if para is not None and pin.letter:
        return child(para, pin.letter) or para  # a sub-paragraph the graph does not divide: its paragraph
    return para


def _normalized(f: Found) -> str:
    if f.form in ("named", "other"):
        return f.name or ""
    if f.form == "symbol":
        return f"{f.organ}/{f.number}" if f.bare_symbol else f"{f.organ}/RES/{f.number}"
    hint = f.hint if f.hint.count("(") == f.hint.count(")") else f.hint.replace("(", "").replace(")", "")
    words = [hint] if hint and not f.this_meeting else []
    words.append(f"{(f.kind or 'resolution').capitalize()} {f.number}")
    text = " ".join(w for w in words if w)
    if f.place or f.year:
        rev = "Rev. " if f.revised else ""
        text += f" ({rev}{f.place}, {f.year})" if f.place else f" ({f.year})"
    return text


SAME_CLAUSE = 80  # characters between two names of one mention, at most
_CLAUSE_BREAK = re.compile(r"[;\n]|\.\s| and | or | as well as ")  # "70/1 and, later, 70/1" are two mentions


def one_per_mention(ct: CleanText, resolved: list[Resolved]) -> list[Resolved]:
    """One mention named twice in a clause is one reference: "the Pact for the Future, adopted by the
    General Assembly in resolution 79/1" names the Pact by its name and by its resolution. Under
    another verb ("noting X, welcoming X") it is another reference."""
    out: list[Resolved] = []
    for r in resolved:
        prev = out[-1] if out else None
        if (prev is not None and r.target is not None and r.target == prev.target and r.found.pinpoint == prev.found.pinpoint
                and r.found.verb == prev.found.verb and 0 <= r.found.start - prev.found.end < SAME_CLAUSE
                and not _CLAUSE_BREAK.search(ct.text, prev.found.end, r.found.start)):
            continue
        out.append(r)
    return out
