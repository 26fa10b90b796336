"""The compiled graph a command works on: a store, the sources it was compiled from, the build's
report, and what is read from it and kept (name index, citation network, catalog)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, URIRef

from .analysis.names import RefIndex, node_by_iri
from .analysis.network import CitationNetwork
from .errors import RefNotFound
from .models import BuildReport
from .pipeline.load import SourceSet, asserted_graph
from .store import GraphStore
from .vocab import GRAPH_INFERRED

_HAS_NUMBER = re.compile(r"\d|\u00a7|\u00b6")

if TYPE_CHECKING:
    from .extract.catalog import Catalog


@dataclass
class KnowledgeGraph:
    """A compiled graph: asserted named graphs plus the inferred graph, queried as their union."""

    store: GraphStore
    sources: SourceSet
    report: BuildReport
    # Where the name index is kept (None: built in memory when first asked for).
    index_file: Path | None = None
    # Compiles the same sources with the full OWL RL closure (None: this graph has it).
    compile_full: Callable[[], KnowledgeGraph] | None = field(default=None, repr=False)

    def full(self) -> KnowledgeGraph:
        """This graph with the whole OWL RL closure inferred (for export, push and the user's own
        SPARQL), compiled when first asked for and cached as any compiled graph."""
        return self if self.compile_full is None else self._full

    @cached_property
    def _full(self) -> KnowledgeGraph:
        assert self.compile_full is not None
        return self.compile_full()

    @property
    def dataset(self) -> Dataset:
        return self.store.dataset

    def asserted(self) -> Graph:
        return asserted_graph(self.dataset)

    def inferred(self) -> Graph:
        return self.dataset.graph(GRAPH_INFERRED)

    def resolve(self, ref: str) -> URIRef:
        """The node ``ref`` names; the IRI or prefixed name of a node in the graph is taken as it
        is, as the index itself would take it first. What the name index does not know is read
        as the extractor reads a text ("Resolution 102 of the 2010 Plenipotentiary Conference"):
        one resolver for what people type and what texts say."""
        direct = node_by_iri(self.dataset, ref)
        if direct is not None:
            return direct
        try:
            return self.index.resolve(ref)
        except RefNotFound as missed:
            # The index knew why it failed; a remote store, whose whole catalogue is no lookup to read;
            # or no number in it: what the extractor reads beyond names is numbered (resolutions, paragraphs, years).
            if missed.reason or self.store.holds_names or not _HAS_NUMBER.search(ref):
                raise
            return self._as_written(ref, missed)

    def _as_written(self, ref: str, missed: RefNotFound) -> URIRef:
        from .analysis.names import read_as_text
        from .extract import extract_text

        return read_as_text(ref, lambda text: extract_text(text, self.catalog, correct=False), missed)

    @cached_property
    def index(self) -> RefIndex:
        """Names, aliases and symbols of the graph, for resolving what people type: the file
        beside the compiled graph, written by the build (or again, when missing or damaged)."""
        return RefIndex.open(self.store, self.index_file)

    @cached_property
    def catalog(self) -> Catalog:
        """Numbers, names, bodies, meetings and verb forms, for reading references out of texts."""
        from .extract.catalog import Catalog

        return Catalog.build(self.dataset)

    @cached_property
    def network(self) -> CitationNetwork:
        """The references and paragraph structure, for lineage, paths, show and stats: read from
        the store as a walk reaches them, and kept for the next walk."""
        return CitationNetwork(self.store)
