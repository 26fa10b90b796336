"""Compiling sources into an Oxigraph store: parse, run the citation rules, close under OWL RL,
write the derived triples to the inferred graph (the store's default graph, see oxigraph.py).

Oxigraph's bulk loader writes the source files on a background thread while this thread parses
the same bytes for the reasoner, so reasoning starts before the write ends. The reasoner works
on integers standing for the terms (``_Interner``): a tuple of small integers hashes without
calling into pyoxigraph, and the quads written at the end share one object per term.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ..errors import SourceFileError
from ..pipeline.load import SourceSet, read_source
from ..progress import SILENT, Progress
from ..vocab import ASSERTED_GRAPHS
from .base import gc_paused
from .terms import to_ox, to_rdflib

# The inferred graph is the store's default graph (oxigraph.ox_graph).
_INFERRED = ox.DefaultGraph()
# rdflib's format names (resources.RDF_SUFFIXES) → Oxigraph's.
_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


class _Interner(dict[Any, int]):
    """Terms to consecutive integers, and back through ``terms``."""

    def __init__(self) -> None:
        super().__init__()
        self.terms: list[Any] = []

    def __missing__(self, term: Any) -> int:
        i = self[term] = len(self.terms)
        self.terms.append(term)
        return i


class Loading:
    """The sources on their way into a store, and their triples for the reasoner.

    Oxigraph's bulk loader writes the files on a background thread (it releases the GIL) while
    this thread parses the same bytes and runs the citation rules (``_derived_by_rules``), so the
    reasoner starts long before the write ends. ``parsed`` holds the asserted
    triples and what the rules derive from them, as integers standing for the terms in ``ids`` (see ``_Interner``), or
    None where a file has blank nodes, whose labels each parse makes up afresh: the reasoner then
    reads the store, after ``wait``. A syntax error is a SourceFileError naming the file and
    line, raised here or by ``wait``.
    """

    @gc_paused()  # millions of interned tuples, none of them garbage
    def __init__(self, store: ox.Store, sources: SourceSet) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max_workers=1)
        self._writes: list[tuple[Path, Future[None]]] = []
        self.ids = ids = _Interner()
        self.parsed: tuple[set[tuple[int, int, int]], set[tuple[int, int, int]]] | None = None
        asserted: set[tuple[int, int, int]] | None = set()
        try:
            for graph_name, path in sources.all():
                fmt, data = read_source(path)
                rdf_format, base, graph = _FORMATS[fmt], path.resolve().as_uri(), ox.NamedNode(str(graph_name))
                self._writes.append((path, self._pool.submit(store.bulk_load, data, format=rdf_format, base_iri=base, to_graph=graph)))
                if asserted is None:
                    continue
                known = len(ids.terms)
                try:
                    # Interned as parsed: no set of pyoxigraph triples, whose every term the
                    # interner would hash again.
                    asserted.update((ids[t.subject], ids[t.predicate], ids[t.object])
                                    for t in ox.parse(data, format=rdf_format, base_iri=base))
                except SyntaxError as exc:
                    self.wait()  # the loader's error names the line; raise the parser's if it has none
                    raise _bad_syntax(path, exc) from None
                except MemoryError as exc:  # the parser's buffer limit: one term longer than it
                    raise SourceFileError(str(path), f"cannot be read: {exc} bytes (a single term, such as a literal, "
                                                     "is longer than the parser reads)") from None
                if any(isinstance(t, ox.BlankNode) for t in ids.terms[known:]):
                    asserted = None
            if asserted is not None:
                self.parsed = (asserted, _derived_by_rules(asserted, ids))
        except BaseException:
            self.close()
            raise

    def wait(self) -> None:
        """Until every file is on the store; SourceFileError for the first that is not."""
        try:
            for path, writing in self._writes:
                try:
                    writing.result()
                except SyntaxError as exc:
                    raise _bad_syntax(path, exc) from None
        finally:
            self.close()

    def close(self) -> None:
        """Stop: drop the writes not yet started, let the running one end. Safe to call twice."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def _derived_by_rules(asserted: set[tuple[int, int, int]], ids: _Interner) -> set[tuple[int, int, int]]:
    """What the citation rules derive from the interned triples, run on an in-memory store that
    holds only the triples they read (``reason.rule_patterns``), or all of them where that cannot
    be told: the rules then read a few percent of the graph."""
    from ..pipeline.reason import rule_patterns, rule_texts

    read = rule_patterns(rule_texts())
    terms, into = ids.terms, ox.NamedNode(str(ASSERTED_GRAPHS[0]))  # the rules read the asserted graphs' union
    if read is None:
        matched = asserted
    else:  # predicate → the objects it is read with, or None for any
        wanted = {ids[to_ox(p)]: None if objects is None else {ids[to_ox(o)] for o in objects} for p, objects in read.items()}
        matched = {t for t in asserted if t[1] in wanted and ((objects := wanted[t[1]]) is None or t[2] in objects)}
    copy = ox.Store()
    copy.bulk_extend([ox.Quad(terms[s], terms[p], terms[o], into) for s, p, o in matched])
    return {(ids[s], ids[p], ids[o]) for s, p, o in _rules(copy)}


