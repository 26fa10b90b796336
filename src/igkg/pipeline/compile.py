"""The pipeline: load → reason → (validate) → cache, and the compiled KnowledgeGraph.

A compiled dataset is cached (a pickle of the rdflib Dataset) under a fingerprint of every input file,
so a CLI call reuses it until a source changes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import rdflib
from rdflib import Dataset, Graph, URIRef

from .. import pickles, resources
from ..analysis.lineage import CitationNetwork
from ..analysis.names import RefIndex, node_by_iri
from ..models import BuildReport
from ..progress import SILENT, Progress
from ..vocab import ASSERTED_GRAPHS, GRAPH_INFERRED, PREFIXES
from .load import SourceSet, asserted_graph, default_sources, load

if TYPE_CHECKING:
    from ..extract.catalog import Catalog

# Bump when the compiled form changes meaning, so old caches are not reused.
CACHE_FORMAT = "5"
# Where a compiled graph lives: "oxigraph" (an on-disk pyoxigraph store, opened read-only
# without parsing) or "memory" (an rdflib Dataset, cached as a pickle). IGKG_BACKEND picks.
# Oxigraph is the default because it is faster on every axis, even on the shipped corpus: a
# cold lookup 0.35-0.9 s against 0.8-1.4 s, the first build 1.9 s against 3.4 s, and less
# memory (bench/README.md). memory stays as the pure-rdflib path the tests compare it with.
BACKENDS = ("memory", "oxigraph")
# Compiled graphs kept in the cache folder; older ones are deleted when a new one is written.
CACHE_KEEP = 16

_GRAPH_KEYS = {g: g.split("/")[-1] for g in (*ASSERTED_GRAPHS, GRAPH_INFERRED)}


@dataclass
class KnowledgeGraph:
    """A compiled graph: asserted named graphs plus the inferred graph, queried as their union."""

    dataset: Dataset
    sources: SourceSet
    report: BuildReport
    # Where the citation network of this compiled graph is kept once read (None: not kept).
    network_file: Path | None = None
    # Where the build kept the name index (None: built when first asked for).
    index_file: Path | None = None

    def asserted(self) -> Graph:
        return asserted_graph(self.dataset)

    def inferred(self) -> Graph:
        return self.dataset.graph(GRAPH_INFERRED)

    def resolve(self, ref: str) -> URIRef:
        """The node ``ref`` names, as ``index.resolve`` finds it; the IRI or prefixed name of a
        node in the graph is taken as it is, without reading the name index (0.24 s at 10,000
        instruments), as the index itself would take it first."""
        return node_by_iri(self.dataset, ref) or self.index.resolve(ref)

    @cached_property
    def index(self) -> RefIndex:
        """Names, aliases and symbols of the graph, for resolving what people type.

        Read from ``index_file`` on first use, so that a command that resolves no name does not
        pay for it (0.25 s at 10,000 instruments); built from the graph where that file is
        missing or damaged."""
        if self.index_file is not None:
            try:
                with self.index_file.open("rb") as fh:
                    keys, titles = pickles.load(fh)
                return RefIndex(graph=self.dataset, keys=keys, titles=titles)
            except Exception:  # never trust a missing or damaged file: the graph has the names
                pass
        index = RefIndex.build(self.dataset)
        if self.index_file is not None:
            with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
                _write_index(self.index_file, index)
        return index

    @cached_property
    def catalog(self) -> Catalog:
        """Numbers, names, bodies, meetings and verb forms, for reading references out of texts."""
        from ..extract.catalog import Catalog

        return Catalog.build(self.dataset)

    @cached_property
    def network(self) -> CitationNetwork:
        """The references and paragraph structure, for lineage, paths and show.

        Read from the graph on first use and then kept in ``network_file``, which later calls
        unpickle instead: at 10,000 instruments reading the network takes 3-4 s and unpickling it
        0.4 s (see pickles.py); on the shipped corpus 0.09 s against a few milliseconds."""
        if self.network_file is not None:
            try:
                with self.network_file.open("rb") as fh:
                    return CitationNetwork(self.dataset, pickles.load(fh))
            except Exception:  # missing or damaged: read it again, never trust it
                pass
        net = CitationNetwork(self.dataset)
        if self.network_file is not None:
            with contextlib.suppress(OSError):  # a read-only cache folder only costs speed
                _write_atomic(self.network_file, pickles.dumps(net.state()))
        return net


def default_backend() -> str:
    name = os.environ.get("IGKG_BACKEND", "oxigraph")
    if name not in BACKENDS:
        from ..errors import IgkgError

        raise IgkgError(f"IGKG_BACKEND={name!r}: use one of {', '.join(BACKENDS)}")
    return name


def fingerprint(sources: SourceSet, reasoner: str = "fast", backend: str = "memory") -> str:
    """A hash of every input (files, rules, reasoner, backend, format version) that the compiled graph depends on."""
    versions = f"rdflib-{rdflib.__version__}"
    if backend == "oxigraph":
        import pyoxigraph

        versions += f"-pyoxigraph-{pyoxigraph.__version__}"
    h = hashlib.sha256(f"igkg-cache-{CACHE_FORMAT}-{reasoner}-{backend}-{versions}-py{sys.version_info[:2]}".encode())
    # The reasoning and loading code decides what the compiled graph holds, so it is an input too.
    here = Path(__file__).parent
    code = [here / "reason.py", here / "closure.py", here.parent / "store" / "oxigraph.py"]
    rules = [(None, p) for p in sorted(resources.rules_dir().glob("*.rq"))] + [(None, p) for p in code]
    for graph, path in (*sources.all(), *rules):
        h.update(f"\0{graph}\0{path.name}\0".encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<missing>")  # load() reports the missing file with its name
    return h.hexdigest()


def _counts(ds: Dataset) -> dict[str, int]:
    return {key: len(ds.graph(g)) for g, key in _GRAPH_KEYS.items()}


def _new_dataset() -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def _writable(path: Path, make_folder: bool = True) -> None:
    """The error a write to ``path`` would end in, raised before any work is done: ``path`` is a
    folder, or (unless ``make_folder``) its folder is not there."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory; give a file name", str(path))
    if not make_folder and not path.parent.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(path.parent))


