"""The fast embedded backend: the graph compiled into an on-disk pyoxigraph store.

``compile_store`` parses the sources with pyoxigraph, runs the citation rules and the fast
closure over pyoxigraph's own terms, and writes igkg's four graphs into a store folder.
``open_store`` opens such a folder read-only (no parsing) as an rdflib ``Dataset`` whose
store is ``OxigraphView``, so ``show``, ``lineage``, ``stats`` and ``export`` read it through
the same rdflib API as the in-memory graph, while SPARQL goes to Oxigraph itself
(``native_query``).

The inferred graph is the store's default graph, the asserted ones its named graphs: Oxigraph
indexes a default-graph triple three ways and a named-graph quad six, so at 10,000 instruments
the 1.4 million derived quads load in 6.2-6.5 s instead of 9.8-12.7 s and compact in 1.4-2.2 s
instead of 3.6-4.0 s (bench/README.md). Every reader goes through ``ox_graph``, and a query
that names graphs is answered by rdflib's engine over the view (query.run_query), so no
command can tell the layout from the memory backend's.
"""

from __future__ import annotations

import io
import shutil
import time
from collections.abc import Collection, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.store import Store
from rdflib.term import Node as RDFNode

from ..collector import paused
from ..errors import QueryError, SourceFileError
from ..pipeline.load import SourceSet, read_source
from ..models import QueryResult
from ..progress import SILENT, Progress
from ..vocab import ASSERTED_GRAPHS, GRAPH_INFERRED, PREFIXES, XSD

_XSD_STRING = ox.NamedNode(str(XSD.string))
_INFERRED = ox.DefaultGraph()
# rdflib's format names (resources.RDF_SUFFIXES) → Oxigraph's.
_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES}


# --- terms ---------------------------------------------------------------------------

@lru_cache(maxsize=1 << 18)
def to_rdflib(term: Any) -> RDFNode:
    """An rdflib term for a pyoxigraph one; xsd:string literals become plain, as rdflib parses them.

    Cached: reading a node asks for the same few terms again and again, and rdflib checks an
    IRI each time it makes one."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"no rdflib term for {term!r}")


@lru_cache(maxsize=1 << 16)
def to_ox(term: RDFNode) -> Any:
    """A pyoxigraph term for an rdflib one."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)) if term.datatype else None)
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"no Oxigraph term for {term!r}")


def ox_graph(name: URIRef) -> ox.NamedNode | ox.DefaultGraph:
    """Where the store keeps igkg's graph ``name``: the inferred graph is its default graph."""
    return _INFERRED if name == GRAPH_INFERRED else ox.NamedNode(str(name))


# --- the rdflib view ---------------------------------------------------------------------

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
        conv, no_contexts = to_rdflib, iter(())
        seen: set[tuple[Any, Any, Any]] = set()
        for q in quads:
            # Each attribute read builds a new Python object: read each once.
            key = (q.subject, q.predicate, q.object)
            if graph is None:
                if key in seen:
                    continue
                seen.add(key)
            yield (conv(key[0]), conv(key[1]), conv(key[2])), no_contexts

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
        # Only an in-memory store (a build without cache) takes writes; a compiled one is read-only.
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


