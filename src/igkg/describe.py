"""What ``igkg show`` tells about one node: its facts, its parts, and references in and out."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from .lineage import CitationNetwork
from .models import Description, Edge
from .nodes import curie, label, most_specific, node, verification
from .vocab import DCT, IGKG, RDFS, SKOS

# (property, heading) pairs shown as facts, in this order.
FACTS = (
    (IGKG.title, "title"),
    (IGKG.symbol, "symbol"),
    (IGKG.dateAdopted, "date"),
    (IGKG.dateNote, "date note"),
    (IGKG.adoptedBy, "adopted by"),
    (IGKG.adoptedAt, "adopted at"),
    (IGKG.inSeries, "series"),
    (IGKG.annexTo, "annex to"),
    (IGKG.partOf, "part of"),
    (IGKG.number, "number"),
    (IGKG.meetingOf, "meeting of"),
    (IGKG.place, "place"),
    (IGKG.startDate, "from"),
    (IGKG.endDate, "to"),
    (IGKG.subOrganizationOf, "part of body"),
    (IGKG.convenedBy, "convened by"),
    (IGKG.distinctFrom, "distinct from"),
    (IGKG.partOfProcess, "within process"),
    (IGKG.discussedAt, "discussed at"),
    (IGKG.role, "role"),
    (IGKG.summary, "summary"),
    (SKOS.altLabel, "also known as"),
    (IGKG.verification, "verification"),
    (IGKG.unverified, "unverified fact"),
    (SKOS.editorialNote, "note"),
    (DCT.source, "source"),
)


def _source_text(g: Graph, src: URIRef) -> str:
    url = g.value(src, IGKG.url) or g.value(src, IGKG.checkedCopy)
    return f"{label(g, src)} <{url}>" if url is not None else label(g, src)


def describe(g: Graph, iri: URIRef, network: CitationNetwork | None = None) -> Description:
    net = network or CitationNetwork(g)
    facts: list[tuple[str, str]] = []
    for prop, heading in FACTS:
        values = sorted(g.objects(iri, prop), key=str)
        for v in values:
            if prop == DCT.source:
                text = _source_text(g, v)  # type: ignore[arg-type]
            elif isinstance(v, URIRef):
                text = f"{label(g, v)} ({curie(str(v))})"
            else:
                text = str(v)
            if not any(text == seen for _, seen in facts):  # a sub-property value shows once
                facts.append((heading, text))
    if (iri, DCT.source, None) in g and (iri, IGKG.verification, None) not in g:
        facts.append(("verification", verification(g, iri)))
    members = [iri, *net.parts(iri)]
    outgoing: list[Edge] = []
    incoming: list[Edge] = []
    for m in members:
        if m in net.net:
            for _, o, p, data in sorted(net.net.out_edges(m), key=lambda e: (str(e[2]), str(e[1]))):
                outgoing.append(net.edge(m, p, o, data))
            for s, _, p, data in sorted(net.net.in_edges(m), key=lambda e: (str(e[2]), str(e[0]))):
                incoming.append(net.edge(s, p, m, data))
    processes = [(label(g, p), node(g, o)) for p, o in _process_links(g, subject=iri)]
    concerned_by = sorted(
        ((label(g, p), node(g, s)) for p, s in _process_links(g, process=iri)), key=lambda hn: (hn[1].date or "", hn[1].label, hn[0])
    )
    meetings = sorted((node(g, m) for m in g.subjects(IGKG.meetingOf, iri)), key=lambda n: (_start(g, n.iri), n.label))
    return Description(
        node=node(g, iri),
        facts=tuple(facts),
        parts=tuple(node(g, c) for c in net.parts(iri)),
        outgoing=tuple(outgoing),
        incoming=tuple(incoming),
        processes=tuple(processes),
        concerned_by=tuple(concerned_by),
        meetings=tuple(meetings),
    )


def _start(g: Graph, iri: str) -> str:
    start = g.value(URIRef(iri), IGKG.startDate)
    return str(start) if start is not None else "9999"  # undated meetings last


def _process_links(g: Graph, subject: URIRef | None = None, process: URIRef | None = None) -> list[tuple[URIRef, RDFNode]]:
    """(verb, other end) of the most specific process links from ``subject`` or to ``process``."""
    links: list[tuple[URIRef, RDFNode]] = []
    for s, p, o in g.triples((subject, None, process)):
        about_process = p == IGKG.concernsProcess or (p, RDFS.subPropertyOf, IGKG.concernsProcess) in g
        if about_process and isinstance(p, URIRef) and p in most_specific(g, g.predicates(s, o)):
            links.append((p, o if subject is not None else s))
    return sorted(links, key=lambda po: (str(po[0]), str(po[1])))
