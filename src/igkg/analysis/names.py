"""Resolving what people type (a symbol, a name with a pinpoint, an IRI) to a node of the graph.

Resolution reads labels, aliases and symbols from the graph itself, so new data
becomes findable without code changes.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..errors import AmbiguousRef, RefNotFound
from ..files import replacing
from ..models import ExtractedReference
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
DIGIT_LETTER = re.compile(r"\d[a-z]")  # where GLUED_LETTER can match: most names skip its substitution
# "<base> para 78 a" and "para 78 a of (the) <base>", with an optional range end.
PINPOINT_AFTER = re.compile(r"^(?P<base>.+?) para (?P<num>\d+)(?: (?P<sub>[a-z]))?(?:-(?P<end>\d+))?$")
PINPOINT_BEFORE = re.compile(r"^para (?P<num>\d+)(?: (?P<sub>[a-z]))?(?:-(?P<end>\d+))? of (?P<base>.+)$")
# "Tunis Agenda 69", "TA 78 a": a number after a name, tried last, and only where the name's
# node has a part of that number.
PINPOINT_BARE = re.compile(r"^(?P<base>.+?) (?P<num>\d+)(?: (?P<sub>[a-z]))?(?:-(?P<end>\d+))?$")
# Parts the graph has no nodes for: "UDHR art 19", "Geneva Plan of Action C6", "ITU Constitution No. 196".
PART_AFTER = re.compile(r"^(?P<base>.+?) (?P<part>(?:art|article|annex|no|(?:wsis )?action line) [0-9ivx]+|c\d{1,2})$")

# Symbols of UN resolutions, and the short forms people write for them ("70/125", "UNGA
# 70/125", "ECOSOC 2023/3", "HRC 20/8"): each symbol of the graph also answers to these.
_UN_SYMBOLS = (
    (re.compile(r"^A/RES/(\d+/\d+)$"), ("{}", "unga {}", "ga {}", "res {}", "unga res {}", "ga res {}")),
    (re.compile(r"^E/RES/(\d{4}/\d+)$"), ("{}", "ecosoc {}", "ecosoc res {}", "res {}")),
    (re.compile(r"^A/HRC/RES/(\d+/\d+)$"), ("{}", "hrc {}", "hrc res {}", "res {}")),
)
# A resolution's number alone ("Resolution 102", "Res. 102"), from a name that ends with it and
# names no meeting or year before it ("PP Res 102", not "PP-06 Resolution 102", one revision).
_NUMBERED = re.compile(r"^\D+ (res \d+)$")
_NUMBER_ALONE = re.compile(r"^(?:.+ )?res \d+$")
# A revision without its year ("Resolution 102 (Rev. Busan)").
_REVISED = re.compile(r"^(.+ rev \D+?) \d{4}$")
# A name with a place or a note in brackets at its end ("IGF 2015 (João Pessoa)"), without it.
_BRACKETED = re.compile(r"^(.+?)\s*\((?!\s*rev\b)[^()]*\)$", re.IGNORECASE)

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


def no_node_for(part: str, whole: str) -> str:
    """Why a part named with its instrument resolves to nothing: the graph does not divide the text so."""
    return f"the graph has no node for {part} of {whole}, only for the text as a whole"


_WORD = re.compile(r"\w")


def read_as_text(ref: str, extract: Callable[[str], list[ExtractedReference]], missed: RefNotFound) -> URIRef:
    """The one node the extractor reads in ``ref`` taken as a whole (nothing but punctuation left
    over): what the names index does not know, read as a text is ("Resolution 102 of the 2010
    Plenipotentiary Conference"). ``missed`` is raised when the extractor reads no single node."""
    whole = [r for r in extract(ref) if not _WORD.search(ref[: r.start] + ref[r.end :])]
    if len({(r.instrument, r.pinpoint) for r in whole}) != 1:
        raise missed
    r = whole[0]
    if r.instrument is None:
        raise RefNotFound(ref, missed.suggestions, r.note) if r.note else missed  # a paragraph the text does not have
    if r.note or (r.pinpoint and not r.pinpoint.startswith("para")):
        raise RefNotFound(ref, missed.suggestions, no_node_for(r.pinpoint or "that part", r.label))
    return URIRef(r.instrument)


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
    if DIGIT_LETTER.search(t):
        t = GLUED_LETTER.sub(r"\1 \2", t)
    words = t.split()
    if "-" in t and words != [t]:  # a hyphen, and whitespace somewhere that may surround it
        words = SPACED_HYPHEN.sub("-", t).split()
    return " ".join(words).removeprefix("the ")


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


def short_forms(name: str, is_symbol: bool, key: str | None = None) -> set[str]:
    """The keys a name also answers to, weakly (as titles do: only where no name answers): the
    short forms of a UN symbol, a resolution's number, a revision without its year, a name
    without the place in brackets at its end. Derived from the graph's own names, so they hold
    for every node of the same form. ``key`` is ``normalize(name)``, when the caller has it."""
    key = normalize(name) if key is None else key
    out: set[str] = set()
    name = name.strip()
    if is_symbol:
        for pattern, forms in _UN_SYMBOLS:
            m = pattern.match(name)
            if m:
                out.update(normalize(form.format(m[1])) for form in forms)
    # Each pattern is tried only where its words occur: the index runs this on every name.
    if name.endswith(")"):
        bracketed = _BRACKETED.match(name)
        # Not for "Resolution 102 (Minneapolis, 1998)": its number alone names the series.
        if bracketed and not _NUMBER_ALONE.match(normalize(bracketed[1])):
            out.add(normalize(bracketed[1]))
    for word, pattern in (("res ", _NUMBERED), (" rev ", _REVISED)):
        m = pattern.match(key) if word in key else None
        if m:
            out.add(m[1])
    return out - {key}


def node_by_iri(g: Graph, ref: str) -> URIRef | None:
    """The node ``ref`` writes as an IRI or prefixed name, if the graph has it as a subject."""
    iri = parse_iri(ref)
    return iri if iri is not None and (iri, None, None) in g else None


class RefIndex:
    """Normalised names → nodes, in an SQLite table asked one key at a time: kept in a file
    beside a compiled graph (``open``), so that a lookup reads a few pages of it, or in memory.

    Each row is (key, title, node): ``title`` marks a key made from an official title, which
    only answers when no name, symbol or identifier does (see _TITLE_PROPERTIES).
    """

    def __init__(self, store: GraphStore, db: sqlite3.Connection, path: Path | None = None) -> None:
        self.store = store
        self._db = db
        self._path = path  # where the index is kept, to write it again if it proves damaged

    @property
    def graph(self) -> Graph:
        return self.store.dataset

    @classmethod
    def build(cls, store: GraphStore) -> RefIndex:
        """The index of ``store``'s names, in memory."""
        return cls(store, _built(store))

    @classmethod
    def open(cls, store: GraphStore, path: Path | None) -> RefIndex:
        """The index kept at ``path`` for this graph; built from the graph when ``path`` is None,
        missing, damaged or written by another version, and then kept there if it can be."""
        if store.holds_names:
            return ServerRefIndex(store)
        if path is not None:
            kept = _open_kept(path)
            if kept is not None:
                return cls(store, kept, path)
        return cls(store, _keep(_built(store), path), path)

    @property
    def keys(self) -> dict[str, set[URIRef]]:
        """Every key of a name, symbol or identifier, with its nodes (suggest reads them all)."""
        return self._table(title=False)

    @property
    def titles(self) -> dict[str, set[URIRef]]:
        """Every key of an official title, with its nodes."""
        return self._table(title=True)

    def _table(self, title: bool) -> dict[str, set[URIRef]]:
        out: dict[str, set[URIRef]] = defaultdict(set)
        for key, node in self._ask("SELECT key, node FROM names WHERE title = ?", (int(title),)):
            out[key].add(URIRef(node))
        return dict(out)

    def rows(self) -> list[tuple[str, int, str]]:
        """Every (key, title, node IRI) row: what a push writes to a remote store's names graph."""
        return self._ask("SELECT key, title, node FROM names")

    def _lookup(self, key: str, title: bool | None = None) -> set[URIRef]:
        """The nodes of ``key``: of its names (title False), its titles (True), or of its names
        if it has any and else of its titles (None)."""
        rows = self._ask("SELECT title, node FROM names WHERE key = ?", (key,))
        wanted = title if title is not None else min((t for t, _ in rows), default=0) == 1
        return {URIRef(node) for t, node in rows if t == wanted}

    def _ask(self, sql: str, args: tuple = ()) -> list[tuple]:
        """The rows of ``sql``. A kept file that proves damaged is built again (and kept again),
        never trusted."""
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError:
            if self._path is None:
                raise
            self._db.close()
            self._db = _keep(_built(self.store), self._path)
            self._path = None  # built from the graph: nothing left to distrust
            return self._db.execute(sql, args).fetchall()

    def resolve(self, ref: str) -> URIRef:
        """The node ``ref`` names; RefNotFound (with near matches) or AmbiguousRef otherwise."""
        direct = self._by_iri(ref.strip())
        if direct is not None:
            return direct
        key = normalize(ref)
        found = self._lookup(key)
        if found:
            return self._one(ref, found)
        pinned = self._by_pinpoint(key)
        if pinned is not None:
            return pinned
        part = PART_AFTER.match(key)
        if part and (bases := self._lookup(part["base"].removeprefix("the "))):
            base = self._one(part["base"], bases)
            what = part["part"].upper() if part["part"][0] == "c" else part["part"]
            raise RefNotFound(ref, [(label(self.graph, base), curie(str(base)))], no_node_for(what, label(self.graph, base)))
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
        m = PINPOINT_AFTER.match(key) or PINPOINT_BEFORE.match(key) or PINPOINT_BARE.match(key)
        if not m:
            return None
        bases = self._lookup(m["base"].removeprefix("the "))
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
        # The ranges among the base's parts, not every range of the graph: a lookup reads what it names.
        for rng in sorted(self.graph.subjects(IGKG.partOf, base), key=str):
            first = self.graph.value(rng, IGKG.rangeStart)
            last = self.graph.value(rng, IGKG.rangeEnd)
            if (
                (rng, RDF.type, IGKG.ParagraphRange) in self.graph
                and str(self.graph.value(first, IGKG.number)) == start
                and str(self.graph.value(last, IGKG.number)) == end
                and isinstance(rng, URIRef)
            ):
                return rng
        return None


class ServerRefIndex(RefIndex):
    """The names index a store holds itself (a remote store's names graph, written by push),
    asked one key at a time: a lookup is a query, whatever the size of the graph."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__(store, sqlite3.connect(":memory:", check_same_thread=False))

    def _lookup(self, key: str, title: bool | None = None) -> set[URIRef]:
        rows = [(t, node) for _, t, node in self.store.name_keys(key)]
        wanted = title if title is not None else min((t for t, _ in rows), default=0) == 1
        return {URIRef(node) for t, node in rows if t == wanted}

    def _table(self, title: bool) -> dict[str, set[URIRef]]:
        out: dict[str, set[URIRef]] = defaultdict(set)
        for key, t, node in self._every_key:
            if t == int(title):
                out[key].add(URIRef(node))
        return dict(out)

    def rows(self) -> list[tuple[str, int, str]]:
        return self._every_key

    @cached_property
    def _every_key(self) -> list[tuple[str, int, str]]:
        return self.store.name_keys()  # read only to suggest near matches for a name not found


# The table's layout; the index also records a hash of this module (``_version``), so that a
# file written by code that normalised otherwise is built again rather than trusted.
_SCHEMA = """CREATE TABLE names (key TEXT NOT NULL, title INTEGER NOT NULL, node TEXT NOT NULL,
                                PRIMARY KEY (key, title, node)) WITHOUT ROWID"""


@cache
def _version() -> int:
    """What the index file records as its PRAGMA user_version: this module's code, hashed."""
    digest = hashlib.sha256(Path(__file__).read_bytes() + _SCHEMA.encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1  # user_version is a signed 32-bit integer


def _built(store: GraphStore) -> sqlite3.Connection:
    """A new in-memory index of the names of ``store``'s indexed nodes (see _INDEXED_TYPES)."""
    title_props = {str(p) for p in _TITLE_PROPERTIES}
    indexed = _indexed(store)
    symbol = str(IGKG.symbol)
    rows = set()
    for subject, prop, name in _names(store, indexed):
        key = normalize(name)
        rows.add((key, int(prop in title_props), subject))
        if prop not in title_props:
            rows.update((short, 1, subject) for short in short_forms(name, prop == symbol, key))
    rows.update((normalize(curie(subject)), 0, subject) for subject in indexed)
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(_SCHEMA)
    db.executemany("INSERT INTO names VALUES (?, ?, ?)", sorted(rows))  # in key order: appended, not inserted
    db.execute(f"PRAGMA user_version = {_version()}")
    db.commit()
    return db


def _keep(db: sqlite3.Connection, path: Path | None) -> sqlite3.Connection:
    """Write the in-memory index ``db`` to ``path`` whole (a temporary file, then a rename) and
    read it from there; ``db`` itself where there is no path or it cannot be written (a
    read-only cache folder only costs a build per process)."""
    if path is None:
        return db
    try:
        with replacing(path) as tmp, contextlib.closing(sqlite3.connect(tmp)) as out:
            db.backup(out)
    except (OSError, sqlite3.Error):
        return db
    kept = _open_kept(path)
    if kept is None:
        return db
    db.close()
    return kept


def _open_kept(path: Path) -> sqlite3.Connection | None:
    """The index file at ``path``, read-only, if it is one this code wrote; None otherwise."""
    if not path.is_file():
        return None
    # immutable: the file is only ever replaced whole, never changed in place, so SQLite need not
    # lock it (nor be able to, in a read-only folder).
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] == _version():
            return db
    except sqlite3.DatabaseError:  # not a database at all
        pass
    db.close()
    return None