def as_dataset(store: ox.Store) -> Dataset:
    ds = Dataset(store=OxigraphView(store), default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def open_store(folder: Path) -> Dataset:
    """The compiled store in ``folder``, read-only, as an rdflib Dataset."""
    return as_dataset(ox.Store.read_only(str(folder)))


def native_store(ds: Dataset) -> ox.Store | None:
    """The pyoxigraph store behind ``ds``, or None for an in-memory rdflib graph."""
    store = getattr(ds, "store", None)
    return store.ox if isinstance(store, OxigraphView) else None


# --- compiling -----------------------------------------------------------------------

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
    reasoner starts long before the write ends: at 10,000 instruments the write takes 5-10 s, the
    parse 2-3 s, and the closure runs during the rest of the write. ``parsed`` holds the asserted
    triples and what the rules derive from them, as integers standing for the terms in ``ids`` (see ``_Interner``), or
    None where a file has blank nodes, whose labels each parse makes up afresh: the reasoner then
    reads the store, after ``wait``. A syntax error is a SourceFileError naming the file and
    line, raised here or by ``wait``.
    """

    @paused()  # millions of interned tuples, none of them garbage (collector.py)
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
                    # interner would hash again (at 10,000 instruments 1.0 s and 100 MB less).
                    asserted.update((ids[t.subject], ids[t.predicate], ids[t.object])
                                    for t in ox.parse(data, format=rdf_format, base_iri=base))
                except SyntaxError as exc:
                    self.wait()  # the loader's error names the line; raise the parser's if it has none
                    raise _bad_syntax(path, exc) from None
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
    holds only the triples they read (``reason.rule_predicates``), or all of them where that cannot
    be told. At 10,000 instruments a copy of every triple took 3.1 s to load; the 220,648 the rule
    reads take 1.4 s to copy, and the rule 0.35 s to run."""
    from ..pipeline.reason import rule_predicates, rule_texts

    read = rule_predicates(rule_texts())
    wanted = None if read is None else {ids[ox.NamedNode(str(p))] for p in read}
    terms, into = ids.terms, ox.NamedNode(str(ASSERTED_GRAPHS[0]))  # the rules read the asserted graphs' union
    copy = ox.Store()
    copy.bulk_extend([ox.Quad(terms[s], terms[p], terms[o], into) for s, p, o in asserted if wanted is None or p in wanted])
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


@paused()  # the closure's tens of millions of tuples, none of them garbage (collector.py)
def reason_store(store: ox.Store, reasoner: str = "fast", loading: Loading | None = None, scratch: Path | None = None) -> int:
    """Fill the inferred graph from the asserted ones (as ``loading`` parsed them, or read from the
    store); return how many triples it holds. Waits for ``loading`` before it writes; ``scratch``
    is an empty folder for the files the write goes through (see ``_write``)."""
    from ..pipeline.closure import closure, vocabulary
    from ..pipeline.reason import is_trivial, owl_rl_closure

    # The fast path reasons over integers standing for the terms: a tuple of small integers
    # hashes without calling into pyoxigraph, which the closure does millions of times, and the
    # quads written at the end share one object per term. At 10,000 instruments this took the
    # closure and filter from 11.2 s to 6.2 s and building the 1.4 million quads from 8.1 s to 4.5 s.
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
    if reasoner == "fast":
        full = closure(given, vocabulary(named, lambda t: ids[to_ox(t)]))
    else:  # the reference engine works on rdflib terms
        back = {(to_rdflib(terms[s]), to_rdflib(terms[p]), to_rdflib(terms[o])) for s, p, o in given}
        full = {(ids[to_ox(s)], ids[to_ox(p)], ids[to_ox(o)]) for s, p, o in owl_rl_closure(back)}
    del given
    trivial = is_trivial(named, {i for i, t in enumerate(terms) if isinstance(t, ox.Literal)}.__contains__)
    ids.clear()
    # Filtered in one pass, and the closure dropped before the write: no second set of
    # 1.4 million triples at 10,000 instruments, where the peak memory is reached.
    inferred = [t for t in full if t not in mine and not trivial(t)]
    del full
    if loading is not None:
        loading.wait()  # the derived quads go in after the asserted ones are written
    _write(store, terms, inferred, scratch)
    return len(inferred)


def _write(store: ox.Store, terms: list[Any], triples: list[tuple[int, int, int]], scratch: Path | None) -> None:
    """Add the triples (indexes into ``terms``) to the inferred graph through the bulk loader.

    One call of the loader keeps about 1.3 of the two cores busy (at 10,000 instruments, the 1.4
    million derived quads: 14.5 s of CPU in 10.6 s). With a ``scratch`` folder the triples go as
    two N-Triples files, each loaded by its own call on its own thread, which reads the file
    without the GIL and without a copy of the text in memory: 13.9 s of CPU in 7.3 s, for some
    150 MB more at the peak. Blank nodes cannot go as text, since the loader gives them new
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
    store: ox.Store, sources: SourceSet, reasoner: str = "fast", progress: Progress = SILENT, scratch: Path | None = None
) -> dict[str, float]:
    """Load the sources into ``store`` and reason; return the seconds each stage took."""
    t0 = time.perf_counter()
    with progress.stage(f"loading {len(sources.all())} files (Oxigraph)"):
        loading = Loading(store, sources)
    t1 = time.perf_counter()
    try:
        with progress.stage(f"reasoning ({reasoner})"):
            reason_store(store, reasoner, loading, scratch)
    finally:
        loading.close()  # no write may still run into a store the caller then deletes
    # The load stage ends when the sources are parsed; the rest of their write is in the reason stage.
    return {"load_seconds": t1 - t0, "reason_seconds": time.perf_counter() - t1}


def compile_store(sources: SourceSet, folder: Path, reasoner: str = "fast", progress: Progress = SILENT) -> dict[str, float]:
    """Compile the sources into a store in ``folder``; return the seconds each stage took.

    The store is built in a temporary sibling folder and moved into place at the end, so a
    failed build leaves the previous store as it was; a second sibling holds the files the
    derived quads go through, and is deleted either way. Files and derived triples go in by
    Oxigraph's bulk loader, which writes straight to disk: as fast as compiling in memory and
    copying, without holding the graph twice (2.2 GB -> 1.8 GB peak at 10,000 instruments).
    """
    tmp, scratch = folder.with_name(f".tmp-{folder.name}"), folder.with_name(f".scratch-{folder.name}")
    for stale in (tmp, scratch):
        shutil.rmtree(stale, ignore_errors=True)
    scratch.mkdir(parents=True)
    try:
        store = ox.Store(str(tmp))
        meta = compile_into(store, sources, reasoner, progress, scratch)
        t0 = time.perf_counter()
        with progress.stage("compacting the store"):
            # Each bulk load leaves its own set of files; until they are merged every lookup
            # probes all of them. At 10,000 instruments merging costs 2-3 s; on the merged
            # store validation takes 4.6 s instead of 6.2 s and most-cited 0.9 s instead of 1.6 s.
            store.optimize()
        store.flush()
        del store  # closes the store's files before the folder moves
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {**meta, "persist_seconds": time.perf_counter() - t0}


def native_lines(store: ox.Store, names: tuple[URIRef, ...], *, quads: bool) -> Collection[str]:
    """The N-Quads (or, merged, N-Triples) lines of the named graphs, each once.

    The graphs are written out on as many threads as there are cores (Oxigraph's writer does
    not hold the GIL; at 10,000 instruments the four took 7.9 s instead of 11.9 s on two)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    def dump(name: URIRef) -> bytes:
        buf = io.BytesIO()
        store.dump(buf, format=ox.RdfFormat.N_TRIPLES, from_graph=ox_graph(name))
        return buf.getvalue()

    with ThreadPoolExecutor(max_workers=max(1, min(len(names), os.cpu_count() or 1))) as pool:
        dumps = list(pool.map(dump, names))

    def lines(i: int) -> list[str]:
        data, dumps[i] = dumps[i], b""  # each dump freed once read: 332 MB of them at g10k
        return [line for line in data.decode("utf-8").split("\n") if line]

    if not quads:  # a triple two graphs hold is one line of the merge
        return {line for i in range(len(names)) for line in lines(i)}
    # Each line "s p o ." becomes "s p o <graph> .": distinct already, as no graph holds a
    # triple twice and the labels differ.
    out: list[str] = []
    for i, name in enumerate(names):
        label = f" {name.n3()} ."
        out += [line[:-2] + label for line in lines(i)]
    return out


# --- queries -------------------------------------------------------------------------

def subselect(variables: str, pattern: str, distinct: bool = False) -> str:
    """A graph pattern as a sub-select, for queries written for Oxigraph.

    Oxigraph scans a sub-select whole and hash-joins it with the rest, where a plain group
    would look each node up in the indexes one by one (on the on-disk store some 10 us a
    look-up): the shapes at 10,000 instruments took 6 s instead of 18 s, `stats` 5.6 s less."""
    return f"{{ SELECT {'DISTINCT ' if distinct else ''}{variables} WHERE {{ {pattern} }} }}"


def native_facts(
    store: ox.Store, subjects: set[URIRef], verbs: tuple[URIRef, ...], fetched: set[URIRef] | None = None
) -> list[tuple[RDFNode, RDFNode, RDFNode]]:
    """The triples with one of ``verbs`` about ``subjects`` and, again and again, about the IRIs
    among their values: one query per step away from the subjects, where reading node by node
    through the rdflib view took some 45 look-ups a node (a cold `show` of the Tunis Agenda made
    6,766 for its 151 nodes). Subjects in ``fetched`` are skipped, and those read are added to it:
    a caller that keeps the facts asks for the classes and containers of its nodes once."""
    # A filter on the verb, not VALUES for it: Oxigraph then scans each node's triples once
    # rather than looking up every (node, verb) pair (150 nodes: 17 ms against 95 ms).
    allowed = ", ".join(p.n3() for p in verbs)
    found: list[tuple[RDFNode, RDFNode, RDFNode]] = []
    fetched = set() if fetched is None else fetched
    frontier = set(subjects) - fetched
    while frontier:
        values = " ".join(t.n3() for t in sorted(frontier))
        text = f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o FILTER(?p IN ({allowed})) }}"
        rows = native_query(store, text).rows
        found += rows  # type: ignore[arg-type]
        fetched |= frontier
        frontier = {o for _, _, o in rows if isinstance(o, URIRef)} - fetched
    return found


