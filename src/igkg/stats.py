"""Counts over the compiled graph: triples per named graph, instances per class, references per verb."""

from __future__ import annotations

from collections import Counter

from rdflib import Graph

from .build import KnowledgeGraph
from .lineage import CitationNetwork
from .models import Stats
from .nodes import label, relation_name, verification
from .vocab import IGKG, RDF


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def coverage(g: Graph) -> dict[str, tuple[tuple[str, int], ...]]:
    """Instruments counted by family (the adopting body's parent organization), body, decade and verification."""
    family: Counter[str] = Counter()
    body: Counter[str] = Counter()
    decade: Counter[str] = Counter()
    status: Counter[str] = Counter()
    for inst in set(g.subjects(RDF.type, IGKG.Instrument)):
        adopter = g.value(inst, IGKG.adoptedBy)
        if adopter is not None:
            body[label(g, adopter)] += 1
            root = adopter
            for parent in g.transitive_objects(adopter, IGKG.subOrganizationOf):
                if parent is not None:
                    root = parent
            family[label(g, root)] += 1
        date = g.value(inst, IGKG.dateAdopted)
        decade[f"{str(date)[:3]}0s" if date is not None else "undated"] += 1
        status[verification(g, inst)] += 1
    return {"family": _ranked(family), "body": _ranked(body), "decade": _ranked(decade), "verification": _ranked(status)}


def stats(kg: KnowledgeGraph, network: CitationNetwork | None = None) -> Stats:
    g = kg.dataset
    net = network or CitationNetwork(g)
    classes: Counter[str] = Counter()
    for cls in {c for c in g.objects(None, RDF.type) if str(c).startswith(str(IGKG))}:
        n = len(set(g.subjects(RDF.type, cls)))
        if n and cls != IGKG.VerificationStatus:
            classes[label(g, cls)] = n
    relations = Counter(relation_name(str(p)) for _, _, p, _ in net.net.edges())
    statuses: Counter[str] = Counter()
    for typ in (IGKG.Instrument, IGKG.Subdivision, IGKG.Citation):
        for s in set(g.subjects(RDF.type, typ)):
            statuses[verification(g, s)] += 1
    return Stats(
        coverage=coverage(g),
        triples=dict(kg.report.triples),
        classes=tuple(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        relations=tuple(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        verification=_ranked(statuses),
    )
