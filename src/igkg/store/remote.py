"""igkg's graphs on a SPARQL 1.1 store, after ``igkg push`` (push.py): read where they are.

``RemoteStore`` is the store interface over an endpoint: SPARQL runs on the server, with the
current release's four graphs as the default graph (``default-graph-uri``), so it works whether
or not the store's default graph is the union of its named graphs; triple patterns are asked of
the server too, as they are needed (``RemoteView``), and names are resolved by a query on the
names graph, so ``show``, ``lineage`` and ``stats`` give exactly what they give on the embedded
store and a lookup reads what it shows, not the graph. Only ``export`` reads a copy of the four
graphs whole (``snapshot``).

Before anything is read, the store's manifest (which a push points at its graphs last) is read;
the first time a machine reads a release, and at every ``stats``, the graphs' counts are compared
with it: graphs another writer changed are refused with one line, never read as igkg's.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.parser import Parser
from rdflib.store import Store
from rdflib.term import Node as RDFNode

from ..errors import EndpointError
from ..models import QueryResult
from ..vocab import DCT, GRAPH_BASE, GRAPH_MANIFEST, GRAPH_NAMES, IGKG, PREFIXES, VOID, XSD
from .base import GRAPHS, GraphStore, Triple, dataset_lines, graph_key
from .endpoint import (
    RDF_TYPES,
    Endpoint,
    checked_release,
    graph_counts,
    graph_url,
    media_type,
    remember_release,
    results,
    rows,
    sparql,
    unreadable,
    was_cut,
    where,
)
from .memory import new_dataset, query_result
from .sparql import dataset_words, substitute

# Rows a page of a graph's triples asks for; a store with a lower limit gives fewer, and says so.
PAGE = 100_000


@dataclass(frozen=True)
class Release:
    """What the store's manifest says of the last push: its identifier, when, and for each of
    igkg's graphs the graph that holds it on the store and its count."""

    identifier: str
    issued: str
    counts: dict[URIRef, int]
    graphs: dict[URIRef, URIRef]  # igkg's graph name → the release's graph on the store

    def rename(self, text: str) -> str:
        """``text`` (SPARQL) with igkg's graph names written as the release's graphs."""
        return _GRAPH_NAME.sub(lambda m: f"<{self.graphs.get(URIRef(m[1]), m[1])}>", text)


_GRAPH_NAME = re.compile(r"<(" + re.escape(GRAPH_BASE) + r"[a-z]+)>")


def release(endpoint: Endpoint, *, recount: bool = False) -> Release:
    """The manifest of the last push; EndpointError when there is none (never pushed, or only
    pushes that did not finish) or the graphs do not match it. The graphs are counted the first
    time a release is read on this machine (a release's graphs are written once, before the
    manifest names them), and whenever ``recount``."""
    text = (f"SELECT ?id ?issued ?g ?n ?of WHERE {{ GRAPH <{GRAPH_MANIFEST}> {{ <{GRAPH_MANIFEST}> <{DCT.identifier}> ?id ; "
            f"<{DCT.issued}> ?issued ; <{VOID.subset}> ?g . ?g <{VOID.triples}> ?n OPTIONAL {{ ?g <{DCT.isVersionOf}> ?of }} }} }}")
    found = rows(results(sparql(endpoint, "query", text)))
    if not found:
        started = (f"ASK {{ {{ GRAPH <{GRAPH_MANIFEST}> {{ ?g <{DCT.isVersionOf}> ?of }} }} UNION "
                   f"{{ GRAPH <{GRAPHS[1]}> {{ ?s ?p ?o }} }} }}")
        if results(sparql(endpoint, "query", started)).askAnswer:
            raise EndpointError(f"{where(endpoint.query_url)} holds igkg graphs but no manifest: a push that did not finish, "
                                "or one by an older igkg; run 'igkg push --endpoint …' again")
        raise not_pushed(endpoint)
    ids = {(str(r[0]), str(r[1])) for r in found}
    if len(ids) != 1:
        raise EndpointError(f"{where(endpoint.query_url)} has a manifest naming {len(ids)} pushes; run 'igkg push --endpoint …' again")
    (identifier, issued), = ids
    # A manifest by earlier versions of igkg names igkg's graphs themselves.
    described = {URIRef(str(of if of is not None else g)): (URIRef(str(g)), int(n)) for _, _, g, n, of in found}
    graphs = {name: g for name, (g, _) in described.items()}
    counts = {name: n for name, (_, n) in described.items()}
    if set(graphs) != {*GRAPHS, GRAPH_NAMES} or len(found) != len(graphs):
        raise EndpointError(f"{where(endpoint.query_url)}'s manifest does not name igkg's graphs; run 'igkg push --endpoint …' again")
    if recount or checked_release(endpoint) != identifier:
        held = graph_counts(endpoint, list(graphs.values()))
        for g, n in counts.items():
            if held.get(graphs[g], 0) != n:
                raise EndpointError(f"{where(endpoint.query_url)}'s {graph_key(g)} graph holds {held.get(graphs[g], 0):,} triples "
                                    f"where its manifest (push {identifier}) says {n:,}: changed since; run 'igkg push --endpoint …' again")
        remember_release(endpoint, identifier)
    return Release(identifier, issued, counts, graphs)