def _write_atomic(path: Path, data: bytes, make_folder: bool = True) -> None:
    """Write through a temporary file and rename, so a failed write never leaves half a file.
    igkg's own folders (the cache, the user data) are made; a folder a user names is not."""
    _writable(path, make_folder)
    if make_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_cache(cache_file: Path, meta_file: Path) -> tuple[Dataset, RefIndex, dict] | None:
    if not (cache_file.is_file() and meta_file.is_file()):
        return None
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        # A pickle loads in 0.15-0.25 s where parsing N-Quads takes about a second, and this
        # is the first thing every CLI call does. The name index rides along (its terms are
        # the dataset's own objects in the pickle), so resolving a name costs nothing more.
        # The file is the user's own, written by this code for this rdflib version (both are
        # in the cache key).
        with cache_file.open("rb") as fh:
            ds, keys, titles = pickles.load(fh)
        if not isinstance(ds, Dataset):
            return None
    except Exception:  # a damaged cache is rebuilt, never trusted
        return None
    return ds, RefIndex(graph=ds, keys=keys, titles=titles), meta


def _write_cache(cache_file: Path, meta_file: Path, ds: Dataset, index: RefIndex, meta: dict) -> None:
    _write_atomic(cache_file, pickles.dumps((ds, index.keys, index.titles)))
    _write_atomic(meta_file, json.dumps(meta).encode())
    # Every compiled graph has its .json; keep the newest few, with whatever format they hold.
    _prune(cache_file.parent)


