"""Counts over the compiled graph: triples per named graph, instances per class, references per verb."""

from __future__ import annotations

from collections import Counter

from .build import KnowledgeGraph
from .lineage import CitationNetwork
from .models import Stats
from .nodes import label, relation_name
from .vocab import IGKG, RDF


def stats(kg: KnowledgeGraph, network: CitationNetwork | None = None) -> Stats:
    g = kg.dataset
    net = network or CitationNetwork(g)
    classes: Counter[str] = Counter()
    for cls in {c for c in g.objects(None, RDF.type) if str(c).startswith(str(IGKG))}:
        n = len(set(g.subjects(RDF.type, cls)))
        if n and cls != IGKG.VerificationStatus:
            classes[label(g, cls)] = n
    relations = Counter(relation_name(str(p)) for _, _, p in net.net.edges(keys=True))
    verification: Counter[str] = Counter()
    for typ in (IGKG.Instrument, IGKG.Subdivision, IGKG.Citation):
        for s in set(g.subjects(RDF.type, typ)):
            status = g.value(s, IGKG.verification)
            verification[label(g, status) if status is not None else "verified"] += 1
    return Stats(
        triples=dict(kg.report.triples),
        classes=tuple(sorted(classes.items(), key=lambda kv: (-kv[1], kv[0]))),
        relations=tuple(sorted(relations.items(), key=lambda kv: (-kv[1], kv[0]))),
        verification=tuple(sorted(verification.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
