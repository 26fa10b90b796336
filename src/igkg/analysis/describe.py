"""What ``igkg show`` tells about one node: its facts, its parts, and references in and out."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..models import Description
from ..vocab import DCT, IGKG, RDFS, SKOS
from .network import CitationNetwork
from .nodes import curie, label, most_specific, verification

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


def describe(net: CitationNetwork, iri: URIRef) -> Description:
    """A node with its facts, parts, references in and out, processes and meetings."""
    g = net.graph
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
    parts = net.parts(iri)
    # A citation of a range ("paragraphs 69-71") cites each paragraph in it: shown with the range.
    ranges = sorted((r for r in g.subjects(IGKG.includes, iri) if r not in parts), key=str)
    out_refs: list[tuple[RDFNode, RDFNode, RDFNode, dict]] = []
    in_refs: list[tuple[RDFNode, RDFNode, RDFNode, dict]] = []
    net.read_references((iri, *parts, *ranges))
    for m in (iri, *parts):
        out_refs += [(m, p, o, d) for _, o, p, d in sorted(net.out_edges(m), key=lambda e: (str(e[2]), str(e[1])))]
    for m in (iri, *parts, *ranges):
        in_refs += [(s, p, m, d) for s, _, p, d in sorted(net.in_edges(m), key=lambda e: (str(e[2]), str(e[0])))]
    process_of, concerning = _process_links(g, subject=iri), _process_links(g, process=iri)
    meeting_iris = list(g.subjects(IGKG.meetingOf, iri))
    adopted_iris = list(g.subjects(IGKG.adoptedAt, iri))
    net.read_ahead([iri, *parts, *(o for _, o in process_of), *(s for _, s in concerning), *meeting_iris, *adopted_iris])
    outgoing, incoming = net.edges(out_refs), net.edges(in_refs)
    processes = [(label(g, p), net.node(o)) for p, o in process_of]
    concerned_by = sorted(((label(g, p), net.node(s)) for p, s in concerning), key=lambda hn: (hn[1].date or "", hn[1].label, hn[0]))
    meetings = sorted((net.node(m) for m in meeting_iris), key=lambda n: (_start(g, n.iri), n.label))
    return Description(
        node=net.node(iri),
        facts=tuple(facts),
        parts=tuple(net.node(c) for c in parts),
        outgoing=tuple(outgoing),
        incoming=tuple(incoming),
        processes=tuple(processes),
        concerned_by=tuple(concerned_by),
        meetings=tuple(meetings),
        adopted=tuple(sorted((net.node(a) for a in adopted_iris), key=lambda n: (n.date or "", n.label))),
    )


def _start(g: Graph, iri: str) -> str:
    start = g.value(URIRef(iri), IGKG.startDate)
    return str(start) if start is not None else "9999"  # undated meetings last


def _process_links(g: Graph, subject: URIRef | None = None, process: URIRef | None = None) -> list[tuple[URIRef, RDFNode]]:
    """(verb, other end) of the most specific process links from ``subject`` or to ``process``."""
    # One pattern per process verb, not a test of every triple at the node: the Tunis Agenda
    # is the object of some 500. A verb narrower than a process verb is a process verb too, so
    # the most specific verbs of a pair are found among these.
    verbs = {IGKG.concernsProcess, *g.transitive_subjects(RDFS.subPropertyOf, IGKG.concernsProcess)}
    by_pair: dict[tuple[RDFNode, RDFNode], set[RDFNode]] = {}
    for verb in verbs:
        for s, p, o in g.triples((subject, verb, process)):
            by_pair.setdefault((s, o), set()).add(p)
    links = [(p, o if subject is not None else s) for (s, o), preds in by_pair.items() for p in most_specific(g, preds)]
    return sorted(links, key=lambda po: (str(po[0]), str(po[1])))