def native_queries(store: ox.Store, texts: list[str]) -> list[QueryResult]:
    """Several queries at once, on as many threads as there are cores (Oxigraph evaluates a
    query without holding the GIL: validation at g10k 12.4 s -> 7.3 s on two cores); results
    in the order of ``texts``."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        return list(pool.map(lambda text: native_query(store, text), texts))


def _run(store: ox.Store, text: str) -> Any:
    """Oxigraph's answer to SPARQL over the union of igkg's graphs; QueryError if it fails."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    try:
        return store.query(text, prefixes=prefixes, use_default_graph_as_union=True)
    except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed on the Oxigraph store: {' '.join(str(exc).split())}") from None


@paused()  # a row's terms, tuples and lists, none of them garbage (collector.py)
def native_values(store: ox.Store, text: str) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT as the terms' lexical values (None for a blank node or an unbound
    variable), for callers that want strings rather than rdflib terms: the name index's
    165,000 rows at 10,000 instruments took 1.7 s to convert."""
    blank = ox.BlankNode
    return [tuple(None if t is None or isinstance(t, blank) else t.value for t in row) for row in _run(store, text)]


@paused()  # as native_values: most-cited at g10k (15,146 rows) took 0.72-1.1 s, paused 0.62-0.69 s
def native_query(store: ox.Store, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
    """Run SPARQL on Oxigraph over the union of igkg's graphs, with ``bindings`` substituted."""
    # Oxigraph's own substitutions want each variable in the projection; the text-level
    # substitution the remote path uses binds it everywhere, as rdflib's initBindings do.
    if bindings:
        from .sparql import substitute

        text = substitute(text, bindings)
    result = _run(store, text)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult(variables=(), rows=(), boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = tuple(v.value for v in result.variables)
        conv = to_rdflib
        rows = tuple(tuple([None if t is None else conv(t) for t in solution]) for solution in result)
        return QueryResult(variables=variables, rows=rows)
    g = Graph()
    for t in result:
        g.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return QueryResult(variables=(), rows=(), graph=g)
