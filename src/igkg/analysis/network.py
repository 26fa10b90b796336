"""The citation network: references between instruments and paragraphs, and paragraph structure.

Each reference is kept with its most specific verb (reaffirms, not refers to), and paragraph
structure beside it, so that walking down from a paragraph also finds texts that cite its
sub-paragraphs or a range that includes it. A walk reads from the store what it reaches, a
frontier at a time, and keeps it: a lookup costs in proportion to its answer, not to the graph.
Only what needs every reference reads them all: paths, the networkx graph, stats' verb counts.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from typing import Any, Generic, TypeVar

from rdflib import Graph, URIRef
from rdflib.term import Node as RDFNode

from ..models import Edge, LineageStep, Node
from ..store import GraphStore
from ..vocab import IGKG, RDF, RDFS
from .nodes import NODE_FACTS, ReadAhead, node, relation_name

N = TypeVar("N", bound=Hashable)
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# A reference as the network holds it: (citing, cited, verb, {citation, pinpoint, verification}).
Reference = tuple[RDFNode, RDFNode, RDFNode, dict]
# Nodes named in one query at most: a walk's frontier can be thousands.
_BATCH = 1000


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


class PerNode(Generic[V]):
    """What one query tells about each of many nodes (``fetch``: nodes → value per node), asked
    once per node and kept; a node the answer leaves out has ``empty()``."""

    def __init__(self, fetch: Callable[[list[RDFNode]], Mapping[RDFNode, V]], empty: Callable[[], V]) -> None:
        self._fetch, self._empty = fetch, empty
        self._known: dict[RDFNode, V] = {}
        self._complete = False  # set by fill(): every node with a value is known

    def load(self, nodes: Iterable[RDFNode]) -> None:
        """Ask about the nodes not yet known, in as few queries as the batch size allows."""
        if self._complete:
            return
        known = self._known
        missing = sorted({n for n in nodes if n not in known}, key=str)
        for i in range(0, len(missing), _BATCH):
            chunk = missing[i : i + _BATCH]
            found = self._fetch(chunk)
            for n in chunk:
                self._known[n] = found[n] if n in found else self._empty()

    def learn(self, values: Mapping[RDFNode, V]) -> None:
        """Take what another query told about these nodes, all there is to know about each."""
        self._known.update(values)

    def fill(self, everything: Mapping[RDFNode, V]) -> None:
        """Take what a scan of the whole graph found: no node need be asked about again."""
        self._known.update(everything)
        self._complete = True

    def __contains__(self, n: RDFNode) -> bool:
        return self._complete or n in self._known

    def __getitem__(self, n: RDFNode) -> V:
        if n not in self._known:
            if self._complete:
                return self._empty()
            self.load((n,))
        return self._known[n]


class CitationNetwork:
    """The references of a graph (citing → cited, one per most specific verb), plus part
    structure, read from the store node by node as walks reach them (see PerNode)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._nodes: dict[RDFNode, Node] = {}
        self._facts, self._fetched = ReadAhead(), set[URIRef]()  # what read_ahead has read, kept
        self._out = PerNode(self._fetch_out, list[Reference])  # the references each node makes
        self._in = PerNode(self._fetch_in, list[Reference])  # the references made to each node
        self._children = PerNode(self._fetch_children, list[RDFNode])  # its parts, sorted by IRI
        self._parent: PerNode[RDFNode | None] = PerNode(self._fetch_parent, lambda: None)
        self._ranges = PerNode(self._fetch_ranges, set[RDFNode])  # the ranges that include it
        self._instrument = PerNode(self._fetch_instruments, bool)  # whether it is an instrument
        self._owner: dict[RDFNode, RDFNode] = {}

    @property
    def graph(self) -> Graph:
        """The store's graphs, for reading one node's facts (a remote store fetches them only then)."""
        return self.store.dataset

    # -- the verbs -------------------------------------------------------
    @cached_property
    def _verbs(self) -> dict[URIRef, set[RDFNode]]:
        """igkg:refersTo and every verb below it (see reference_properties), each with the
        properties it is declared a sub-property of: one query, not a walk of the ontology."""
        text = (f"SELECT ?q ?p WHERE {{ ?q {RDFS.subPropertyOf.n3()}* {IGKG.refersTo.n3()} "
                f"OPTIONAL {{ ?q {RDFS.subPropertyOf.n3()} ?p }} }}")
        verbs: dict[URIRef, set[RDFNode]] = {}
        for q, p in self.store.query(text).rows:
            if isinstance(q, URIRef):
                verbs.setdefault(q, set()).update(() if p is None else (p,))
        return verbs

    @cached_property
    def _narrower(self) -> set[tuple[RDFNode, RDFNode]]:
        """(q, p): reference verb q is narrower than reference verb p."""
        verbs = self._verbs
        return {(q, p) for q, supers in verbs.items() for p in supers if p in verbs and p != q}

    def _most_specific(self, preds: set[RDFNode]) -> list[RDFNode]:
        narrower = self._narrower
        return sorted((p for p in preds if not any((q, p) in narrower for q in preds)), key=str)

    # -- reading ---------------------------------------------------------
    def _specific(self, triples: Iterable[Sequence[RDFNode]]) -> Iterator[tuple[RDFNode, RDFNode, RDFNode]]:
        """(citing, cited, verb) for each most specific verb of each pair the reference triples join."""
        by_pair: dict[tuple[RDFNode, RDFNode], set[RDFNode]] = defaultdict(set)
        for s, p, o in triples:
            by_pair[(s, o)].add(p)
        for (s, o), preds in by_pair.items():
            for p in self._most_specific(preds):
                yield s, o, p

    def _references(self, triples: Iterable[Sequence[RDFNode]], citations: Iterable[Sequence[RDFNode | None]]) -> list[Reference]:
        """The references the triples state, each with the citation that states it, if any
        (rows of _CITATIONS' form; where two state the same reference, the first by IRI, so
        every store picks the same one)."""
        stated: dict[tuple[RDFNode | None, ...], tuple[RDFNode | None, ...]] = {}
        for c, s, p, o, pin, ver in sorted(citations, key=lambda r: str(r[0]), reverse=True):
            stated[(s, p, o)] = (c, pin, ver)
        out = []
        for s, o, p in self._specific(triples):
            c, pin, ver = stated.get((s, p, o), (None, None, None))
            out.append((s, o, p, {"citation": c, "pinpoint": pin, "verification": ver}))
        return out

    def _fetch_out(self, nodes: list[RDFNode]) -> dict[RDFNode, list[Reference]]:
        triples = self.store.triples_from(nodes, sorted(self._verbs))
        return _grouped(self._references(triples, self._citations(self.store.triples_to(nodes, (IGKG.citingEntity,)))), 0)

    def _fetch_in(self, nodes: list[RDFNode]) -> dict[RDFNode, list[Reference]]:
        # One query for the references, the citations and the ranges that name the nodes: a walk
        # down asks for the ranges of the nodes it asks the references of.
        found = self.store.triples_to(nodes, (*sorted(self._verbs), IGKG.citedEntity, IGKG.includes))
        links = [t for t in found if t[1] == IGKG.citedEntity]
        ranges = _ranges((rng, member) for rng, verb, member in found if verb == IGKG.includes)
        self._ranges.learn({n: ranges.get(n, set()) for n in nodes})
        triples = [t for t in found if t[1] in self._verbs]
        return _grouped(self._references(triples, self._citations(links)), 1)

    def _citations(self, links: Iterable[tuple[RDFNode, RDFNode, RDFNode]]) -> list[tuple[RDFNode | None, ...]]:
        """The rows _CITATIONS gives for the citations that ``links`` (citation, end, node) name."""
        cited = sorted({c for c, _, _ in links}, key=str)
        facts: dict[tuple[RDFNode, RDFNode], list[RDFNode | None]] = defaultdict(list)
        for c, verb, value in self.store.triples_from(cited, _CITATION_FACTS):
            facts[(c, verb)].append(value)
        rows: list[tuple[RDFNode | None, ...]] = []
        for c in cited:
            if IGKG.Citation in facts[(c, RDF.type)]:
                rows += itertools.product([c], *(facts[(c, verb)] or [None] for verb in _CITATION_FACTS[1:]))
        return rows

    def _fetch_children(self, nodes: list[RDFNode]) -> dict[RDFNode, list[RDFNode]]:
        return _children((part, whole) for part, _, whole in self.store.triples_to(nodes, (IGKG.partOf,)))

    def _fetch_parent(self, nodes: list[RDFNode]) -> dict[RDFNode, RDFNode | None]:
        return _parents((part, whole) for part, _, whole in self.store.triples_from(nodes, (IGKG.partOf,)))

    def _fetch_ranges(self, nodes: list[RDFNode]) -> dict[RDFNode, set[RDFNode]]:
        return _ranges((rng, member) for rng, _, member in self.store.triples_to(nodes, (IGKG.includes,)))

    def _fetch_instruments(self, nodes: list[RDFNode]) -> dict[RDFNode, bool]:
        return {n: True for n, _, cls in self.store.triples_from(nodes, (RDF.type,)) if cls == IGKG.Instrument}

    def read_references(self, nodes: Iterable[RDFNode]) -> None:
        """Fetch the references many nodes make and receive at once, ahead of out_edges() and
        in_edges() asking for each."""
        nodes = list(nodes)
        self._out.load(nodes)
        self._in.load(nodes)

    def out_edges(self, n: RDFNode) -> list[Reference]:
        """(n, cited, verb, data) for each reference n makes."""
        return self._out[n]

    def in_edges(self, n: RDFNode) -> list[Reference]:
        """(citing, n, verb, data) for each reference made to n."""
        return self._in[n]

    # -- the whole graph -------------------------------------------------
    @cached_property
    def references(self) -> References:
        """Every reference of the graph, in one multigraph: for what needs them all (paths, the
        networkx graph). Reading it also tells every node's references, parts and ranges."""
        verbs = " ".join(p.n3() for p in sorted(self._verbs))
        query = self.store.query
        triples = query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {verbs} }} ?s ?p ?o }}").rows
        found = self._references(triples, query(_CITATIONS).rows)
        net = References()
        for s, o, p, data in found:
            net.add_edge(s, o, p, **data)
        pairs = query(f"SELECT ?part ?whole WHERE {{ ?part {IGKG.partOf.n3()} ?whole }}").rows
        self._children.fill(_children(pairs))
        self._parent.fill(_parents(pairs))
        self._ranges.fill(_ranges(query(f"SELECT ?range ?member WHERE {{ ?range {IGKG.includes.n3()} ?member }}").rows))
        self._out.fill(_grouped(found, 0))
        self._in.fill(_grouped(found, 1))
        return net

    def verb_counts(self) -> Counter[RDFNode]:
        """How many references of the whole graph have each (most specific) verb."""
        verbs = " ".join(p.n3() for p in sorted(self._verbs))
        triples = self.store.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {verbs} }} ?s ?p ?o }}").rows
        return Counter(p for _, _, p in self._specific(triples))

    # -- structure -------------------------------------------------------
    def _load_parts(self, nodes: Iterable[RDFNode]) -> None:
        """Fetch the parts of the nodes, and their parts. One query gives the nodes' parts and
        what is within them (igkg:within, which the reasoner closes over igkg:partOf), a second
        the parts of those; whatever that left unknown is fetched a level at a time."""
        level = set(nodes)
        todo = sorted((n for n in level if n not in self._children), key=str)
        if todo:
            found = self.store.triples_to(todo, (IGKG.within, IGKG.partOf))
            children = _children((part, whole) for part, verb, whole in found if verb == IGKG.partOf)
            self._children.learn({n: children.get(n, []) for n in todo})
            self._children.load(s for s, verb, _ in found if verb == IGKG.within)
        seen: set[RDFNode] = set()
        while level:
            self._children.load(level)
            seen |= level
            level = {c for n in level for c in self._children[n]} - seen

    def _load_containers(self, nodes: Iterable[RDFNode]) -> None:
        """Fetch what the nodes are part of, and what that is part of: two queries, as for parts."""
        level = set(nodes)
        todo = sorted((n for n in level if n not in self._parent), key=str)
        if todo:
            found = self.store.triples_from(todo, (IGKG.within, IGKG.partOf))
            parents = _parents((part, whole) for part, verb, whole in found if verb == IGKG.partOf)
            self._parent.learn({n: parents.get(n) for n in todo})
            self._parent.load(o for _, verb, o in found if verb == IGKG.within)
        seen: set[RDFNode] = set()
        while level:
            self._parent.load(level)
            seen |= level
            level = {p for n in level if (p := self._parent[n]) is not None} - seen

    def parts(self, n: RDFNode) -> list[RDFNode]:
        """Every part of n, and their parts, depth first; each once, n never (a graph may make
        a node part of itself)."""
        self._load_parts((n,))
        out, todo, seen = [], [n], {n}
        while todo:
            for child in self._children[todo.pop()]:
                if child not in seen:
                    seen.add(child)
                    out.append(child)
                    todo.append(child)
        return out

    def containers(self, n: RDFNode) -> list[RDFNode]:
        """What n is part of, and what that is part of, nearest first; each once, n never."""
        self._load_containers((n,))
        out, seen = [], {n}
        while (parent := self._parent[n]) is not None and parent not in seen:
            seen.add(parent)
            out.append(parent)
            n = parent
        return out

    def instrument(self, n: RDFNode) -> RDFNode:
        """The instrument n is part of (n itself for an instrument, or for a node outside any)."""
        if n not in self._owner:
            chain = (n, *self.containers(n))
            self._instrument.load(chain)
            self._owner[n] = next((c for c in chain if self._instrument[c]), n)
        return self._owner[n]

    def _up_sources(self, n: RDFNode) -> list[RDFNode]:
        return [n, *self.parts(n)]

    def _down_targets(self, n: RDFNode, root: bool) -> list[RDFNode]:
        nodes = self._members(n, root)
        ranges = sorted({r for m in nodes for r in self._ranges[m]}, key=str)
        return nodes + [r for r in ranges if r not in nodes]

    def _members(self, n: RDFNode, root: bool) -> list[RDFNode]:
        """n, its parts, and (but for the root of a walk down) what it is part of."""
        return [n, *self.parts(n)] + ([] if root else self.containers(n))

    def _prepare(self, frontier: list[RDFNode], direction: str, root: RDFNode) -> None:
        """Fetch what _adjacent reads about the frontier's nodes, together: a walk asks the store
        a few queries per level, not a few per node."""
        self._load_parts(frontier)
        if direction == "up":
            self._out.load(m for n in frontier for m in self._up_sources(n))
            return
        self._load_containers(n for n in frontier if n != root)
        self._in.load(m for n in frontier for m in self._members(n, n == root))  # and their ranges
        self._in.load(t for n in frontier for t in self._down_targets(n, n == root))

    # -- edges -----------------------------------------------------------
    def node(self, term: RDFNode) -> Node:
        """The node's description, read once: a lineage names the same nodes many times, and a
        graph compiled for reading does not change."""
        found = self._nodes.get(term)
        if found is None:
            self.read_ahead((term,))
            found = self._nodes.get(term) or self._nodes.setdefault(term, node(self.graph, term))
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
        supers = self._verbs.get(p, set())  # type: ignore[call-overload]
        return any(p == r or r in supers for r in relations)

    def walk(self, root: URIRef, direction: str, depth: int | None, relations: set[URIRef] | None) -> list[LineageStep]:
        """Breadth-first lineage from ``root``: each reached reference once, nearest first."""
        reached_by: list[tuple[int, tuple[RDFNode, RDFNode, RDFNode, dict], RDFNode]] = []
        seen_nodes = {root}
        seen_edges: set[tuple] = set()
        frontier: list[RDFNode] = [root]
        level = 1
        while frontier and (depth is None or level <= depth):
            self._prepare(frontier, direction, root)
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
                for _, o, p, data in sorted(self._out[src], key=_edge_key):
                    yield src, p, o, data
        else:
            for tgt in self._down_targets(n, root):
                for s, _, p, data in sorted(self._in[tgt], key=_edge_key):
                    yield s, p, tgt, data

    def paths(self, a: URIRef, b: URIRef, cutoff: int | None) -> list[list[Edge]]:
        """Every simple reference path from a to b (or from b to a), at instrument level: the
        search reads the whole network."""
        references = self.references
        instruments = self.store.query(f"SELECT ?n WHERE {{ ?n a {IGKG.Instrument.n3()} }}").rows
        self._instrument.fill({n: True for (n,) in instruments})  # asked of every node below: one scan
        instrument = self.instrument
        succ: dict[RDFNode, dict[RDFNode, list[tuple[RDFNode, RDFNode, RDFNode]]]] = {}
        data: dict[tuple[RDFNode, RDFNode, RDFNode], dict] = {}
        for s, o, p, d in references.edges():
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