def _prune(folder: Path) -> None:
    """Keep the newest CACHE_KEEP compiled graphs (files or store folders) and delete the rest."""
    import shutil

    # Another igkg process may be pruning too: a file gone meanwhile is not an error.
    try:
        metas = sorted(folder.glob("compiled-*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in metas[CACHE_KEEP:]:
            for f in folder.glob(f"{old.stem}.*"):
                if f.is_dir():
                    shutil.rmtree(f, ignore_errors=True)
                else:
                    f.unlink(missing_ok=True)
    except OSError:
        pass


def compile_graph(
    extra: tuple[str | Path, ...] | list[str | Path] = (),
    *,
    sources: SourceSet | None = None,
    use_cache: bool = True,
    rebuild: bool = False,
    validate: bool = False,
    reasoner: str | None = None,
    backend: str | None = None,
    progress: Progress = SILENT,
) -> KnowledgeGraph:
    """Load, reason and optionally validate; reuse the cached result when the inputs are unchanged.

    ``rebuild`` ignores a fresh cache but still writes the new one; ``use_cache=False``
    neither reads nor writes it. ``backend`` is "oxigraph" (default, or IGKG_BACKEND) or "memory".
    """
    from .reason import default_reasoner

    sources = sources or default_sources(extra)
    reasoner = reasoner or default_reasoner()
    backend = backend or default_backend()
    key = fingerprint(sources, reasoner, backend)
    suffix = ".oxigraph" if backend == "oxigraph" else ".pickle"
    cache_file = resources.cache_dir() / f"compiled-{key[:24]}{suffix}"
    meta_file = cache_file.with_suffix(".json")
    compile_ = _compile_oxigraph if backend == "oxigraph" else _compile_memory
    ds, index, report = compile_(sources, cache_file, meta_file, use_cache, rebuild, reasoner, progress)
    if validate:
        from .validate import validate_dataset  # pySHACL is slow to import; most calls skip it

        with progress.stage("validating (SHACL shapes and hygiene checks)"):
            report = BuildReport(**{**report.__dict__, "validation": validate_dataset(ds)})
    index_file = _index_file(Path(report.cache_file)) if backend == "oxigraph" and report.cache_file else None
    kg = KnowledgeGraph(dataset=ds, sources=sources, report=report, network_file=_network_file(report.cache_file),
                        index_file=index_file)
    if index is not None:
        kg.__dict__["index"] = index  # fills the cached_property
    return kg


def _index_file(store: Path) -> Path:
    """Beside a compiled Oxigraph store, its name index (the memory backend's pickle holds its own)."""
    return store.with_suffix(".index")


def _write_index(path: Path, index: RefIndex) -> None:
    """What KnowledgeGraph.index reads back: the names, not the graph they point into."""
    _write_atomic(path, pickles.dumps((index.keys, index.titles)))


def _network_file(compiled: str | None) -> Path | None:
    """Beside a compiled graph, named by the code that reads the network too: the graph's
    fingerprint does not cover lineage.py, whose reading a new version may change."""
    if compiled is None:
        return None
    code = hashlib.sha256((Path(__file__).parent.parent / "analysis" / "lineage.py").read_bytes()).hexdigest()[:12]
    path = Path(compiled)
    return path.with_name(f"{path.stem}.{code}.network")


def _compile_memory(
    sources: SourceSet, cache_file: Path, meta_file: Path, use_cache: bool, rebuild: bool, reasoner: str, progress: Progress
) -> tuple[Dataset, RefIndex | None, BuildReport]:
    cached = _read_cache(cache_file, meta_file) if use_cache and not rebuild else None
    if cached is not None:
        ds, cached_index, meta = cached
        return ds, cached_index, _report(ds, meta, from_cache=True, cache_file=str(cache_file))
    from .reason import reason  # the reasoners are only needed when the cache is stale

    t0 = time.perf_counter()
    with progress.stage(f"loading {len(sources.all())} files"):
        ds = load(sources)
    t1 = time.perf_counter()
    with progress.stage(f"reasoning ({reasoner})"):
        reason(ds, reasoner)
    meta = {"load_seconds": t1 - t0, "reason_seconds": time.perf_counter() - t1, "triples": _counts(ds)}
    written: str | None = None
    index: RefIndex | None = None
    if use_cache:
        try:
            with progress.stage("writing the cache"):
                index = RefIndex.build(ds)
                _write_cache(cache_file, meta_file, ds, index, meta)
            written = str(cache_file)
        except OSError:
            written = None  # a read-only cache folder only costs speed
    return ds, index, _report(ds, meta, from_cache=False, cache_file=written)


def _compile_oxigraph(
    sources: SourceSet, folder: Path, meta_file: Path, use_cache: bool, rebuild: bool, reasoner: str, progress: Progress
) -> tuple[Dataset, RefIndex | None, BuildReport]:
    from ..store import oxigraph as faststore

    if use_cache and not rebuild and folder.is_dir() and meta_file.is_file():
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            ds = faststore.open_store(folder)
            # The name index is read from index_file when first asked for (KnowledgeGraph.index).
            return ds, None, _report(ds, meta, from_cache=True, cache_file=str(folder))
        except Exception:  # a damaged or locked store is rebuilt, never trusted
            pass
    if use_cache:
        try:
            timings = faststore.compile_store(sources, folder, reasoner, progress)
            ds = faststore.open_store(folder)
            meta = {**timings, "triples": _counts(ds)}
            with progress.stage("writing the name index"):
                index = RefIndex.build(ds)
                _write_index(_index_file(folder), index)
                _write_atomic(meta_file, json.dumps(meta).encode())
                _prune(folder.parent)
            return ds, index, _report(ds, meta, from_cache=False, cache_file=str(folder))
        except OSError:
            pass  # a read-only cache folder only costs speed: compile in memory instead
    import pyoxigraph

    memory = pyoxigraph.Store()
    meta = faststore.compile_into(memory, sources, reasoner, progress)
    ds = faststore.as_dataset(memory)
    return ds, None, _report(ds, meta, from_cache=False, cache_file=None)


def _report(ds: Dataset, meta: dict, *, from_cache: bool, cache_file: str | None) -> BuildReport:
    # The counts a build recorded: counting a compiled graph again on every call took 0.8 s of
    # a cold lookup at 10,000 instruments (one COUNT per graph on Oxigraph).
    counts = meta.get("triples")
    if not (isinstance(counts, dict) and set(counts) == set(_GRAPH_KEYS.values())):
        counts = _counts(ds)
    return BuildReport(
        triples=counts,
        load_seconds=meta["load_seconds"],
        reason_seconds=meta["reason_seconds"],
        from_cache=from_cache,
        cache_file=cache_file,
    )
