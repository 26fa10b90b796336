"""Resolving what people type (a symbol, a name with a pinpoint, an IRI) to a node of the graph.

Resolution reads labels, aliases and symbols from the graph itself, so new data
becomes findable without code changes.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..errors import AmbiguousRef, RefNotFound
from ..store import GraphStore
from ..vocab import IGKG, RDF, RDFS, SKOS
from .nodes import curie, label, parse_iri

# Hyphen look-alikes (non-breaking hyphen, en and em dashes, minus, soft hyphen)
# that real documents put in "WTPF‑13" or "69–71".
DASHES = re.compile(r"[\u00ad\u2010-\u2015\u2212]")
# Pinpoint words: "§", "§§", "¶", "paragraph(s)", "para(s)." all mean a paragraph.
PARAGRAPH_WORD = re.compile(r"§+|¶|\bparagraphs?\b|\bparas?\b\.?")
# "Resolution" and its abbreviation "Res." are written both ways.
RESOLUTION_WORD = re.compile(r"\bresolutions?\b|\bres\b\.?")
# "Rev.", "revised", "revision" introduce a revision place and year.
REVISION_WORD = re.compile(r"\brev(?:ision|ised)?\b\.?")
# Punctuation that never distinguishes two references (a str.translate table: each becomes a space).
NOISE = str.maketrans({c: " " for c in "(),.;:'\"\u2018\u2019\u201c\u201d[]"})
# A hyphen with spaces around it: "WTPF - 13" is "WTPF-13".
SPACED_HYPHEN = re.compile(r"\s*-\s*")
# A paragraph number glued to its letter: "78a" → "78 a".
GLUED_LETTER = re.compile(r"\b(\d+)([a-z])\b")
# "<base> para 78 a" and "para 78 a of (the) <base>", with an optional range end.
PINPOINT_AFTER = re.compile(r"^(?P<base>.+?) para (?P<num>\d+)(?: (?P<sub>[a-z]))?(?:-(?P<end>\d+))?$")
PINPOINT_BEFORE = re.compile(r"^para (?P<num>\d+)(?: (?P<sub>[a-z]))?(?:-(?P<end>\d+))? of (?P<base>.+)$")

# The kinds of node a reference can name, in order of preference when one name fits
# several (an instrument before its source document, a body before its meetings).
_INDEXED_TYPES = (
    IGKG.Instrument, IGKG.Subdivision, IGKG.RevisionSeries, IGKG.Actor, IGKG.Meeting,
    IGKG.Process, IGKG.ExternalResource, IGKG.SourceDocument, SKOS.Concept,
)
_NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, IGKG.symbol)
# Official titles repeat across instruments ("World Summit on the Information Society" is the
# title of several resolutions), so a title only answers when no name or symbol does.
_TITLE_PROPERTIES = (IGKG.title,)


def normalize(text: str) -> str:
    """Fold a reference to a canonical key: case, dashes, pinpoint words, punctuation."""
    # NFKC and the dash look-alikes only change non-ASCII text: most names skip both.
    t = text.casefold() if text.isascii() else DASHES.sub("-", unicodedata.normalize("NFKC", text).casefold())
    # Each substitution runs only where its word can occur: the index normalises every name
    # of the graph, and most contain none of these words.
    if "para" in t or "\u00a7" in t or "\u00b6" in t:
        t = PARAGRAPH_WORD.sub(" para ", t)
    if "res" in t:
        t = RESOLUTION_WORD.sub(" res ", t)
    if "rev" in t:
        t = REVISION_WORD.sub(" rev ", t)
    t = t.translate(NOISE)
    t = GLUED_LETTER.sub(r"\1 \2", t)
    if "-" in t:
        t = SPACED_HYPHEN.sub("-", t)
    t = " ".join(t.split())
    return t.removeprefix("the ")


# The indexed nodes as a SPARQL pattern.
_TYPED = "VALUES ?t { " + " ".join(t.n3() for t in _INDEXED_TYPES) + " } ?s a ?t"


def _indexed(store: GraphStore) -> set[str]:
    """The IRI of every node of an indexed type."""
    return {row[0] for row in store.values(f"SELECT DISTINCT ?s WHERE {{ {_TYPED} }}") if row[0] is not None}


def _names(store: GraphStore, indexed: set[str]) -> Iterable[tuple[str, str, str]]:
    """(node IRI, property IRI, name) for every name, symbol and title of the ``indexed`` nodes;
    a blank node is no name. Two scans joined here, which every engine answers quickly."""
    values = " ".join(p.n3() for p in (*_NAME_PROPERTIES, *_TITLE_PROPERTIES))
    rows = store.values(f"SELECT ?s ?p ?name WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?name }}")
    return (row for row in rows if row[0] in indexed and row[2] is not None)  # type: ignore[misc]


def node_by_iri(g: Graph, ref: str) -> URIRef | None:
    """The node ``ref`` writes as an IRI or prefixed name, if the graph has it as a subject."""
    iri = parse_iri(ref)
    return iri if iri is not None and (iri, None, None) in g else None


@dataclass
class RefIndex:
    """Normalised names → nodes, built once per compiled graph."""

    graph: Graph
    keys: dict[str, set[URIRef]]
    titles: dict[str, set[URIRef]]

    @classmethod
    def build(cls, store: GraphStore) -> RefIndex:
        keys: dict[str, set[URIRef]] = defaultdict(set)
        titles: dict[str, set[URIRef]] = defaultdict(set)
        title_props = {str(p) for p in _TITLE_PROPERTIES}
        nodes: dict[str, URIRef] = {}
        indexed = _indexed(store)
        for subject, prop, name in _names(store, indexed):
            node = nodes.get(subject) or nodes.setdefault(subject, URIRef(subject))
            (titles if prop in title_props else keys)[normalize(name)].add(node)
        for subject in indexed:
            keys[normalize(curie(subject))].add(nodes.get(subject) or URIRef(subject))
        return cls(graph=store.dataset, keys=dict(keys), titles=dict(titles))

    def resolve(self, ref: str) -> URIRef:
        """The node ``ref`` names; RefNotFound (with near matches) or AmbiguousRef otherwise."""
        direct = self._by_iri(ref.strip())
        if direct is not None:
            return direct
        key = normalize(ref)
        found = self.keys.get(key) or self.titles.get(key)
        if found:
            return self._one(ref, found)
        pinned = self._by_pinpoint(key)
        if pinned is not None:
            return pinned
        # An identifier without its prefix, as in a file name or the end of a URL: igr: is
        # the one namespace igkg's own nodes live in. Last, so that no name is shadowed.
        local = ref.strip()
        if local and not any(c.isspace() or c in ":/<>" for c in local):
            bare = self._by_iri(f"igr:{local}")
            if bare is not None:
                return bare
        raise RefNotFound(ref, self.suggest(ref))

    def suggest(self, ref: str, n: int = 5) -> list[tuple[str, str]]:
        key = normalize(ref)
        names = {**self.titles, **self.keys}
        close = difflib.get_close_matches(key, names.keys(), n=n * 3, cutoff=0.5)
        words = set(key.split())
        if not close and words:
            overlap = sorted(names, key=lambda k: -len(words & set(k.split())))
            close = [k for k in overlap[: n * 3] if words & set(k.split())]
        out: list[tuple[str, str]] = []
        for k in close:
            for iri in sorted(names[k]):
                item = (label(self.graph, iri), curie(str(iri)))
                if item not in out:
                    out.append(item)
        return out[:n]

    def _by_iri(self, ref: str) -> URIRef | None:
        return node_by_iri(self.graph, ref)

    def _one(self, ref: str, found: set[URIRef]) -> URIRef:
        if len(found) > 1:
            # A name shared by an instrument and, say, its source document means the instrument.
            best = min(self._rank(i) for i in found)
            found = {i for i in found if self._rank(i) == best}
        if len(found) == 1:
            return next(iter(found))
        raise AmbiguousRef(ref, [(label(self.graph, i), curie(str(i))) for i in sorted(found)])

    def _rank(self, iri: URIRef) -> int:
        for rank, typ in enumerate(_INDEXED_TYPES):
            if (iri, RDF.type, typ) in self.graph:
                return rank
        return len(_INDEXED_TYPES)

    def _by_pinpoint(self, key: str) -> URIRef | None:
        m = PINPOINT_AFTER.match(key) or PINPOINT_BEFORE.match(key)
        if not m:
            return None
        bases = self.keys.get(m["base"].removeprefix("the "))
        if not bases:
            return None
        base = self._one(m["base"], bases)
        if m["end"]:
            return self._range(base, m["num"], m["end"])
        para = self._child(base, m["num"])
        if para is not None and m["sub"]:
            return self._child(para, m["sub"])
        return para

    def _child(self, parent: RDFNode, number: str) -> URIRef | None:
        for child in self.graph.subjects(IGKG.partOf, parent):
            if str(self.graph.value(child, IGKG.number)) == number and isinstance(child, URIRef):
                return child
        return None

    def _range(self, base: RDFNode, start: str, end: str) -> URIRef | None:
        for rng in self.graph.subjects(RDF.type, IGKG.ParagraphRange):
            first = self.graph.value(rng, IGKG.rangeStart)
            last = self.graph.value(rng, IGKG.rangeEnd)
            if (
                (rng, IGKG.partOf, base) in self.graph
                and str(self.graph.value(first, IGKG.number)) == start
                and str(self.graph.value(last, IGKG.number)) == end
                and isinstance(rng, URIRef)
            ):
                return rng
        return None