def snapshot(endpoint: Endpoint, current: Release | None = None) -> Dataset:
    """igkg's four graphs as the endpoint's current release holds them, in a local Dataset, each
    checked against the manifest's count: a store that cuts long answers at a row limit is read
    page by page instead."""
    current = current or release(endpoint)
    ds = new_dataset()
    store_url = endpoint.graph_store(probe=False)
    for name in GRAPHS:
        expected = current.counts.get(name, 0)
        graph = ds.graph(name)
        if not expected:
            continue
        if store_url:
            resp = endpoint.request(graph_url(store_url, current.graphs[name]), headers={"Accept": RDF_TYPES})
            if resp.status_code == 200:
                media = media_type(resp, Parser, "RDF")
                try:
                    graph.parse(data=resp.content, format=media)
                except Exception as e:  # each parser fails in its own way; all mean a malformed answer
                    raise unreadable(resp, media, e) from None
        if len(graph) != expected:
            graph.remove((None, None, None))
            for t in _pages(endpoint, current.graphs[name]):
                graph.add(t)
        if len(graph) != expected:
            raise EndpointError(f"{where(endpoint.query_url)} gave {len(graph):,} of the {expected:,} triples of its "
                                f"{graph_key(name)} graph")
    return ds


def _pages(endpoint: Endpoint, graph: URIRef) -> list[Triple]:
    """Every triple of ``graph``, a page at a time: a store that cuts an answer at its row limit
    is asked again from where it stopped. A blank node keeps the label the store gives it, the
    same on every page."""
    out: list[Triple] = []
    while True:
        text = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT {PAGE} OFFSET {len(out)}"
        resp = sparql(endpoint, "query", text)
        page = results(resp, cut_ok=True)
        out += rows(page)
        if len(page) < PAGE and not was_cut(resp, page):
            return out


