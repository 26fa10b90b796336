"""The pipeline's driver: load → reason → (validate), into a store, cached between calls.

A compiled graph is kept in the cache folder under a fingerprint of every input (files, rules,
the code that reasons and loads, the engine and its versions), so a call reuses it until a
source changes. Beside it: its report (``.json``) and its name index (``.names.sqlite``, see
analysis/names.py), written by the build and rebuilt when missing or damaged.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sys
from functools import partial
from pathlib import Path

from .. import resources
from ..files import exclusive, write_atomic
from ..graph import KnowledgeGraph
from ..models import BuildReport
from ..progress import SILENT, Progress
from ..store import GraphStore, LocalStore, engine
from ..store.base import GRAPHS, graph_key
from .load import SourceSet, default_sources

# Bump when the compiled form changes meaning, so old caches are not reused.
CACHE_FORMAT = "7"
# Compiled graphs kept in the cache folder; older ones are deleted when a new one is written.
CACHE_KEEP = 16

_GRAPH_KEYS = {graph_key(g) for g in GRAPHS}
_PACKAGE = Path(__file__).resolve().parent.parent
# The code that decides what a compiled graph holds is an input too.
_COMPILING_CODE = ("pipeline/reason.py", "pipeline/closure.py", "pipeline/load.py", "store/oxigraph_compile.py", "store/memory.py")


def fingerprint(sources: SourceSet, reasoner: str, store: type[LocalStore], full: bool = False) -> str:
    """A hash of every input that the compiled graph depends on."""
    closure = "full" if full else "read"
    h = hashlib.sha256(f"igkg-cache-{CACHE_FORMAT}-{reasoner}-{closure}-{store.engine}-{store.versions()}-py{sys.version_info[:2]}".encode())
    rules = [(None, p) for p in sorted(resources.rules_dir().glob("*.rq"))] + [(None, _PACKAGE / c) for c in _COMPILING_CODE]
    if not full:  # what is materialised follows from what the texts read (reason.read_terms)
        rules += [(None, p) for p in (*sorted(resources.queries_dir().glob("*.rq")), *sorted(resources.checks_dir().glob("*.rq")),
                                      resources.shapes_file())]
    for graph, path in (*sources.all(), *rules):
        h.update(f"\0{graph}\0{path.name}\0".encode())
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"<missing>")  # load() reports the missing file with its name
    return h.hexdigest()


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
    full: bool = False,
) -> KnowledgeGraph:
    """Load, reason and optionally validate; reuse the cached result when the inputs are unchanged.

    ``rebuild`` ignores a fresh cache but still writes the new one; ``use_cache=False``
    neither reads nor writes it. ``backend`` names the store engine (default: IGKG_BACKEND, or
    oxigraph). ``full`` infers the whole OWL RL closure rather than the part igkg's queries,
    checks and commands read (reason.py); the graph's ``full()`` compiles it when asked for.
    """
    from .reason import default_reasoner

    sources = sources or default_sources(extra)
    reasoner = reasoner or default_reasoner()
    kind = engine(backend)
    path = resources.cache_dir() / f"compiled-{fingerprint(sources, reasoner, kind, full)[:24]}{kind.suffix}"
    meta_file = path.with_suffix(".json")
    store: GraphStore | None = None
    meta: dict = {}
    from_cache = False
    repaired = None
    if use_cache and not rebuild and path.exists() and meta_file.is_file():
        store, meta, repaired = _open_kept(kind, path, meta_file)
        from_cache = store is not None
    with contextlib.ExitStack() as held:
        if store is None and use_cache:
            try:
                # One builder of a compiled graph at a time, until its report is written: a second
                # waits, then reads what the first built rather than deleting it under its reader.
                held.enter_context(exclusive(path.with_suffix(".lock")))
                if not rebuild and path.exists() and meta_file.is_file():
                    store, meta, repaired = _open_kept(kind, path, meta_file)
                    from_cache = store is not None
                if store is None:
                    store, meta = kind.compile(sources, path, reasoner, progress, full)
            except OSError:
                store = None  # the store's own folder could not be written: compile in memory below
        if store is None:
            store, meta = kind.compile(sources, None, reasoner, progress, full)
        written = from_cache
        if not from_cache:
            meta = {**meta, "triples": store.counts(), "files": _signature(path) if path.exists() else None}
            if use_cache and path.exists():  # kept: its report goes beside it
                try:
                    write_atomic(meta_file, json.dumps(meta).encode())
                    written = True
                except OSError:
                    pass  # a read-only cache folder only costs speed
                _prune(path.parent)
    report = _report(store, meta, from_cache=from_cache, cache_file=str(path) if written else None, full=full, repaired=repaired)
    widen = None if full else partial(compile_graph, sources=sources, use_cache=use_cache, reasoner=reasoner,
                                      backend=kind.engine, progress=progress, full=True)
    kg = KnowledgeGraph(store=store, sources=sources, report=report, compile_full=widen,
                        index_file=path.with_suffix(".names.sqlite") if written else None)
    # The full closure's graph names the same nodes: its own index is built only if a name is asked of it.
    if not from_cache and written and not full:
        with progress.stage("writing the name index"):
            kg.index  # noqa: B018 - built now and kept beside the compiled graph
    if validate:
        from .validate import validate_store  # pySHACL is slow to import; most calls skip it

        with progress.stage("validating (SHACL shapes and hygiene checks)"):
            kg.report = BuildReport(**{**report.__dict__, "validation": validate_store(store)})
    return kg


def _open_kept(kind: type[LocalStore], path: Path, meta_file: Path) -> tuple[GraphStore | None, dict, str | None]:
    """The compiled graph kept at ``path`` with its report, if it is whole: its files as the build
    left them (names, sizes, times). Otherwise (None, {}, why), and it is built again: a damaged
    store is never trusted, nor read by a query that could run away on it."""
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("files") != _signature(path):
            return None, {}, f"the compiled graph {path.name} was changed since it was built; rebuilt it from the sources"
        return kind.open(path), meta, None
    except Exception:  # a damaged or locked compiled graph is rebuilt, never trusted
        return None, {}, None


def _signature(path: Path) -> list[list]:
    """Each file of a compiled graph (a folder, or one file) with its size and time: what a
    build left, which a later write, even of a few bytes, changes."""
    files = sorted(path.iterdir()) if path.is_dir() else [path]
    return [[f.name, st.st_size, st.st_mtime_ns] for f in files for st in (f.stat(),)]


def _prune(folder: Path) -> None:
    """Keep the newest CACHE_KEEP compiled graphs (files or store folders) and delete the rest."""
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


def _report(store: GraphStore, meta: dict, *, from_cache: bool, cache_file: str | None, full: bool,
            repaired: str | None = None) -> BuildReport:
    counts = meta.get("triples")  # the counts the build recorded
    if not (isinstance(counts, dict) and set(counts) == _GRAPH_KEYS):
        counts = store.counts()
    return BuildReport(
        triples=counts,
        load_seconds=meta.get("load_seconds", 0.0),
        reason_seconds=meta.get("reason_seconds", 0.0),
        from_cache=from_cache,
        cache_file=cache_file,
        full_closure=full,
        repaired=repaired,
    )
