"""The public verbs of igkg. The CLI is a thin shell over these."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef

from . import pictures
from .analysis import describe as _describe
from .analysis import lineage as _lineage
from .analysis import stats as _stats
from .analysis.nodes import node
from .analysis.queries import adhoc_query, bind_params, find_query, is_named, reference_verb, run_query
from .errors import EndpointError, ParameterError
from .graph import KnowledgeGraph
from .models import BuildReport, Description, Edge, Lineage, NamedQuery, Node, Part, QueryResult, Revision, Stats, ValidationReport
from .pipeline import export as _export
from .pipeline.compile import compile_graph
from .pipeline.load import default_sources
from .progress import SILENT, Progress
from .vocab import IGKG

if TYPE_CHECKING:
    from .extract.ingest import IngestReport
    from .extract.read import Document
    from .models import ExtractedReference
    from .store.endpoint import Endpoint
    from .store.push import PushReport


def open_graph(extra: Iterable[str | Path] = (), *, use_cache: bool = True, backend: str | None = None) -> KnowledgeGraph:
    """The compiled graph (bundled ontology and data, user data, extra files), from cache when fresh.

    ``backend`` is "oxigraph" (an on-disk pyoxigraph store, the default, or IGKG_BACKEND: queries
    run on Oxigraph, nothing is parsed when the store is fresh) or "memory" (an rdflib graph).
    """
    return compile_graph(list(extra), use_cache=use_cache, backend=backend)


def build(
    extra: Iterable[str | Path] = (),
    *,
    rebuild: bool = False,
    reasoner: str | None = None,
    backend: str | None = None,
    progress: Progress = SILENT,
) -> BuildReport:
    """Compile and validate the graph, write the cache, and report counts and timings.

    ``reasoner`` is "fast" (default, or IGKG_REASONER) or "owlrl", the reference; both give the same closure.
    """
    return compile_graph(list(extra), rebuild=rebuild, validate=True, reasoner=reasoner, backend=backend, progress=progress).report


def validate(extra: Iterable[str | Path] = (), *, backend: str | None = None) -> ValidationReport:
    """Validate the bundled graph against the shapes and hygiene checks.

    With extra files, those files are checked beside the bundled data and the user
    data folder is left out, so the report is about the files given.
    """
    from .pipeline.validate import validate_store

    files = list(extra)
    kg = compile_graph(files, sources=default_sources(files, include_user_dir=not files), backend=backend)
    return validate_store(kg.store)


def resolve(kg: KnowledgeGraph, ref: str) -> Node:
    """The node a human reference names (symbol, name with pinpoint, IRI, prefixed name)."""
    return node(kg.dataset, kg.resolve(ref))


def show(kg: KnowledgeGraph, ref: str) -> Description:
    return _describe.describe(kg.network, kg.resolve(ref))


def lineage(
    kg: KnowledgeGraph,
    ref: str,
    direction: str = "down",
    depth: int | None = None,
    relations: Iterable[str] | None = None,
) -> Lineage:
    """What REF builds on (up), what builds on it (down), or both."""
    rels = [_relation(kg, r) for r in relations] if relations else None
    return _lineage.lineage(kg.network, kg.resolve(ref), direction, depth, rels)


def paths(kg: KnowledgeGraph, a: str, b: str, depth: int | None = None) -> list[list[Edge]]:
    """Reference paths between two instruments, shortest first."""
    return kg.network.paths(kg.resolve(a), kg.resolve(b), depth)


def citation_graph(kg: KnowledgeGraph) -> Any:
    """The citation network as a networkx MultiDiGraph (citing → cited, keyed by the most specific
    verb, with the citation, pinpoint and verification on each edge), for centrality and the like."""
    return kg.network.references.to_networkx()


def revisions(kg: KnowledgeGraph, ref: str) -> tuple[Node | None, list[Revision]]:
    """The revision series of REF, oldest revision first."""
    series, revs = _lineage.revisions(kg.dataset, kg.resolve(ref))
    return (node(kg.dataset, series) if series is not None else None), revs


def picture(kg: KnowledgeGraph, drawing: pictures.Drawing, fmt: str = "dot") -> str:
    """A drawing (``pictures.of_lineage``, ``of_paths``, ``of_revisions``) as Graphviz DOT, or as
    SVG (``fmt="svg"``, drawn by Graphviz's dot program)."""
    net = kg.network
    holders = {URIRef(n.instrument) for n in drawing.nodes if n.instrument}
    wholes = holders | {URIRef(n.iri) for n in drawing.nodes if not n.instrument or n.instrument == n.iri}
    adopted = {s: o for s, _, o in kg.store.triples_from(sorted(wholes), (IGKG.adoptedBy,))}
    net.read_ahead([*wholes, *adopted.values()])
    boxes = {}
    for iri in wholes:
        n = net.node(iri)
        body = adopted.get(iri)
        boxes[str(iri)] = pictures.Box(n.label, n.date, net.node(body).label if body is not None else None)
    drawn = {URIRef(n.iri) for n in drawing.nodes if n.instrument and n.instrument != n.iri}
    # What the graph says joins them: a range includes its paragraphs, a sub-paragraph is part of its paragraph.
    joins = [(str(o), str(s)) if p == IGKG.partOf else (str(s), str(o))
             for s, p, o in kg.store.triples_from(sorted(drawn), (IGKG.includes, IGKG.partOf)) if o in drawn]
    text = pictures.dot(drawing, boxes, joins)
    return pictures.svg(text) if fmt == "svg" else text


def query(
    kg: KnowledgeGraph,
    name_or_file: str | None = None,
    *,
    text: str | None = None,
    params: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run a named query, a .rq file, or SPARQL text, with parameters bound safely, for at most
    ``timeout`` seconds: by default ADHOC_TIMEOUT for SPARQL text and .rq files, no limit for the
    named queries (each is bounded by the graph's size); 0 for no limit. QueryTimeout past it."""
    q = adhoc_query(text) if text is not None else find_query(name_or_file or "")
    if not is_named(q):  # the user's own SPARQL may read any inferred triple
        kg = kg.full()
    return run_query(kg.store, q, bind_params(kg.dataset, q, params, kg.resolve), _limit(timeout, q))


# The time limit of the user's own SPARQL (text or .rq file) when none is given, in seconds.
ADHOC_TIMEOUT = 60.0


def _limit(timeout: float | None, q: NamedQuery) -> float | None:
    if timeout is None:
        return None if is_named(q) else ADHOC_TIMEOUT
    if not 0 <= timeout < float("inf"):
        raise ParameterError(f"--timeout {timeout!r}: give a number of seconds, 0 for no limit")
    return timeout or None


def export(kg: KnowledgeGraph, fmt: str = "turtle", inferred: bool = False) -> bytes:
    return _export.export((kg.full() if inferred else kg).store, fmt, inferred)


def stats(kg: KnowledgeGraph) -> Stats:
    return _stats.stats(kg)


def extract(
    kg: KnowledgeGraph, path: str | Path, *, encoding: str | None = None, body: str | None = None, date: str | None = None
) -> list[ExtractedReference]:
    """Every reference to an instrument in the file at ``path`` (text, Markdown, HTML or PDF)."""
    return extract_file(kg, path, encoding=encoding, body=body, date=date)[1]


def extract_file(
    kg: KnowledgeGraph, path: str | Path, *, encoding: str | None = None, body: str | None = None, date: str | None = None
) -> tuple[Document, list[ExtractedReference]]:
    """The decoded document and its references, for callers that need both (hash, text)."""
    from .analysis.nodes import parse_day
    from .extract import extract_file as _extract_file

    if date is not None:
        parse_day(date, "--date")
    if body is not None:
        kg.resolve(body)  # a body the graph does not know is refused, not read as words
    return _extract_file(path, kg.catalog, encoding=encoding, body=body, date=date)


def outline(path: str | Path, *, encoding: str | None = None) -> list[Part]:
    """The parts of the text in the file at ``path`` (text, HTML or PDF), each a ``Part``
    with its offsets, locator ("para 78(a)", "resolves 2", "Annex I"), kind, block and words."""
    from .extract import read_document
    from .extract.outline import outline as _outline

    return _outline(read_document(path, encoding=encoding).text)


def extract_text(kg: KnowledgeGraph, text: str) -> list[ExtractedReference]:
    """Every reference to an instrument in ``text``."""
    from .extract import context_from
    from .extract import extract_text as _extract

    return _extract(text, kg.catalog, context_from(kg.catalog, text))


def ingest(
    path: str | Path,
    ident: str,
    *,
    title: str | None = None,
    date: str | None = None,
    body: str | None = None,
    encoding: str | None = None,
    replace: bool = False,
    progress: Progress = SILENT,
) -> IngestReport:
    """Add a document and the references read from it to the user's graph (never the shipped data).
    A different file under an id already used needs ``replace``."""
    from .extract.ingest import ingest as _ingest

    return _ingest(path, ident, title=title, date=date, body=body, encoding=encoding, replace=replace, progress=progress)


def remove_ingested(ident: str) -> IngestReport:
    """Take an ingested document, and everything ingesting it added, out of the user's graph."""
    from .extract.ingest import remove

    return remove(ident)


def endpoint(url: str) -> Endpoint:
    """An endpoint for URL, with credentials, paths and timeout from the environment:
    IGKG_ENDPOINT_USER, IGKG_ENDPOINT_PASSWORD, IGKG_ENDPOINT_AUTH (basic|digest),
    IGKG_ENDPOINT_TIMEOUT (seconds), IGKG_QUERY_PATH, IGKG_UPDATE_PATH, IGKG_STORE_PATH."""
    import os

    from .store.endpoint import Endpoint

    env = os.environ.get
    timeout = env("IGKG_ENDPOINT_TIMEOUT") or "30"
    try:
        seconds = float(timeout)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise EndpointError(f"IGKG_ENDPOINT_TIMEOUT={timeout!r} is not a positive number of seconds")
    auth = env("IGKG_ENDPOINT_AUTH", "basic")
    if auth not in ("basic", "digest"):
        raise EndpointError(f"IGKG_ENDPOINT_AUTH={auth!r}: use basic or digest")
    return Endpoint.from_url(
        url, query_path=env("IGKG_QUERY_PATH"), update_path=env("IGKG_UPDATE_PATH"), store_path=env("IGKG_STORE_PATH"),
        user=env("IGKG_ENDPOINT_USER"), password=env("IGKG_ENDPOINT_PASSWORD"), auth=auth, timeout=seconds,
    )


def push(kg: KnowledgeGraph, target: Endpoint, progress: Progress = SILENT) -> PushReport:
    """Replace the ontology, data, user and inferred graphs on a SPARQL 1.1 store with the compiled
    ones (the full OWL RL closure), with the names index and a manifest, as one release."""
    from .store.push import push as _push

    return _push(kg.full().store, target, kg.index.rows(), progress)


def open_remote(source: Endpoint, *, recount: bool = False) -> KnowledgeGraph:
    """The graph as a remote store holds it (after 'igkg push'), for show, lineage and stats;
    EndpointError if nothing was pushed or the graphs do not match the last push's manifest. The
    graphs are counted the first time a release is read here, and always with ``recount``."""
    from .pipeline.load import SourceSet
    from .store.remote import RemoteStore

    store = RemoteStore(source, recount=recount)
    started = time.perf_counter()
    counts = store.counts()  # the manifest's, checked against the graphs on the server
    report = BuildReport(triples=counts, load_seconds=time.perf_counter() - started, reason_seconds=0.0,
                         from_cache=False, cache_file=source.query_url)
    return KnowledgeGraph(store=store, sources=SourceSet(ontology=(), data=()), report=report)


def remote_query(
    source: Endpoint, name_or_file: str | None = None, *, text: str | None = None, params: Mapping[str, str] | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run a named query, a .rq file or SPARQL text on the remote store itself, for at most
    ``timeout`` seconds (as ``query``; the store gets a second more, then the request is dropped)."""
    from .analysis.queries import prepare
    from .store.remote import RemoteStore

    q = adhoc_query(text) if text is not None else find_query(name_or_file or "")
    prepare(q)  # a syntax error is reported with its line here, not as the server's message
    limit = _limit(timeout, q)
    source = replace(source, timeout=limit + 1) if limit else source
    if params:  # names in parameters ("Tunis Agenda para 69") resolve against what the store holds
        kg = open_remote(source)
        store, bindings = kg.store, bind_params(kg.dataset, q, params, kg.resolve)
    else:
        store, bindings = RemoteStore(source), bind_params(Graph(), q, {})  # a missing required parameter is still an error
    return run_query(store, q, bindings, limit)


def _relation(kg: KnowledgeGraph, name: str) -> URIRef:
    return reference_verb(kg.dataset, name)