def _grouped(references: list[Reference], end: int) -> dict[RDFNode, list[Reference]]:
    """The references by their citing (``end`` 0) or cited (1) node."""
    out: dict[RDFNode, list[Reference]] = {}
    for ref in references:
        out.setdefault(ref[0] if end == 0 else ref[1], []).append(ref)
    return out


def _children(pairs: Iterable[Sequence[RDFNode]]) -> dict[RDFNode, list[RDFNode]]:
    """(part, whole) pairs as each whole's parts, sorted by IRI."""
    out: dict[RDFNode, set[RDFNode]] = defaultdict(set)
    for part, whole in pairs:
        out[whole].add(part)
    return {whole: sorted(parts, key=str) for whole, parts in out.items()}


def _parents(pairs: Iterable[Sequence[RDFNode]]) -> dict[RDFNode, RDFNode | None]:
    """(part, whole) pairs as each part's whole; of two wholes (which no valid graph gives a
    part), the first by IRI, however the store orders them."""
    out: dict[RDFNode, RDFNode | None] = {}
    for part, whole in pairs:
        held = out.get(part)
        if held is None or str(whole) < str(held):
            out[part] = whole
    return out


def _ranges(pairs: Iterable[Sequence[RDFNode]]) -> dict[RDFNode, set[RDFNode]]:
    """(range, member) pairs as the ranges including each member."""
    out: dict[RDFNode, set[RDFNode]] = defaultdict(set)
    for rng, member in pairs:
        out[member].add(rng)
    return dict(out)


# What a citation says, in _CITATIONS' order (the type first, to know a citation).
_CITATION_FACTS = (RDF.type, IGKG.citingEntity, IGKG.relation, IGKG.citedEntity, IGKG.pinpoint, IGKG.verification)

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
