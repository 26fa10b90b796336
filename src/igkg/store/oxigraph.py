"""The embedded store: igkg's graphs in a pyoxigraph store, on disk or in memory.

The inferred graph is the store's default graph and the asserted ones its named graphs, since
Oxigraph indexes a default-graph triple three ways and a named-graph quad six. ``ox_graph`` is
the one place that knows this: ``OxigraphView`` (the rdflib Store that ``dataset`` reads
through) puts the inferred graph back under its name, and a query that names graphs is answered
by rdflib's engine over that view, so nothing above this module can tell the layout.
"""

from __future__ import annotations

import io
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.store import Store
from rdflib.term import Node as RDFNode

from ..errors import QueryError
from ..models import QueryResult
from ..progress import SILENT, Progress
from ..vocab import GRAPH_INFERRED, PREFIXES
from .base import LocalStore, Triple, gc_paused
from .memory import rdflib_query
from .sparql import names_graphs, substitute
from .terms import to_ox, to_rdflib

if TYPE_CHECKING:
    from ..pipeline.load import SourceSet

_INFERRED = ox.DefaultGraph()


def ox_graph(name: URIRef) -> ox.NamedNode | ox.DefaultGraph:
    """Where the store keeps igkg's graph ``name``: the inferred graph is its default graph."""
    return _INFERRED if name == GRAPH_INFERRED else ox.NamedNode(str(name))


class OxigraphView(Store):
    """An rdflib Store over a pyoxigraph Store: triple patterns, graph sizes, and writes where
    the store takes them (a compiled store on disk is opened read-only).

    With no context (a Dataset with ``default_union``) a pattern matches every named graph,
    and a triple held by two graphs is yielded once, as rdflib's memory store does.
    """

    context_aware = True
    graph_aware = True

    def __init__(self, store: ox.Store) -> None:
        super().__init__()
        self.ox = store

    def triples(self, triple_pattern, context=None):  # type: ignore[no-untyped-def, override]
        s, p, o = (None if t is None else to_ox(t) for t in triple_pattern)
        graph = self._graph_name(context)
        try:
            quads = self.ox.quads_for_pattern(s, p, o, graph)
        except TypeError:  # a literal as subject or predicate: no triple can match
            return
        no_contexts: Iterable[Any] = ()
        seen: set[tuple[Any, Any, Any]] = set()
        for q in quads:
            key = (q.subject, q.predicate, q.object)
            if graph is None:
                if key in seen:
                    continue
                seen.add(key)
            yield (to_rdflib(key[0]), to_rdflib(key[1]), to_rdflib(key[2])), iter(no_contexts)

    def __len__(self, context=None) -> int:  # type: ignore[no-untyped-def, override]
        graph = self._graph_name(context)
        if graph is None:
            return sum(1 for _ in self.triples((None, None, None)))
        query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        return int(next(iter(self.ox.query(query, default_graph=graph)))[0].value)  # type: ignore[arg-type, index]

    def contexts(self, triple=None):  # type: ignore[no-untyped-def, override]
        for g in self.ox.named_graphs():
            yield Graph(store=self, identifier=to_rdflib(g))
        if next(iter(self.ox.quads_for_pattern(None, None, None, _INFERRED)), None) is not None:
            yield Graph(store=self, identifier=GRAPH_INFERRED)

    def add(self, triple, context, quoted=False):  # type: ignore[no-untyped-def, override]
        graph = self._graph_name(context)
        if graph is None:  # the store's own default graph is the inferred one: no triple lands there unasked
            raise ValueError("add a triple to one of igkg's named graphs, not to the union")
        self.ox.add(ox.Quad(*(to_ox(t) for t in triple), graph))

    def remove(self, triple, context=None):  # type: ignore[no-untyped-def, override]
        s, p, o = (None if t is None else to_ox(t) for t in triple)
        for q in list(self.ox.quads_for_pattern(s, p, o, self._graph_name(context))):
            self.ox.remove(q)

    def add_graph(self, graph):  # type: ignore[no-untyped-def, override]
        pass  # Dataset.graph(name) declares the graph; the store already holds it or it is empty

    @staticmethod
    def _graph_name(context: Any) -> Any:
        if context is None:
            return None
        ident = getattr(context, "identifier", context)
        if ident == DATASET_DEFAULT_GRAPH_ID:
            return None  # the union, which is what a default-union Dataset's default graph means
        return ox_graph(ident)


