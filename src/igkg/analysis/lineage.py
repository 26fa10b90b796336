"""Lineage: what a text builds on (up), what builds on it (down), and its revision series."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..models import Lineage, LineageStep, Revision
from ..vocab import IGKG, RDF
from .network import CitationNetwork
from .nodes import label, node, verification

DIRECTIONS = ("up", "down", "both")


def lineage(
    network: CitationNetwork,
    root: URIRef,
    direction: str = "down",
    depth: int | None = None,
    relations: Iterable[URIRef] | None = None,
) -> Lineage:
    """What ``root`` builds on (up), what builds on it (down), or both."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
    rels = set(relations) if relations is not None else None
    steps: list[LineageStep] = []
    for d in ("up", "down") if direction == "both" else (direction,):
        steps.extend(network.walk(root, d, depth, rels))
    return Lineage(root=network.node(root), direction=direction, steps=tuple(steps))


def _status(g: Graph, term: RDFNode) -> str | None:
    """How far a node falls short of verified: its status label, and any single fact marked unverified."""
    parts = [] if verification(g, term) == "verified" else [verification(g, term)]
    parts += [f"{label(g, p)} unverified" for p in sorted(g.objects(term, IGKG.unverified), key=str)]
    return "; ".join(parts) or None


def revisions(g: Graph, ref: URIRef) -> tuple[URIRef | None, list[Revision]]:
    """The revision series ``ref`` is (or belongs to), its revisions oldest first."""
    series = ref if (ref, RDF.type, IGKG.RevisionSeries) in g else g.value(ref, IGKG.inSeries)
    if series is None:
        return None, []
    members = []
    for m in g.subjects(IGKG.inSeries, series):
        place, year, prev = g.value(m, IGKG.revisionPlace), g.value(m, IGKG.revisionYear), g.value(m, IGKG.revises)
        members.append(
            Revision(
                node=node(g, m),
                place=str(place) if place is not None else None,
                year=str(year) if year is not None else None,
                revises=str(prev) if prev is not None else None,
                status=_status(g, m),
            )
        )
    members.sort(key=lambda r: (r.node.date or "", r.node.iri))
    return series, members  # type: ignore[return-value]