class RemoteStore(GraphStore):
    """igkg's graphs on a SPARQL 1.1 store (after ``push``): SPARQL runs on the server, and so do
    the triple patterns ``dataset`` is read through (see RemoteView) and name lookups."""

    engine = "remote"
    holds_names = True

    def __init__(self, endpoint: Endpoint, *, recount: bool = False) -> None:
        self.endpoint = endpoint
        self.recount = recount  # count the graphs even where this release was counted before
        self._dataset: Dataset | None = None

    @cached_property
    def release(self) -> Release:
        """The last push, checked against the graphs (EndpointError if they do not match)."""
        return release(self.endpoint, recount=self.recount)

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            ds = Dataset(store=RemoteView(self), default_union=True)
            for prefix, ns in PREFIXES.items():
                ds.bind(prefix, ns)
            self._dataset = ds
        return self._dataset

    def query(self, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        return query(self.endpoint, prologue + text, bindings, self.release)

    def _match(self, end: str, nodes: Sequence[RDFNode], verbs: tuple[URIRef, ...]) -> list[Triple]:
        return self._match_in_sparql(end, nodes, verbs)  # one query, not a pattern per node

    def size(self, graph: URIRef) -> int:
        return self.release.counts.get(graph, 0)  # checked against the graphs when read

    def lines(self, graphs: tuple[URIRef, ...], *, quads: bool) -> Collection[str]:
        # Every triple of the graphs: one copy of each, as the Graph Store protocol gives it.
        return dataset_lines(snapshot(self.endpoint, self.release), graphs, quads=quads)

    def name_keys(self, key: str | None = None) -> list[tuple[str, int, str]]:
        """(key, title, node IRI) rows of the names graph a push wrote: those of ``key``, or all."""
        verbs = f"VALUES ?v {{ <{IGKG.nameKey}> <{IGKG.titleKey}> }}"
        if key is not None:
            text = f"SELECT ?v ?node WHERE {{ {verbs} GRAPH <{self.release.graphs[GRAPH_NAMES]}> {{ ?node ?v {Literal(key).n3()} }} }}"
            return [(key, int(v == IGKG.titleKey), str(node)) for v, node in rows(results(sparql(self.endpoint, "query", text)))]
        return [(str(k), int(v == IGKG.titleKey), str(node)) for node, v, k in _pages(self.endpoint, self.release.graphs[GRAPH_NAMES])]


class RemoteView(Store):
    """An rdflib Store over a RemoteStore, read-only: each triple pattern is asked of the server
    when first needed, and the answer kept. Every fact of a node is asked at once (``?p ?o``),
    since show and lineage read a node one property at a time. A blank node the server named
    cannot be asked about again: a pattern with one matches nothing."""

    context_aware = True
    graph_aware = True

    def __init__(self, remote: RemoteStore) -> None:
        super().__init__()
        self.remote = remote
        self._about: dict[RDFNode, list[tuple[RDFNode, RDFNode]]] = {}  # subject → its (verb, value) pairs
        self._answers: dict[tuple[RDFNode | None, ...], list[Triple]] = {}

    def triples(self, triple_pattern, context=None):  # type: ignore[no-untyped-def, override]
        s, p, o = triple_pattern
        graph = _graph_name(context)
        no_contexts: tuple[Any, ...] = ()
        if any(isinstance(t, BNode) for t in triple_pattern):
            return
        if graph is None and isinstance(s, URIRef):
            if s not in self._about:
                self._about[s] = [(q, v) for _, q, v in self._select(s, None, None, None)]
            found = [(s, q, v) for q, v in self._about[s] if (p is None or q == p) and (o is None or v == o)]
        else:
            key = (s, p, o, graph)
            if key not in self._answers:
                self._answers[key] = self._select(s, p, o, graph)
            found = self._answers[key]
        for t in found:
            yield t, iter(no_contexts)

    def _select(self, s: RDFNode | None, p: RDFNode | None, o: RDFNode | None, graph: URIRef | None) -> list[Triple]:
        """The triples matching (s, p, o) in ``graph`` (None: the union of the four, each once)."""
        given = (s, p, o)
        variables = [f"?{v}" for t, v in zip(given, "spo", strict=True) if t is None]
        pattern = " ".join(t.n3() if t is not None else f"?{v}" for t, v in zip(given, "spo", strict=True))
        if graph is not None:
            pattern = f"GRAPH {graph.n3()} {{ {pattern} }}"
        if not variables:
            return [given] if self.remote.query(f"ASK {{ {pattern} }}").boolean else []  # type: ignore[list-item]
        rows = self.remote.query(f"SELECT {'DISTINCT ' if graph is None else ''}{' '.join(variables)} WHERE {{ {pattern} }}").rows
        out: list[Triple] = []
        for row in rows:
            values = iter(row)
            out.append(tuple(t if t is not None else next(values) for t in given))  # type: ignore[arg-type]
        return out

    def __len__(self, context=None) -> int:  # type: ignore[no-untyped-def, override]
        graph = _graph_name(context)
        if graph is not None:
            return self.remote.size(graph)
        (n,), = self.remote.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows
        return int(n)

    def contexts(self, triple=None):  # type: ignore[no-untyped-def, override]
        for name in GRAPHS:
            yield Graph(store=self, identifier=name)

    def add(self, triple, context, quoted=False):  # type: ignore[no-untyped-def, override]
        raise ValueError("a remote store is read here, not written: use 'igkg push'")

    def remove(self, triple, context=None):  # type: ignore[no-untyped-def, override]
        raise ValueError("a remote store is read here, not written: use 'igkg push'")

    def add_graph(self, graph):  # type: ignore[no-untyped-def, override]
        pass  # Dataset.graph(name) declares the graph; the store holds it or it is empty


def _graph_name(context: Any) -> URIRef | None:
    """The graph a context names; None for the union (a default-union Dataset's default graph)."""
    if context is None:
        return None
    ident = getattr(context, "identifier", context)
    return None if ident == DATASET_DEFAULT_GRAPH_ID else ident


def not_pushed(endpoint: Endpoint) -> EndpointError:
    return EndpointError(f"{where(endpoint.query_url)} holds no igkg graph; run 'igkg push --endpoint …' first")


def query(endpoint: Endpoint, text: str, bindings: Mapping[str, RDFNode] | None = None, current: Release | None = None) -> QueryResult:
    """Run SPARQL on the server over the current release's graphs (igkg's graph names where none
    is given), with ``bindings`` put in place of their variables: igkg's graph names in the text
    (GRAPH, FROM) are read as the release's graphs, and the release's graphs in the answer are
    given igkg's names, so a query sees what it sees on the embedded store."""
    if bindings:
        text = substitute(text, bindings)
    if current is not None:
        text = current.rename(text)
    # igkg's graphs as the default graph (their union) and as the named graphs, as on the
    # embedded backends; a query with its own FROM gets the dataset it asks for, since the
    # protocol's graphs would override it.
    graphs = () if "FROM" in dataset_words(text) else tuple(current.graphs[g] if current else g for g in GRAPHS)
    answer = query_result(results(sparql(endpoint, "query", text, graphs)))
    names = {g: name for name, g in current.graphs.items()} if current else {}
    if any(_odd_boolean(t) or t in names for row in answer.rows for t in row):
        answer = replace(answer, rows=tuple(tuple(names.get(t, t) if isinstance(t, URIRef) else _canonical_boolean(t) for t in row)
                                            for row in answer.rows))
    return answer


def _odd_boolean(term: RDFNode | None) -> bool:
    return isinstance(term, Literal) and term.datatype == XSD.boolean and str(term) not in ("true", "false")


def _canonical_boolean(term: RDFNode | None) -> RDFNode | None:
    """A boolean in its canonical form: Virtuoso writes true as "1"^^xsd:boolean, the same value."""
    return Literal(str(term) == "1") if _odd_boolean(term) else term