class OxigraphStore(LocalStore):
    """igkg's graphs in a pyoxigraph store; SPARQL runs on Oxigraph itself."""

    engine = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.ox = store
        self._dataset: Dataset | None = None

    @classmethod
    def open(cls, folder: Path) -> OxigraphStore:
        """A compiled store folder, read-only."""
        return cls(ox.Store.read_only(str(folder)))

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            ds = Dataset(store=OxigraphView(self.ox), default_union=True)
            for prefix, ns in PREFIXES.items():
                ds.bind(prefix, ns)
            self._dataset = ds
        return self._dataset

    def query(self, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        # A query that names graphs asks for the inferred graph by its name, which only the view
        # gives it (the store keeps it as the default graph).
        if names_graphs(text):
            return rdflib_query(self.dataset, text, bindings)
        # Oxigraph's own substitutions want each variable in the projection; the text-level
        # substitution binds it everywhere, as rdflib's initBindings do.
        result = self._run(substitute(text, bindings) if bindings else text)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(variables=(), rows=(), boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = tuple(v.value for v in result.variables)
            with gc_paused():
                rows = tuple(tuple([None if t is None else to_rdflib(t) for t in solution]) for solution in result)
            return QueryResult(variables=variables, rows=rows)
        g = Graph()
        for t in result:
            g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
        return QueryResult(variables=(), rows=(), graph=g)

    def query_many(self, texts: Sequence[str]) -> list[QueryResult]:
        # Oxigraph evaluates a query without holding the GIL: one thread per core.
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            return list(pool.map(self.query, texts))

    def values(self, text: str) -> list[tuple[str | None, ...]]:
        # Strings straight from Oxigraph's terms: no rdflib term is made.
        with gc_paused():
            return [tuple(None if t is None or isinstance(t, ox.BlankNode) else t.value for t in row) for row in self._run(text)]

    def _match(self, end: str, nodes: Sequence[RDFNode], verbs: tuple[URIRef, ...]) -> list[Triple]:
        return self._match_in_sparql(end, nodes, verbs)  # one query, not a pattern per node

    def lines(self, graphs: tuple[URIRef, ...], *, quads: bool) -> Collection[str]:
        # Oxigraph's own N-Triples writer, whose forms are those of terms.nt.
        def dump(name: URIRef) -> list[str]:
            buf = io.BytesIO()
            self.ox.dump(buf, format=ox.RdfFormat.N_TRIPLES, from_graph=ox_graph(name))
            return [line for line in buf.getvalue().decode("utf-8").split("\n") if line]

        if not quads:  # a triple two graphs hold is one line of the merge
            return {line for name in graphs for line in dump(name)}
        # "s p o ." becomes "s p o <graph> .": distinct already, as no graph holds a triple twice.
        return [line[:-2] + f" {name.n3()} ." for name in graphs for line in dump(name)]

    def _run(self, text: str) -> Any:
        """Oxigraph's answer over the union of igkg's graphs; QueryError if it fails."""
        prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
        try:
            return self.ox.query(text, prefixes=prefixes, use_default_graph_as_union=True)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed on the Oxigraph store: {' '.join(str(exc).split())}") from None

    # -- compiled graphs ------------------------------------------------------------

    suffix = ".oxigraph"

    @staticmethod
    def versions() -> str:
        import rdflib

        return f"rdflib-{rdflib.__version__}-pyoxigraph-{ox.__version__}"

    @classmethod
    def compile(cls, sources: SourceSet, path: Path | None, reasoner: str, progress: Progress = SILENT,
                full: bool = False) -> tuple[OxigraphStore, dict[str, float]]:
        """Load and reason the sources into a store folder at ``path`` (moved into place when
        complete), or into memory."""
        from .oxigraph_compile import compile_into, compile_store

        if path is None:
            store = ox.Store()
            return cls(store), compile_into(store, sources, reasoner, progress, full=full)
        timings = compile_store(sources, path, reasoner, progress, full)
        return cls.open(path), timings
