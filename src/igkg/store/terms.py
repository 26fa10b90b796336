"""RDF terms between rdflib and pyoxigraph, and their N-Triples form."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node as RDFNode

from ..vocab import XSD

_XSD_STRING = ox.NamedNode(str(XSD.string))


@lru_cache(maxsize=1 << 18)
def to_rdflib(term: Any) -> RDFNode:
    """An rdflib term for a pyoxigraph one; xsd:string literals become plain, as rdflib parses
    them. Cached: a graph names the same few terms again and again."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"no rdflib term for {term!r}")


@lru_cache(maxsize=1 << 16)
def to_ox(term: RDFNode) -> Any:
    """A pyoxigraph term for an rdflib one."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"no Oxigraph term for {term!r}")


def nt(term: RDFNode) -> str:
    """The N-Triples form of a term, as Oxigraph's writer gives it (one form per term, so two
    stores' exports compare byte for byte)."""
    return str(to_ox(term))
