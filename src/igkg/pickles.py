"""Pickles for igkg's cache files that load fast.

Two costs went. rdflib pickles an IRI as a call to ``URIRef(text)``, which searches each
IRI for the characters an IRI may not hold: some 0.3 s for the 191,000 IRIs of the name index
and citation network of a 10,000-instrument graph, read by every cold lookup. The IRIs in a
cache file were read from igkg's own store, and rdflib's check only ever logs a warning, so
they come back as the same URIRef, made directly. And the cyclic garbage collector ran again
and again while a load made its hundreds of thousands of containers, none of them garbage.
Together: those two files load in 0.5-0.6 s instead of 1.3-1.4 s.
"""

from __future__ import annotations

import io
import pickle
from typing import IO, Any

from rdflib import URIRef

from .collector import loaded, paused


def iri(text: str) -> URIRef:
    """The URIRef for an IRI already checked when it was first read (what the pickles call)."""
    return str.__new__(URIRef, text)


def _reduce_iri(term: URIRef) -> tuple[Any, tuple[str]]:
    return iri, (str(term),)


def dumps(obj: Any) -> bytes:
    """pickle.dumps, with IRIs written as calls to iri(); load() reads it back."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {URIRef: _reduce_iri}  # by exact type: subclasses keep their own reduce
    pickler.dump(obj)
    return out.getvalue()


def load(fh: IO[bytes]) -> Any:
    """pickle.load, with the cyclic garbage collector paused (and what it made frozen, where the
    process asked for that: collector.freeze_loads)."""
    with paused():
        obj = pickle.load(fh)
        loaded()
        return obj
