"""Stage 1: read the ontology, the bundled data and any user files into one Dataset."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.notation3 import BadSyntax

from .. import resources
from ..errors import SourceFileError
from ..vocab import ASSERTED_GRAPHS, GRAPH_DATA, GRAPH_ONTOLOGY, GRAPH_USER, PREFIXES


@dataclass(frozen=True)
class SourceSet:
    """The files a graph is compiled from, grouped by the named graph they go to."""

    ontology: tuple[Path, ...]
    data: tuple[Path, ...]
    user: tuple[Path, ...] = ()

    def all(self) -> tuple[tuple[URIRef, Path], ...]:
        return (
            tuple((GRAPH_ONTOLOGY, p) for p in self.ontology)
            + tuple((GRAPH_DATA, p) for p in self.data)
            + tuple((GRAPH_USER, p) for p in self.user)
        )


def default_sources(extra: Iterable[str | Path] = (), include_user_dir: bool = True) -> SourceSet:
    """The bundled ontology and data, the user data folder, and any extra files."""
    user: list[Path] = []
    udir = resources.user_data_dir()
    if include_user_dir and udir.is_dir():
        # Dot files are temporary files of a write in progress, never data.
        user.extend(sorted(p for p in udir.rglob("*") if p.suffix in resources.RDF_SUFFIXES and not p.name.startswith(".")))
    user.extend(Path(p) for p in extra)
    return SourceSet(
        ontology=(resources.ontology_file(),),
        data=tuple(resources.data_files()),
        user=tuple(user),
    )


def read_source(path: Path) -> tuple[str, bytes]:
    """The RDF format (by suffix) and bytes of a source file; SourceFileError for a folder, an
    unknown suffix or an unreadable file. Both backends' loaders start here."""
    if path.is_dir():
        raise SourceFileError(str(path), "is a directory; give RDF files (.ttl or .nt)")
    fmt = resources.RDF_SUFFIXES.get(path.suffix)
    if fmt is None:
        raise SourceFileError(str(path), f"unknown RDF file type {path.suffix!r} (use .ttl or .nt)")
    try:
        return fmt, path.read_bytes()
    except OSError as exc:
        raise SourceFileError(str(path), exc.strerror or str(exc)) from None


def parse_file(path: Path, into: Graph | None = None) -> Graph:
    """Parse one RDF file, turning parser failures into a SourceFileError with its line."""
    fmt, data = read_source(path)
    graph = into if into is not None else Graph()
    try:
        graph.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise SourceFileError(str(path), f"bad syntax: {exc._why}", line=exc.lines + 1) from None
    except (ParserError, ValueError, UnicodeDecodeError) as exc:
        raise SourceFileError(str(path), str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    return graph


def asserted_graph(ds: Dataset) -> Graph:
    """A plain Graph with the triples of every asserted named graph (ontology, data, user)."""
    g = Graph()
    for name in ASSERTED_GRAPHS:
        for t in ds.graph(name):
            g.add(t)
    return g


def load(sources: SourceSet) -> Dataset:
    """Read every source file into its named graph of a fresh Dataset."""
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    for graph_name, path in sources.all():
        parse_file(path, into=ds.graph(graph_name))
    return ds
