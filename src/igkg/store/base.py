"""The one interface every store answers, and what all stores share.

igkg keeps four graphs (ontology, data, user, inferred; see vocab.py). A store holds them and
answers two kinds of question:

- triple patterns through ``dataset``, an rdflib Dataset whose default graph is the union of
  the four, for the node-by-node reading of show and describe;
- SPARQL through ``query``, over the union of the four, each also visible by name (``GRAPH``).

Everything above the store package (lineage, show, stats, export, validation, the named
queries) is written once against ``GraphStore``; the engines differ only inside this package.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, URIRef
from rdflib.term import Node as RDFNode

from ..models import QueryResult
from ..vocab import ASSERTED_GRAPHS, GRAPH_INFERRED

if TYPE_CHECKING:
    from ..pipeline.load import SourceSet
    from ..progress import Progress

Triple = tuple[RDFNode, RDFNode, RDFNode]
# igkg's four graphs, the inferred one last.
GRAPHS = (*ASSERTED_GRAPHS, GRAPH_INFERRED)


def graph_key(graph: URIRef) -> str:
    """A graph's short name: the last segment of its IRI."""
    return str(graph).rsplit("/", 1)[-1]


class GraphStore:
    """A store of igkg's graphs. Subclasses give ``dataset`` and ``query``; the other methods
    have portable forms here, which an engine may answer faster in its own way."""

    #: What the store is, for messages and reports: "oxigraph", "memory" or "remote".
    engine = "abstract"
    #: How validation checks the SHACL shapes here: "sparql" (as queries on the store itself) or
    #: "pyshacl" (the reference, on a copy of the graph), for an engine that cannot run those queries.
    shacl_engine = "sparql"

    #: Whether the store resolves names itself (``name_keys``), as a remote store does from the
    #: names graph a push wrote; otherwise igkg indexes the names on this machine (analysis/names.py).
    holds_names = False

    @property
    def dataset(self) -> Dataset:
        """The graphs as an rdflib Dataset (default graph: their union)."""
        raise NotImplementedError

    def query(self, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        """SPARQL over the union of igkg's graphs, with ``bindings`` put in place of their
        variables as a prepared statement would; QueryError if the engine refuses it."""
        raise NotImplementedError

    def query_many(self, texts: Sequence[str]) -> list[QueryResult]:
        """Several queries; the results in the order of ``texts``."""
        return [self.query(text) for text in texts]

    def values(self, text: str) -> list[tuple[str | None, ...]]:
        """The rows of a SELECT as lexical values (None for a blank node or an unbound variable)."""
        from rdflib import BNode

        return [tuple(None if t is None or isinstance(t, BNode) else str(t) for t in row) for row in self.query(text).rows]

    def facts(self, subjects: Iterable[URIRef], verbs: tuple[URIRef, ...], fetched: set[URIRef] | None = None) -> list[Triple]:
        """The triples with one of ``verbs`` about ``subjects`` and, step by step, about the IRIs
        among their values. Subjects in ``fetched`` are skipped, and those read are added to it,
        so a caller that keeps the facts asks for each node once."""
        found: list[Triple] = []
        fetched = set() if fetched is None else fetched
        frontier = set(subjects) - fetched
        while frontier:
            step = self.triples_from(sorted(frontier), verbs)
            found += step
            fetched |= frontier
            frontier = {o for _, _, o in step if isinstance(o, URIRef)} - fetched
        return found

    def triples_from(self, subjects: Sequence[RDFNode], verbs: Iterable[URIRef]) -> list[Triple]:
        """The triples with one of ``verbs`` whose subject is one of ``subjects``: one query for all."""
        return self._match("s", subjects, tuple(verbs))

    def triples_to(self, objects: Sequence[RDFNode], verbs: Iterable[URIRef]) -> list[Triple]:
        """The triples with one of ``verbs`` whose object is one of ``objects``: one query for all."""
        return self._match("o", objects, tuple(verbs))

    def _match(self, end: str, nodes: Sequence[RDFNode], verbs: tuple[URIRef, ...]) -> list[Triple]:
        """triples_from (``end`` "s") or triples_to ("o"), through ``dataset``'s triple patterns."""
        wanted = set(verbs)
        ds = self.dataset
        if end == "s":
            return [t for n in nodes for t in ds.triples((n, None, None)) if t[1] in wanted]
        return [t for n in nodes for t in ds.triples((None, None, n)) if t[1] in wanted]

    def _match_in_sparql(self, end: str, nodes: Sequence[RDFNode], verbs: tuple[URIRef, ...]) -> list[Triple]:
        """_match as one SPARQL query for the IRIs, for an engine whose query is faster than its
        triple patterns. A filter on the verb rather than VALUES: Oxigraph then scans each node's
        triples once. A blank node cannot be named in a query: its triples are read by pattern."""
        iris = [n for n in nodes if isinstance(n, URIRef)]
        found: list[Triple] = []
        if iris and verbs:
            values = " ".join(t.n3() for t in iris)
            allowed = ", ".join(p.n3() for p in verbs)
            text = f"SELECT ?s ?p ?o WHERE {{ VALUES ?{end} {{ {values} }} ?s ?p ?o FILTER(?p IN ({allowed})) }}"
            found += self.query(text).rows  # type: ignore[arg-type]
        others = [n for n in nodes if not isinstance(n, URIRef)]
        return found + GraphStore._match(self, end, others, verbs) if others else found

    def name_keys(self, key: str | None = None) -> list[tuple[str, int, str]]:
        """(normalised key, title flag, node IRI) rows of the store's own names index: those of
        ``key``, or all of them. Only where ``holds_names``."""
        raise NotImplementedError

    def lines(self, graphs: tuple[URIRef, ...], *, quads: bool) -> Collection[str]:
        """The N-Triples lines of ``graphs`` merged (each triple once), or their N-Quads lines."""
        return dataset_lines(self.dataset, graphs, quads=quads)

    def size(self, graph: URIRef) -> int:
        """How many triples one of igkg's graphs holds."""
        return len(self.dataset.graph(graph))

    def counts(self) -> dict[str, int]:
        """Triples per graph, keyed by the graph's short name (ontology, data, user, inferred)."""
        return {graph_key(g): self.size(g) for g in GRAPHS}


def dataset_lines(ds: Dataset, graphs: tuple[URIRef, ...], *, quads: bool) -> Collection[str]:
    """GraphStore.lines, read from the triples of a Dataset."""
    from .terms import nt

    if not quads:
        return {f"{nt(s)} {nt(p)} {nt(o)} ." for g in graphs for s, p, o in ds.graph(g)}
    return [f"{nt(s)} {nt(p)} {nt(o)} {nt(g)} ." for g in graphs for s, p, o in ds.graph(g)]


class LocalStore(GraphStore):
    """A store on this machine, which igkg compiles and keeps in its cache folder."""

    #: The compiled graph's file or folder name ends with this.
    suffix = ""

    @staticmethod
    def versions() -> str:
        """The versions of the libraries whose files the compiled graph is, for the cache key."""
        raise NotImplementedError

    @classmethod
    def open(cls, path: Path) -> LocalStore:
        """A graph ``compile`` kept at ``path``; an exception if it is missing or damaged."""
        raise NotImplementedError

    @classmethod
    def compile(cls, sources: SourceSet, path: Path | None, reasoner: str, progress: Progress,
                full: bool = False) -> tuple[LocalStore, dict[str, float]]:
        """Load and reason the sources (the full OWL RL closure, or the part igkg reads); keep the
        result at ``path`` if given. Returns the store and the seconds each stage took."""
        raise NotImplementedError


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block, which makes many objects none of which is
    garbage (a query's rows, the closure's tuples): a collection there walks them all for nothing.
    Used where bench/README.md shows a target missed without it; the collector is left as found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
