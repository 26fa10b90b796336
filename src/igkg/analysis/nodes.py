"""Reading one node of the compiled graph: its label, kind, date and instrument."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from functools import cache, lru_cache
from typing import Any, Protocol

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..errors import ParameterError
from ..models import Node
from ..vocab import IGKG, PREFIXES, RDF, RDFS, SKOS

# A prefixed name such as igr:igf; the local part may hold dots and dashes but no slash.
CURIE = re.compile(r"^(?P<prefix>[A-Za-z][\w-]*):(?P<local>[^\s/]*)$")
# An absolute IRI as SPARQL and N-Triples write it: a scheme, and none of the characters they forbid.
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\x00-\x20]+$")


def parse_day(value: str, option: str) -> date:
    """A day written YYYY-MM-DD that exists and is not after today; ParameterError naming
    ``option`` otherwise (an instrument adopted in 2099 is a typing error, not a fact)."""
    try:
        day = date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
    except ValueError:
        day = None
    if day is None:
        raise ParameterError(f"{option} {value!r} is not a date of the form YYYY-MM-DD")
    if day > date.today():
        raise ParameterError(f"{option} {value!r} is after today")
    return day


def parse_iri(text: str) -> URIRef | None:
    """An IRI written as <…>, as an absolute http(s)/urn IRI, or as a known prefixed name; else None.
    Only a well-formed absolute IRI counts: one with a space, a brace or a quote is a name (or
    nothing), never a term that would break the SPARQL or N-Triples it is written into."""
    v = text.strip()
    if v.startswith("<") and v.endswith(">"):
        return URIRef(v[1:-1]) if _IRI.match(v[1:-1]) else None
    if v.startswith(("http://", "https://", "urn:")):
        return URIRef(v) if _IRI.match(v) else None
    m = CURIE.match(v)
    if m and m["prefix"] in PREFIXES:
        return URIRef(str(PREFIXES[m["prefix"]]) + m["local"])
    return None


class Reads(Protocol):
    """The questions the readers below ask of a graph: an rdflib Graph answers them, and so does
    ReadAhead, what a few queries fetched beforehand about many nodes."""

    def value(self, subject: Any = ..., predicate: Any = ...) -> Any: ...
    def objects(self, subject: Any = ..., predicate: Any = ...) -> Iterator[Any]: ...
    def transitive_objects(self, subject: Any, predicate: Any) -> Iterator[Any]: ...
    def __contains__(self, triple: Any) -> bool: ...


# The namespaces as plain strings, made once: curie() runs for every node of a big graph.
_NAMESPACES = tuple((prefix, str(ns)) for prefix, ns in PREFIXES.items())


@lru_cache(maxsize=1 << 16)
def curie(iri: str) -> str:
    """The shortest prefixed name for an IRI, or the IRI itself."""
    best = iri
    for prefix, ns in _NAMESPACES:
        if iri.startswith(ns) and len(iri) - len(ns) + len(prefix) + 1 < len(best):
            best = f"{prefix}:{iri[len(ns):]}"
    return best


def label(g: Reads, term: RDFNode) -> str:
    for prop in (RDFS.label, SKOS.prefLabel):
        value = g.value(term, prop)
        if value is not None:
            return str(value)
    return curie(str(term))


def verification(g: Graph, term: RDFNode) -> str:
    """The verification status of a node as a phrase; a node without one counts as verified."""
    return status_label(g, g.value(term, IGKG.verification))


def status_label(g: Graph, status: RDFNode | None) -> str:
    """A verification status (igkg:verification's value, or None) as a phrase."""
    return label(g, status) if status is not None else "verified"


def most_specific(g: Graph, props: Iterable[RDFNode]) -> list[URIRef]:
    """The properties not made redundant by a narrower one in the same set (reaffirms, not refers to)."""
    given = {p for p in props if isinstance(p, URIRef)}
    return sorted((p for p in given if not any(q != p and (q, RDFS.subPropertyOf, p) in g for q in given)), key=str)


@cache
def relation_name(iri: str) -> str:
    """The verb a reference property stands for, as people write it (igkg:reaffirms → reaffirms)."""
    return curie(iri).removeprefix("igkg:")


def verb_words(name: str) -> str:
    """A verb's name as words, for text meant to be read (refersTo → refers to); JSON and
    ``--relation`` keep the name, and take the words too (``verb_name``)."""
    return re.sub(r"(?<=[a-z])([A-Z])", lambda m: " " + m[1].lower(), name)


def verb_name(words: str) -> str:
    """The name a verb written as words stands for (refers to → refersTo); a name is kept."""
    first, *rest = words.split() or [""]
    return first + "".join(w[:1].upper() + w[1:] for w in rest)


def _depth(g: Reads, cls: URIRef) -> int:
    return sum(1 for _ in g.transitive_objects(cls, RDFS.subClassOf))


def kind(g: Reads, term: RDFNode) -> str:
    """The most specific igkg class of a node, as a lower-case phrase."""
    classes = [c for c in g.objects(term, RDF.type) if isinstance(c, URIRef) and str(c).startswith(str(IGKG))]
    if not classes:
        others = [c for c in g.objects(term, RDF.type) if isinstance(c, URIRef)]
        return curie(str(sorted(others)[0])) if others else "resource"
    best = max(sorted(classes), key=lambda c: _depth(g, c))
    return label(g, best)


def instrument_of(g: Reads, term: RDFNode) -> URIRef | None:
    """The instrument a subdivision belongs to, or the node itself if it is an instrument."""
    if (term, RDF.type, IGKG.Instrument) in g:
        return term  # type: ignore[return-value]
    for parent in g.objects(term, IGKG.within):
        if (parent, RDF.type, IGKG.Instrument) in g:
            return parent  # type: ignore[return-value]
    return None


def pinpoint(g: Reads, term: RDFNode, _inside: frozenset[RDFNode] = frozenset()) -> str | None:
    """A subdivision's pinpoint inside its instrument: "para 69", "para 78(a)", "paras 69-71".
    ``_inside``: the nodes already on the way up, so that parts of each other end the recursion."""
    if (term, RDF.type, IGKG.ParagraphRange) in g:
        first = g.value(g.value(term, IGKG.rangeStart), IGKG.number)
        last = g.value(g.value(term, IGKG.rangeEnd), IGKG.number)
        return f"paras {first}-{last}"
    number = g.value(term, IGKG.number)
    if number is None:
        return None
    heading = g.value(term, IGKG.heading)
    if heading is not None:
        return f"{heading} {number})"
    parent = g.value(term, IGKG.partOf)
    inside = _inside | {term}
    parent_pin = pinpoint(g, parent, inside) if parent is not None and parent not in inside else None
    if parent_pin is not None and (term, RDF.type, IGKG.SubParagraph) in g:
        return f"{parent_pin}({number})"
    return f"para {number}"


def node(g: Reads, term: RDFNode) -> Node:
    inst = instrument_of(g, term)
    date = g.value(inst, IGKG.dateAdopted) if inst is not None else None
    return Node(
        iri=str(term),
        curie=curie(str(term)),
        label=label(g, term),
        kind=kind(g, term),
        date=str(date) if date is not None else None,
        instrument=str(inst) if inst is not None and inst != term else None,
        pinpoint=pinpoint(g, term),
    )


# What node() reads about a node and, through the IRIs among the values, about its class,
# container and range ends: what a ReadAhead must hold for node() to answer from it.
NODE_FACTS = (RDFS.label, SKOS.prefLabel, RDF.type, RDFS.subClassOf, IGKG.within, IGKG.dateAdopted,
              IGKG.partOf, IGKG.number, IGKG.heading, IGKG.rangeStart, IGKG.rangeEnd)


class ReadAhead:
    """Facts fetched beforehand for many nodes at once (see GraphStore.facts), kept in the
    order the store gave them, answering what node() asks."""

    def __init__(self, facts: Iterable[tuple[Any, Any, Any]] = ()) -> None:
        self._values: dict[tuple[Any, Any], list[Any]] = {}
        self.extend(facts)

    def extend(self, facts: Iterable[tuple[Any, Any, Any]]) -> None:
        for s, p, o in facts:
            values = self._values.setdefault((s, p), [])
            if o not in values:
                values.append(o)

    def value(self, subject: Any = None, predicate: Any = None) -> Any:
        values = self._values.get((subject, predicate))
        return values[0] if values else None

    def objects(self, subject: Any = None, predicate: Any = None) -> Iterator[Any]:
        return iter(self._values.get((subject, predicate), ()))

    def transitive_objects(self, subject: Any, predicate: Any) -> Iterator[Any]:
        seen, todo = {subject}, [subject]
        yield subject
        while todo:
            for o in self._values.get((todo.pop(), predicate), ()):
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
                    yield o

    def __contains__(self, triple: Any) -> bool:
        s, p, o = triple
        return o in self._values.get((s, p), ())