def _bad_syntax(path: Path, exc: SyntaxError) -> SourceFileError:
    why = str(exc).split(": ", 1)[-1].split(" (")[0]
    return SourceFileError(str(path), f"bad syntax: {why}", line=exc.lineno)


def _asserted(store: ox.Store) -> set[tuple[Any, Any, Any]]:
    out: set[tuple[Any, Any, Any]] = set()
    for name in ASSERTED_GRAPHS:
        out.update((q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
    return out


def _rules(store: ox.Store) -> set[tuple[Any, Any, Any]]:
    from ..pipeline.reason import rule_texts

    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.NamedNode(str(g)) for g in ASSERTED_GRAPHS]
    derived: set[tuple[Any, Any, Any]] = set()
    for text in rule_texts():
        for t in store.query(text, default_graph=graphs):  # type: ignore[union-attr]
            derived.add((t.subject, t.predicate, t.object))
    return derived


@gc_paused()  # the closure's tuples, none of them garbage
def reason_store(store: ox.Store, reasoner: str = "fast", loading: Loading | None = None, scratch: Path | None = None,
                 full: bool = False) -> int:
    """Fill the inferred graph from the asserted ones (as ``loading`` parsed them, or read from the
    store): the full closure, or the part igkg reads (``reason.read_keep``); return how many
    triples it holds. Waits for ``loading`` before it writes; ``scratch`` is an empty folder for
    the files the write goes through (see ``_write``)."""
    from ..pipeline.closure import closure, owl_rl_closure, restrict, vocabulary
    from ..pipeline.reason import is_trivial, read_keep

    # The reasoner works on integers standing for the terms (see the module's docstring).
    if loading is not None and loading.parsed is not None:
        ids = loading.ids
        mine, rules = loading.parsed
    else:
        if loading is not None:
            loading.wait()
        ids = _Interner()
        mine = {(ids[s], ids[p], ids[o]) for s, p, o in _asserted(store)}
        rules = {(ids[s], ids[p], ids[o]) for s, p, o in _rules(store)}
    terms = ids.terms

    def named(iri: str) -> int:
        return ids[ox.NamedNode(iri)]

    given = mine | rules
    vocab = vocabulary(named, lambda t: ids[to_ox(t)])
    keep = None if full else read_keep(named, lambda i: terms[i].value if isinstance(terms[i], ox.NamedNode) else None)
    if reasoner == "fast":
        closed = closure(given, vocab, keep)
    else:  # the reference engine works on rdflib terms, and on the whole graph
        back = {(to_rdflib(terms[s]), to_rdflib(terms[p]), to_rdflib(terms[o])) for s, p, o in given}
        closed = {(ids[to_ox(s)], ids[to_ox(p)], ids[to_ox(o)]) for s, p, o in owl_rl_closure(back)}
        if keep is not None:
            closed = restrict(closed, given, keep, vocab)
    del given
    trivial = is_trivial(named, {i for i, t in enumerate(terms) if isinstance(t, ox.Literal)}.__contains__)
    ids.clear()
    # Filtered in one pass, and the closure dropped before the write: the peak memory is here,
    # and a second set of the derived triples would raise it.
    inferred = [t for t in closed if t not in mine and not trivial(t)]
    del closed
    if loading is not None:
        loading.wait()  # the derived quads go in after the asserted ones are written
    _write(store, terms, inferred, scratch)
    return len(inferred)


def _write(store: ox.Store, terms: list[Any], triples: list[tuple[int, int, int]], scratch: Path | None) -> None:
    """Add the triples (indexes into ``terms``) to the inferred graph through the bulk loader.

    With a ``scratch`` folder the triples go as two N-Triples files, each loaded by its own call
    on its own thread, which reads the file without the GIL: one call keeps only part of two
    cores busy, and the build's target is met with two (bench/README.md). Blank nodes cannot go as text, since the loader gives them new
    labels: a graph that has them goes in as quad objects, in one call, as it does without
    ``scratch``.
    """
    if scratch is None or any(isinstance(t, ox.BlankNode) for t in terms):
        store.bulk_extend(ox.Quad(terms[s], terms[p], terms[o], _INFERRED) for s, p, o in triples)
        return
    from concurrent.futures import ThreadPoolExecutor

    nt = [str(t) for t in terms]  # each term's N-Triples form, made once
    tail = " .\n"
    half = (len(triples) + 1) // 2
    with ThreadPoolExecutor(max_workers=2) as pool:
        writes = []
        for i, part in enumerate((triples[:half], triples[half:])):
            path = scratch / f"inferred-{i}.nt"
            with path.open("w", encoding="utf-8") as fh:
                fh.writelines(f"{nt[s]} {nt[p]} {nt[o]}{tail}" for s, p, o in part)
            # lenient: the text is Oxigraph's own rendering of terms it has already checked
            writes.append(pool.submit(store.bulk_load, path=str(path), format=ox.RdfFormat.N_TRIPLES, to_graph=_INFERRED, lenient=True))
        for w in writes:
            w.result()


def compile_into(
    store: ox.Store, sources: SourceSet, reasoner: str = "fast", progress: Progress = SILENT, scratch: Path | None = None,
    full: bool = False,
) -> dict[str, float]:
    """Load the sources into ``store`` and reason (the full closure, or the part igkg reads);
    return the seconds each stage took."""
    t0 = time.perf_counter()
    with progress.stage(f"loading {len(sources.all())} files (Oxigraph)"):
        loading = Loading(store, sources)
    t1 = time.perf_counter()
    try:
        with progress.stage(f"reasoning ({reasoner}{', full OWL RL closure' if full else ''})"):
            reason_store(store, reasoner, loading, scratch, full)
    finally:
        loading.close()  # no write may still run into a store the caller then deletes
    # The load stage ends when the sources are parsed; the rest of their write is in the reason stage.
    return {"load_seconds": t1 - t0, "reason_seconds": time.perf_counter() - t1}


def compile_store(sources: SourceSet, folder: Path, reasoner: str = "fast", progress: Progress = SILENT,
                  full: bool = False) -> dict[str, float]:
    """Compile the sources into a store in ``folder``; return the seconds each stage took.

    The store is built in a temporary sibling folder and moved into place at the end, so a
    failed build leaves the previous store as it was; a second sibling holds the files the
    derived quads go through, and is deleted either way. Files and derived triples go in by
    Oxigraph's bulk loader, which writes straight to disk, without holding the graph twice.
    """
    # Fixed names: the caller holds the build lock (pipeline/compile.py), so any such folder is
    # what a killed build left behind.
    tmp, scratch = folder.with_name(f".tmp-{folder.name}"), folder.with_name(f".scratch-{folder.name}")
    for stale in (tmp, scratch):
        shutil.rmtree(stale, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        store = ox.Store(str(tmp))
        meta = compile_into(store, sources, reasoner, progress, scratch, full)
        t0 = time.perf_counter()
        with progress.stage("compacting the store"):
            # Each bulk load leaves its own set of files; until they are merged every lookup
            # probes all of them.
            store.optimize()
        store.flush()
        del store  # closes the store's files before the folder moves
        # The old folder is moved aside, then the new one in: a reader never finds no store there.
        old = folder.with_name(f".old-{folder.name}")
        shutil.rmtree(old, ignore_errors=True)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {**meta, "persist_seconds": time.perf_counter() - t0}
