"""The citation network: references between instruments and paragraphs, and paragraph structure.

Read once from the store. Each reference is kept with its most specific verb (reaffirms, not
refers to), and paragraph structure beside it, so that walking down from a paragraph also finds
texts that cite its sub-paragraphs or a range that includes it. Lineage walks, paths and stats'
verb counts read it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..models import Edge, LineageStep, Node
from ..store import GraphStore
from ..vocab import IGKG, RDF, RDFS
from .nodes import NODE_FACTS, ReadAhead, node, relation_name

N = TypeVar("N", bound=Hashable)
K = TypeVar("K", bound=Hashable)


class References:
    """The references as a directed multigraph: citing → cited, one edge per most specific verb.

    Stored as plain adjacency, in networkx's MultiDiGraph layout and insertion order: show and
    lineage only walk edges, and networkx is imported only where an analysis needs it
    (``to_networkx``), which keeps a cold lookup within its target (bench/README.md).
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

    def __init__(self, store: GraphStore, state: tuple | None = None) -> None:
        """Read the network from ``store``, or take it from ``state``, what ``state()`` gave for
        the same graph (kept beside a compiled graph: see KnowledgeGraph.network)."""
        self.store = store
        self.graph = g = store.dataset
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

    def _load(self) -> None:
        g = self.graph
        # Which reference verb is narrower than which, asked once rather than per pair.
        narrower = {(q, p) for q in self.props for p in g.objects(q, RDFS.subPropertyOf) if p in self.props and p != q}
        references, parts, ranges = self._scans()
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

    def _scans(self) -> tuple[Iterable[tuple[RDFNode, ...]], Iterable[tuple[RDFNode, ...]], Iterable[tuple[RDFNode, ...]]]:
        """The reference triples, (part, whole) and (range, member) pairs of the graph."""
        verbs = " ".join(p.n3() for p in sorted(self.props))
        query = self.store.query
        return (query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {verbs} }} ?s ?p ?o }}").rows,
                query(f"SELECT ?part ?whole WHERE {{ ?part {IGKG.partOf.n3()} ?whole }}").rows,
                query(f"SELECT ?range ?member WHERE {{ ?range {IGKG.includes.n3()} ?member }}").rows)

    def _citations(self) -> dict[tuple[RDFNode, RDFNode, RDFNode], tuple[RDFNode, RDFNode | None, RDFNode | None]]:
        """(citing, verb, cited) → (citation, pinpoint, verification); where two citations state the
        same reference, the first by IRI, so every store picks the same one."""
        out: dict[tuple[RDFNode, RDFNode, RDFNode], tuple[RDFNode, RDFNode | None, RDFNode | None]] = {}
        for c, s, p, o, pin, ver in sorted(self.store.query(_CITATIONS).rows, key=lambda r: str(r[0]), reverse=True):
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
        """The instrument n is part of (n itself for an instrument, or for a node outside any),
        read from the part structure already held."""
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
        """Describe these nodes together, ahead of node() asking for each, from their facts
        fetched at once (GraphStore.facts)."""
        missing = {t for t in terms if isinstance(t, URIRef) and t not in self._nodes}
        if missing:
            self._facts.extend(self.store.facts(missing, NODE_FACTS, self._fetched))
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

    What networkx's all_simple_edge_paths returns (a test holds the two to the same paths),
    without importing networkx for a lookup (see References).
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


# Each pattern a sub-select, which Oxigraph scans whole and hash-joins, instead of looking each
# citation up once per property.
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
