"""What the extractor knows, read from the graph: instruments with their numbers, bodies,
meetings, places and years; the names of unnumbered instruments; the verb forms.

Nothing here is a hard-coded list of instruments: add an instrument, alias or verb form
to the data and the extractor finds it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..analysis.nodes import label
from ..vocab import IGKG, RDF, RDFS, SKOS

# How numbers are written inside the names and symbols of numbered instruments.
_NUMBER_IN_NAME = re.compile(
    r"\b(?:[AE]/RES/(?P<sym>\d+/\d+(?: [A-Z](?![A-Za-z]))?))"
    r"|\b(?:resolution|res\.?|opinion|decision)\s+(?P<num>\d+(?:/\d+)?(?: [A-Z](?![A-Za-z]))?)",
    re.IGNORECASE,
)
_YEAR_IN_NAME = re.compile(r"\((?:Rev\.? )?[^(),]+, ((?:19|20)\d\d)\)$")
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(["the", "of", "and", "on", "for", "in", "to", "a", "an", "at", "by", "its", "this", "that", "with", "un", "itu"])


def tokens(text: str) -> frozenset[str]:
    """Content words of a phrase, folded and crudely singularised, for matching body and meeting hints."""
    out = set()
    for t in _TOKEN.findall(text.casefold()):
        if t in _STOP:
            continue
        if len(t) > 4 and t.endswith("s") and not t.endswith("ss"):
            t = t[:-1]
        out.add(t)
    return frozenset(out)


@dataclass
class Entry:
    """One instrument (or revision series) as the resolver sees it."""

    iri: URIRef
    label: str
    kinds: frozenset[str]  # "resolution", "opinion", ...
    numbers: frozenset[str]  # "102", "68/302", "57/270 B"
    context: frozenset[str]  # tokens of its bodies, meetings, places, years
    year: str | None
    place: str | None
    symbol: str | None
    series: URIRef | None = None
    is_series: bool = False


@dataclass
class Catalog:
    graph: Graph
    entries: list[Entry]
    by_number: dict[str, list[Entry]]
    names: dict[str, set[URIRef]]  # exact name or symbol of an instrument → IRIs
    verbs: dict[str, str]  # "recalling" → "recalls" (the relation's label)
    verb_iris: dict[str, URIRef]  # relation label → property IRI
    vocabulary: frozenset[str]  # words the cleaner may correct towards
    meetings: list[tuple[str, URIRef | None, str | None]] = field(default_factory=list)  # (name, body, year)
    by_iri: dict[URIRef, Entry] = field(default_factory=dict)
    # What the later stages compile from the catalog (the speller, the name and verb
    # patterns), kept here so it lives and dies with the graph it was built from.
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, g: Graph) -> Catalog:
        kind_names = _kind_names(g)
        entries: list[Entry] = []
        names: dict[str, set[URIRef]] = defaultdict(set)
        series_members: dict[URIRef, list[Entry]] = defaultdict(list)
        for inst in sorted(set(g.subjects(RDF.type, IGKG.Instrument)), key=str):
            if not isinstance(inst, URIRef):
                continue
            all_names = [str(n) for p in (RDFS.label, SKOS.altLabel, IGKG.symbol) for n in g.objects(inst, p)]
            for n in all_names:
                names[n].add(inst)
            entry = Entry(
                iri=inst,
                label=label(g, inst),
                kinds=frozenset(kind_names[t] for t in g.objects(inst, RDF.type) if t in kind_names),
                numbers=frozenset(_numbers(all_names)),
                context=_context(g, inst),
                year=_year(g, inst),
                place=_place(g, inst),
                symbol=_first(g, inst, IGKG.symbol),
            )
            series = g.value(inst, IGKG.inSeries)
            if isinstance(series, URIRef):
                entry.series = series
                series_members[series].append(entry)
            entries.append(entry)
        for series, members in series_members.items():
            series_names = [str(n) for p in (RDFS.label, SKOS.altLabel) for n in g.objects(series, p)]
            for n in series_names:
                names[n].add(series)
            entries.append(Entry(
                iri=series, label=label(g, series),
                kinds=frozenset().union(*(m.kinds for m in members)),
                numbers=frozenset(_numbers(series_names)) or frozenset().union(*(m.numbers for m in members)),
                context=frozenset().union(*(m.context for m in members)),
                year=None, place=None, symbol=None, is_series=True,
            ))
        by_number: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            for n in e.numbers:
                by_number[n].append(e)
        verbs, verb_iris = _verbs(g)
        meetings = _meetings(g)
        vocab = set(kind_names.values()) | {"paragraph", "paragraphs", "resolution", "resolutions", "opinion", "draft", "revision"}
        for n in list(names) + [m[0] for m in meetings] + _body_names(g):
            vocab.update(w for w in re.findall(r"[A-Za-z]+", n) if len(w) >= 4)
        vocab.update(w for form in verbs for w in form.split())
        return cls(g, entries, dict(by_number), dict(names), verbs, verb_iris, frozenset(vocab), meetings, {e.iri: e for e in entries})


def _first(g: Graph, s: RDFNode, p: URIRef) -> str | None:
    v = g.value(s, p)
    return str(v) if v is not None else None


def _numbers(names: list[str]) -> set[str]:
    out = set()
    for n in names:
        for m in _NUMBER_IN_NAME.finditer(n):
            out.add((m["sym"] or m["num"]).upper())
    return out


def _kind_names(g: Graph) -> dict[RDFNode, str]:
    kinds: dict[RDFNode, str] = {}
    for cls in g.transitive_subjects(RDFS.subClassOf, IGKG.Instrument):
        if cls is None or cls == IGKG.Instrument:
            continue
        for lab in g.objects(cls, RDFS.label):
            if getattr(lab, "language", None) in (None, "en"):
                kinds[cls] = str(lab).casefold()
    return kinds


def _context(g: Graph, inst: RDFNode) -> frozenset[str]:
    words: set[str] = set()
    places: list[RDFNode] = []
    for body in g.objects(inst, IGKG.adoptedBy):
        for b in [body, *g.objects(body, IGKG.subOrganizationOf)]:
            for p in (RDFS.label, SKOS.altLabel):
                for n in g.objects(b, p):
                    words |= tokens(str(n))
    for meeting in g.objects(inst, IGKG.adoptedAt):
        for p in (RDFS.label, SKOS.altLabel, IGKG.place):
            for n in g.objects(meeting, p):
                words |= tokens(str(n))
        places.extend(g.objects(meeting, IGKG.place))
    for n in g.objects(inst, IGKG.revisionPlace):
        words |= tokens(str(n))
    year = _year(g, inst)
    if year:
        words.add(year)
    return frozenset(words)


def _year(g: Graph, inst: RDFNode) -> str | None:
    """The revision's year, the adoption date's, the meeting's, or the one its own name states
    ("Resolution 73 (Minneapolis, 1998)", whose day no source gives)."""
    rev = g.value(inst, IGKG.revisionYear)
    if rev is not None:
        return str(rev)[:4]
    date = g.value(inst, IGKG.dateAdopted)
    if date is not None:
        return str(date)[:4]
    meeting = g.value(inst, IGKG.adoptedAt)
    for p in (IGKG.startDate, IGKG.endDate):
        day = g.value(meeting, p) if meeting is not None else None
        if day is not None:
            return str(day)[:4]
    for subject, p in ((inst, IGKG.symbol), (inst, RDFS.label), (meeting, RDFS.label)):
        if subject is not None and (m := _YEAR_IN_NAME.search(str(g.value(subject, p) or ""))) is not None:
            return m[1]
    return None


def _place(g: Graph, inst: RDFNode) -> str | None:
    rev = g.value(inst, IGKG.revisionPlace)
    if rev is not None:
        return str(rev)
    meeting = g.value(inst, IGKG.adoptedAt)
    place = g.value(meeting, IGKG.place) if meeting is not None else None
    return str(place).split(",")[0] if place is not None else None


def _verbs(g: Graph) -> tuple[dict[str, str], dict[str, URIRef]]:
    verbs: dict[str, str] = {}
    iris: dict[str, URIRef] = {}
    for prop, form in g.subject_objects(IGKG.verbForm):
        if isinstance(prop, URIRef):
            name = str(g.value(prop, RDFS.label) or prop.split("#")[-1])
            verbs[str(form).casefold()] = name
            iris[name] = prop
    return verbs, iris


def _meetings(g: Graph) -> list[tuple[str, URIRef | None, str | None]]:
    out = []
    for m in g.subjects(RDF.type, IGKG.Meeting):
        body = g.value(m, IGKG.meetingOf)
        start = g.value(m, IGKG.startDate)
        year = str(start)[:4] if start is not None else None
        for p in (RDFS.label, SKOS.altLabel):
            for n in g.objects(m, p):
                out.append((str(n), body if isinstance(body, URIRef) else None, year))
    return sorted(out, key=lambda t: (-len(t[0]), t[0]))


def _body_names(g: Graph) -> list[str]:
    return [str(n) for b in g.subjects(RDF.type, IGKG.Actor) for p in (RDFS.label, SKOS.altLabel) for n in g.objects(b, p)]
