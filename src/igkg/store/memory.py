"""The reference store: igkg's graphs in an rdflib Dataset, queried by rdflib's SPARQL engine.

It is what the tests compare the Oxigraph store with, not the path for scale: it runs the same
SPARQL texts, which are written for Oxigraph's planner and may be slower here.
"""

from __future__ import annotations

import contextlib
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef
from rdflib.query import Result
from rdflib.term import Node as RDFNode

from ..errors import QueryError
from ..files import write_atomic
from ..models import QueryResult
from ..progress import SILENT, Progress
from ..vocab import GRAPH_INFERRED, PREFIXES
from .base import LocalStore

if TYPE_CHECKING:
    from ..pipeline.load import SourceSet


def new_dataset() -> Dataset:
    """An empty Dataset whose default graph is the union of its named graphs."""
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def prepare(text: str) -> Any:
    """rdflib's parsed form of a query; the parser's error (a pyparsing ParseException) as raised."""
    from rdflib.plugins.sparql import prepareQuery  # the grammar is built on first import

    return prepareQuery(text, initNs=dict(PREFIXES))


def rdflib_query(dataset: Dataset, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
    """rdflib's answer to SPARQL over ``dataset``, bindings given as initial bindings."""
    try:
        return query_result(dataset.query(prepare(text), initBindings=dict(bindings or {})))  # type: ignore[arg-type]
    except Exception as exc:
        raise QueryError(f"query failed on the rdflib store: {' '.join(str(exc).split())}") from None


def query_result(result: Result) -> QueryResult:
    """igkg's form of an rdflib result: an ASK answer, a CONSTRUCT's graph, or SELECT rows."""
    if result.type == "ASK":
        return QueryResult(variables=(), rows=(), boolean=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult(variables=(), rows=(), graph=result.graph)
    return QueryResult(variables=tuple(str(v) for v in result.vars or ()), rows=tuple(tuple(row) for row in result))  # type: ignore[arg-type]


class MemoryStore(LocalStore):
    """igkg's graphs in an rdflib Dataset."""

    engine = "memory"
    # rdflib's engine casts literals otherwise than Oxigraph does, which the shapes' queries test.
    shacl_engine = "pyshacl"

    def __init__(self, dataset: Dataset | None = None) -> None:
        self._dataset = dataset if dataset is not None else new_dataset()

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def query(self, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        return rdflib_query(self._dataset, text, bindings)

    # -- compiled graphs ------------------------------------------------------------

    suffix = ".pickle"

    @staticmethod
    def versions() -> str:
        import rdflib

        return f"rdflib-{rdflib.__version__}"

    @classmethod
    def open(cls, path: Path) -> MemoryStore:
        """A compiled graph written by ``compile``; ValueError if the file holds something else."""
        with path.open("rb") as fh:
            ds = pickle.load(fh)
        if not isinstance(ds, Dataset):
            raise ValueError(f"{path} holds no compiled graph")
        return cls(ds)

    @classmethod
    def compile(cls, sources: SourceSet, path: Path | None, reasoner: str, progress: Progress = SILENT,
                full: bool = False) -> tuple[MemoryStore, dict[str, float]]:
        """Compile the sources as the Oxigraph store does (one compile path for every engine),
        then hold the graphs in an rdflib Dataset; keep it in ``path`` (a pickle) if given."""
        import pyoxigraph as ox

        from .oxigraph_compile import compile_into
        from .terms import to_rdflib

        scratch = ox.Store()
        timings = compile_into(scratch, sources, reasoner, progress, full=full)
        ds = new_dataset()
        graphs: dict[Any, Graph] = {}
        for q in scratch.quads_for_pattern(None, None, None, None):
            name = q.graph_name
            if name not in graphs:  # the store's default graph holds the inferred triples
                graphs[name] = ds.graph(GRAPH_INFERRED if isinstance(name, ox.DefaultGraph) else URIRef(name.value))
            graphs[name].add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        if path is not None:
            with contextlib.suppress(OSError):  # not kept: the compiled graph is still good
                write_atomic(path, pickle.dumps(ds, protocol=pickle.HIGHEST_PROTOCOL))
        return cls(ds), timings
