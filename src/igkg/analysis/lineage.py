"""Lineage analysis: what a text builds on, what builds on it, and the paths between.

The citation network is read once from the compiled graph. Each reference is
kept with its most specific verb (reaffirms, not refers to), and paragraph
structure is kept beside it, so that walking down from a paragraph also finds
texts that cite its sub-paragraphs or a range that includes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..collector import paused
from ..models import Edge, Lineage, LineageStep, Node, Revision
from ..vocab import IGKG, RDF, RDFS
from .nodes import NODE_FACTS, ReadAhead, label, node, relation_name, verification

DIRECTIONS = ("up", "down", "both")
N = TypeVar("N", bound=Hashable)
K = TypeVar("K", bound=Hashable)


class References:
    """The references as a directed multigraph: citing → cited, one edge per most specific verb.

    Stored as plain adjacency, in networkx's MultiDiGraph layout and insertion order, because
    importing networkx costs a cold ``show`` or ``lineage`` call some 0.15-0.3 s and they only walk
    edges; ``paths`` searches ``edges()`` with ``simple_edge_paths``.
    """

    def __init__(self) -> None:
        self._succ: dict[RDFNode, dict[RDFNode, dict[RDFNode, dict]]] = {}
        self._pred: dict[RDFNode, dict[RDFNode, dict[RDFNode, dict]]] = {}

    def add_edge(self, s: RDFNode, o: RDFNode, key: RDFNode, **data: object) -> None:
        for n in (s, o):
            if n not in self._succ:
                self._succ[n], self._pred[n] = {}, {}
        self._succ[s].setdefault(o, {})[key] = data
        self._pred[o].setdefault(s, {})[key] = data

    def __contains__(self, n: object) -> bool:
        return n in self._succ

    def out_edges(self, n: RDFNode) -> Iterable[tuple[RDFNode, RDFNode, RDFNode, dict]]:
        """(n, cited, verb, data) for each reference n makes."""
        return ((n, o, k, d) for o, keys in self._succ.get(n, {}).items() for k, d in keys.items())

    def in_edges(self, n: RDFNode) -> Iterable[tuple[RDFNode, RDFNode, RDFNode, dict]]:
        """(citing, n, verb, data) for each reference made to n."""
        return ((s, n, k, d) for s, keys in self._pred.get(n, {}).items() for k, d in keys.items())

    def edges(self) -> Iterable[tuple[RDFNode, RDFNode, RDFNode, dict]]:
        return ((s, o, k, d) for s, nbrs in self._succ.items() for o, keys in nbrs.items() for k, d in keys.items())

    def to_networkx(self) -> Any:
        """The same multigraph as a networkx MultiDiGraph (edge key: the verb), for analyses igkg
        does not run itself: centrality, communities, layouts."""
        import networkx as nx

        g = nx.MultiDiGraph()
        g.add_nodes_from(self._succ)
        for s, o, k, d in self.edges():
            g.add_edge(s, o, key=k, **d)
        return g


def reference_properties(g: Graph) -> set[URIRef]:
    """igkg:refersTo and every property below it, read from the ontology."""
    return {p for p in g.transitive_subjects(RDFS.subPropertyOf, IGKG.refersTo) if isinstance(p, URIRef)}


class CitationNetwork:
    """The references of a graph (citing → cited, see References), plus part structure."""

    def __init__(self, g: Graph, state: tuple | None = None) -> None:
        """Read the network from ``g``, or take it from ``state``, what ``state()`` gave for the
        same graph (the build keeps it beside a compiled graph: see KnowledgeGraph.network)."""
        self.graph = g
        self.net = References()
        self._nodes: dict[RDFNode, Node] = {}
        self._children: dict[RDFNode, set[RDFNode]] = defaultdict(set)
        self._parent: dict[RDFNode, RDFNode] = {}
        self._ranges: dict[RDFNode, set[RDFNode]] = defaultdict(set)
        self._owner: dict[RDFNode, RDFNode] = {}
        self._facts, self._fetched = ReadAhead(), set[URIRef]()  # what read_ahead has read, kept
        if state is not None:
            self.props, self.net._succ, self.net._pred, self._children, self._parent, self._ranges = state
            return
        self.props = reference_properties(g)
        self._load()

    def state(self) -> tuple:
        """What the network was read into, to pickle: all of it but the graph and the caches."""
        return self.props, self.net._succ, self.net._pred, self._children, self._parent, self._ranges

    @paused()  # some 100,000 containers at 10,000 instruments, none of them garbage (collector.py)
    def _load(self) -> None:
        g = self.graph
        # Which reference verb is narrower than which, asked once rather than per pair.
        narrower = {(q, p) for q in self.props for p in g.objects(q, RDFS.subPropertyOf) if p in self.props and p != q}
        references, parts, ranges = self._scans(narrower)
        by_pair: dict[tuple[RDFNode, RDFNode], set[URIRef]] = defaultdict(set)
        for s, p, o in references:
            by_pair[(s, o)].add(p)  # type: ignore[arg-type]
        citations = self._citations()
        for (s, o), preds in by_pair.items():
            for p in sorted((p for p in preds if not any((q, p) in narrower for q in preds)), key=str):
                c, pin, ver = citations.get((s, p, o), (None, None, None))
                self.net.add_edge(s, o, key=p, citation=c, pinpoint=pin, verification=ver)
        for child, parent in parts:
            self._children[parent].add(child)
            self._parent[child] = parent
        for rng, member in ranges:
            self._ranges[member].add(rng)

    def _scans(
        self, narrower: set[tuple[URIRef, RDFNode]]
    ) -> tuple[Iterable[tuple[RDFNode, ...]], Iterable[tuple[RDFNode, ...]], Iterable[tuple[RDFNode, ...]]]:
        """The reference triples, (part, whole) and (range, member) pairs of the graph.

        On Oxigraph, one query each rather than a triple pattern per reference verb through the
        rdflib view: at 10,000 instruments the network took 8.7 s to build that way. The query
        leaves out a triple whose pair also has a ``narrower`` verb, as _load would (every
        reference is stated again by refersTo): at 10,000 instruments 36,000 rows instead of
        72,000, the whole network read in 1.80-1.95 s instead of 2.10-2.18 s, the same network."""
        from ..store.oxigraph import native_query, native_store

        g = self.graph
        store = native_store(g)  # type: ignore[arg-type]
        if store is None:
            return ([(s, p, o) for p in self.props for s, o in g.subject_objects(p)],
                    g.subject_objects(IGKG.partOf), g.subject_objects(IGKG.includes))
        verbs = " ".join(p.n3() for p in sorted(self.props))
        references = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {verbs} }} ?s ?p ?o }}"
        if narrower:
            pairs = " ".join(f"({p.n3()} {q.n3()})" for q, p in sorted(narrower))
            references = (f"SELECT ?s ?p ?o WHERE {{ {{ {references} }} MINUS"
                          f" {{ SELECT ?s ?p ?o WHERE {{ VALUES (?p ?q) {{ {pairs} }} ?s ?q ?o }} }} }}")
        return (native_query(store, references).rows,
                native_query(store, f"SELECT ?part ?whole WHERE {{ ?part {IGKG.partOf.n3()} ?whole }}").rows,
                native_query(store, f"SELECT ?range ?member WHERE {{ ?range {IGKG.includes.n3()} ?member }}").rows)

    def _citations(self) -> dict[tuple[RDFNode, RDFNode, RDFNode], tuple[RDFNode, RDFNode | None, RDFNode | None]]:
        """(citing, verb, cited) → (citation, pinpoint, verification); where two citations state the
        same reference, the first by IRI, so every backend picks the same one."""
        from ..store.oxigraph import native_query, native_store

        g = self.graph
        store = native_store(g)  # type: ignore[arg-type]
        if store is not None:  # one query instead of five look-ups per citation
            rows = native_query(store, _CITATIONS).rows
        else:
            rows = tuple(
                (c, g.value(c, IGKG.citingEntity), g.value(c, IGKG.relation), g.value(c, IGKG.citedEntity),
                 g.value(c, IGKG.pinpoint), g.value(c, IGKG.verification))
                for c in g.subjects(RDF.type, IGKG.Citation)
            )
        out: dict[tuple[RDFNode, RDFNode, RDFNode], tuple[RDFNode, RDFNode | None, RDFNode | None]] = {}
        for c, s, p, o, pin, ver in sorted(rows, key=lambda r: str(r[0]), reverse=True):
            out[(s, p, o)] = (c, pin, ver)  # type: ignore[index, assignment]
        return out

    # -- structure -------------------------------------------------------
    def parts(self, n: RDFNode) -> list[RDFNode]:
        out, todo = [], [n]
        while todo:
            for child in sorted(self._children.get(todo.pop(), ()), key=str):
                out.append(child)
                todo.append(child)
        return out

    def containers(self, n: RDFNode) -> list[RDFNode]:
        out = []
        while n in self._parent:
            n = self._parent[n]
            out.append(n)
        return out

    def instrument(self, n: RDFNode) -> RDFNode:
        """The instrument n is part of (n itself for an instrument, or for a node outside any).

        Read from the part structure already held, one type test per node and cached:
        nodes.instrument_of asks the store four times per end of every edge, which was most of
        a cold `lineage --to` on Oxigraph (0.25 of 0.5 s)."""
        if n not in self._owner:
            self._owner[n] = next((c for c in (n, *self.containers(n)) if (c, RDF.type, IGKG.Instrument) in self.graph), n)
        return self._owner[n]

    def _up_sources(self, n: RDFNode) -> list[RDFNode]:
        return [n, *self.parts(n)]

    def _down_targets(self, n: RDFNode, root: bool) -> list[RDFNode]:
        nodes = [n, *self.parts(n)] + ([] if root else self.containers(n))
        ranges = sorted({r for m in nodes for r in self._ranges.get(m, ())}, key=str)
        return nodes + [r for r in ranges if r not in nodes]

    # -- edges -----------------------------------------------------------
    def node(self, term: RDFNode) -> Node:
        """The node's description, read once: a lineage names the same nodes many times, and a
        graph compiled for reading does not change."""
        found = self._nodes.get(term)
        if found is None:
            found = self._nodes[term] = node(self.graph, term)
        return found

    def read_ahead(self, terms: Iterable[RDFNode | None]) -> None:
        """Describe these nodes together, ahead of node() asking for each: on Oxigraph, from
        their facts fetched in a few queries (faststore.native_facts)."""
        from ..store.oxigraph import native_facts, native_store

        missing = {t for t in terms if isinstance(t, URIRef) and t not in self._nodes}
        store = native_store(self.graph)  # type: ignore[arg-type]
        if store is not None and missing:
            self._facts.extend(native_facts(store, missing, NODE_FACTS, self._fetched))
            self._nodes.update((t, node(self._facts, t)) for t in missing)

    def edges(self, found: Iterable[tuple[RDFNode, RDFNode, RDFNode, dict]]) -> list[Edge]:
        """edge() for each (citing, verb, cited, data), their nodes described together."""
        found = list(found)
        self.read_ahead(t for s, _, o, d in found for t in (s, o, d.get("verification")))
        return [self.edge(s, p, o, d) for s, p, o, d in found]

    def edge(self, s: RDFNode, p: RDFNode, o: RDFNode, data: dict) -> Edge:
        return Edge(
            source=self.node(s),
            relation=relation_name(str(p)),
            target=self.node(o),
            pinpoint=str(data["pinpoint"]) if data.get("pinpoint") is not None else None,
            citation=str(data["citation"]) if data.get("citation") is not None else None,
            verification=self.node(data["verification"]).label if data.get("verification") is not None else None,
        )

    def _allowed(self, p: RDFNode, relations: set[URIRef] | None) -> bool:
        if relations is None:
            return True
        return any(p == r or (p, RDFS.subPropertyOf, r) in self.graph for r in relations)

    def walk(self, root: URIRef, direction: str, depth: int | None, relations: set[URIRef] | None) -> list[LineageStep]:
        """Breadth-first lineage from ``root``: each reached reference once, nearest first."""
        reached_by: list[tuple[int, tuple[RDFNode, RDFNode, RDFNode, dict], RDFNode]] = []
        seen_nodes = {root}
        seen_edges: set[tuple] = set()
        frontier: list[RDFNode] = [root]
        level = 1
        while frontier and (depth is None or level <= depth):
            nxt: list[RDFNode] = []
            for current in frontier:
                for s, p, o, data in self._adjacent(current, direction, root=current == root):
                    if not self._allowed(p, relations) or (s, p, o) in seen_edges:
                        continue
                    seen_edges.add((s, p, o))
                    reached_by.append((level, (s, p, o, data), current))
                    reached = o if direction == "up" else s
                    if reached not in seen_nodes:
                        seen_nodes.add(reached)
                        nxt.append(reached)
            frontier = nxt
            level += 1
        found = self.edges(e for _, e, _ in reached_by)
        return [LineageStep(lvl, e, str(current), direction) for (lvl, _, current), e in zip(reached_by, found, strict=True)]

    def _adjacent(self, n: RDFNode, direction: str, root: bool) -> Iterable[tuple]:
        if direction == "up":
            for src in self._up_sources(n):
                if src in self.net:
                    for _, o, p, data in sorted(self.net.out_edges(src), key=_edge_key):
                        yield src, p, o, data
        else:
            for tgt in self._down_targets(n, root):
                if tgt in self.net:
                    for s, _, p, data in sorted(self.net.in_edges(tgt), key=_edge_key):
                        yield s, p, tgt, data

    def paths(self, a: URIRef, b: URIRef, cutoff: int | None) -> list[list[Edge]]:
        """Every simple reference path from a to b (or from b to a), at instrument level."""
        instrument = self.instrument
        succ: dict[RDFNode, dict[RDFNode, list[tuple[RDFNode, RDFNode, RDFNode]]]] = {}
        data: dict[tuple[RDFNode, RDFNode, RDFNode], dict] = {}
        for s, o, p, d in self.net.edges():
            si, oi = instrument(s), instrument(o)
            if si != oi:
                succ.setdefault(si, {}).setdefault(oi, []).append((s, p, o))
                succ.setdefault(oi, {})
                data[(s, p, o)] = d
        a, b = instrument(a), instrument(b)  # type: ignore[assignment]
        if a == b:  # two parts of one instrument: the search's empty route is no reference path
            return []
        found: list[list[Edge]] = []
        for start, end in ((a, b), (b, a)):
            if start in succ and end in succ:
                routes = list(simple_edge_paths(succ, start, end, cutoff))
                self.read_ahead(t for route in routes for _, _, key in route for t in (key[0], key[2], data[key].get("verification")))
                for route in routes:
                    found.append([self.edge(key[0], key[1], key[2], data[key]) for _, _, key in route])
            if found:
                break
        return sorted(found, key=lambda r: (len(r), [e.relation for e in r]))


def simple_edge_paths(succ: Mapping[N, Mapping[N, Sequence[K]]], start: N, end: N,
                      cutoff: int | None = None) -> Iterator[list[tuple[N, N, K]]]:
    """Every path from start to end that visits no node twice, as (u, v, key) edges, depth first,
    at most ``cutoff`` edges long; ``succ[u][v]`` lists the keys of the edges u → v.

    networkx's all_simple_edge_paths does the same, but importing networkx took 0.28 s of a
    cold `lineage --to` whose budget is 0.5 s; a test holds the two to the same paths.
    """
    if start == end:  # the empty path, as networkx has it
        yield []
        return
    limit = cutoff if cutoff is not None else len(succ)
    if limit < 1:
        return

    def edges(u: N) -> Iterator[tuple[N, N, K]]:
        return ((u, v, k) for v, keys in succ.get(u, {}).items() for k in keys)

    path: list[tuple[N, N, K]] = []
    on_path = {start}
    stack = [edges(start)]  # one iterator per node on the path, the last one being explored
    while stack:
        step = next(stack[-1], None)
        if step is None:
            stack.pop()
            if path:
                on_path.discard(path.pop()[1])
            continue
        v = step[1]
        if v == end:
            yield [*path, step]
        elif v not in on_path and len(path) + 1 < limit:
            path.append(step)
            on_path.add(v)
            stack.append(edges(v))


# Each pattern a sub-select, which Oxigraph scans whole and hash-joins, where plain OPTIONAL
# patterns look each citation up five times (at 10,000 instruments 0.6-0.7 s against 1.6-2.1 s).
_CITATIONS = """
PREFIX igkg: <https://w3id.org/igkg/ontology#>
SELECT ?c ?s ?p ?o ?pin ?ver WHERE {
  { SELECT ?c WHERE { ?c a igkg:Citation } }
  OPTIONAL { SELECT ?c ?s WHERE { ?c igkg:citingEntity ?s } }
  OPTIONAL { SELECT ?c ?p WHERE { ?c igkg:relation ?p } }
  OPTIONAL { SELECT ?c ?o WHERE { ?c igkg:citedEntity ?o } }
  OPTIONAL { SELECT ?c ?pin WHERE { ?c igkg:pinpoint ?pin } }
  OPTIONAL { SELECT ?c ?ver WHERE { ?c igkg:verification ?ver } }
}"""


def _edge_key(e: tuple) -> tuple[str, ...]:
    return tuple(str(x) for x in e[:3])


def lineage(
    g: Graph,
    root: URIRef,
    direction: str = "down",
    depth: int | None = None,
    relations: Iterable[URIRef] | None = None,
    network: CitationNetwork | None = None,
) -> Lineage:
    """What ``root`` builds on (up), what builds on it (down), or both."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
    net = network or CitationNetwork(g)
    rels = set(relations) if relations is not None else None
    steps: list[LineageStep] = []
    for d in ("up", "down") if direction == "both" else (direction,):
        steps.extend(net.walk(root, d, depth, rels))
    return Lineage(root=net.node(root), direction=direction, steps=tuple(steps))


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
