"""A SPARQL 1.1 endpoint as a place to put the graph and to read it from.

``push`` replaces each of igkg's named graphs (ontology, data, user, inferred) as a whole
through the SPARQL 1.1 Graph Store HTTP Protocol, or, where the store has none, through
one SPARQL Update request per graph (``DROP SILENT GRAPH`` then ``INSERT DATA``). A store
applies each request atomically, so a failed push leaves that graph as it was.

``RemoteStore`` is the store interface over an endpoint: SPARQL runs on the server, with the
four graphs as the default graph (``default-graph-uri``), so it works whether or not the store's
default graph is the union of its named graphs; triple patterns are asked of the server too, as
they are needed (``RemoteView``), so ``show``, ``lineage`` and ``stats`` give exactly what they
give on the embedded store and a lookup reads what it shows, not the graph. Only ``export``
reads a copy of the four graphs whole (``snapshot``).

Every exchange goes through one ``requests`` session per endpoint, with one retry policy:
a refused connection and the transient statuses (408, 429, 500, 502, 503, 504) are retried
``Endpoint.retries`` times with a growing pause; a request the store took but did not answer
(a timeout, a connection dropped mid-answer) is not sent again; any other failure is one
EndpointError line. Answers are read by rdflib's parsers, chosen by their media type.
"""

from __future__ import annotations

import io
import time
import urllib.parse
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import requests
from rdflib import BNode, Dataset, Graph, URIRef, plugin
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.parser import Parser
from rdflib.query import Result, ResultParser
from rdflib.store import Store
from rdflib.term import Node as RDFNode
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from urllib3.exceptions import MaxRetryError
from urllib3.util import Retry

from ..errors import EndpointError
from ..models import QueryResult
from ..progress import SILENT, Progress
from ..vocab import ASSERTED_GRAPHS, PREFIXES
from .base import GRAPHS, GraphStore, Triple, dataset_lines, graph_key
from .memory import new_dataset, query_result
from .sparql import dataset_words, substitute

_TRANSIENT = (408, 429, 500, 502, 503, 504)
# What a query may answer: SPARQL results for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE.
_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/n-triples;q=0.9, text/turtle;q=0.8"
_RDF = "application/n-triples, text/turtle;q=0.9"


@dataclass(frozen=True)
class Endpoint:
    """Where a store answers queries, updates and Graph Store requests, and how to log in."""

    query_url: str
    update_url: str
    store_url: str | None  # None: the store has no Graph Store Protocol; use SPARQL Update and CONSTRUCT
    user: str | None = None
    password: str | None = None
    auth: str = "basic"  # or "digest"
    timeout: float = 30.0
    retries: int = 2

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        query_path: str | None = None,
        update_path: str | None = None,
        store_path: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "basic",
        timeout: float = 30.0,
    ) -> Endpoint:
        """A bare server URL gets Oxigraph's paths (/query, /update, /store); a URL with a path
        (Fuseki's /ds/sparql, Virtuoso's /sparql) is used for queries and updates as it is."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"endpoint {url!r} is not an http(s) URL")
        base = url.rstrip("/")
        bare = parts.path in ("", "/")

        def at(path: str | None, default: str | None) -> str | None:
            if path is not None:
                return path if "://" in path else base + "/" + path.lstrip("/")
            return default

        return cls(
            query_url=at(query_path, base + "/query" if bare else base) or base,
            update_url=at(update_path, base + "/update" if bare else base) or base,
            store_url=at(store_path, base + "/store" if bare else None),
            user=user, password=password, auth=auth, timeout=timeout,
        )

    @cached_property
    def session(self) -> requests.Session:
        """The endpoint's HTTP session: its login and its one retry policy."""
        session = requests.Session()
        # Every request igkg sends may be repeated safely (a query, a whole-graph PUT, a
        # DROP then INSERT DATA), so every method is retried, POST included.
        # read=0: a query that ran out of time would run out again, and an update may have been applied.
        retry = Retry(total=self.retries, read=0, backoff_factor=0.5, status_forcelist=_TRANSIENT, allowed_methods=None,
                      raise_on_status=False)
        adapter = HTTPAdapter(max_retries=retry)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        if self.user:
            login = HTTPDigestAuth if self.auth == "digest" else HTTPBasicAuth
            session.auth = login(self.user, self.password or "")
        return session

    def request(
        self, url: str, *, method: str = "GET", data: bytes | Sequence[tuple[str, str]] | None = None, headers: Mapping[str, str] | None = None
    ) -> requests.Response:
        """One HTTP exchange under the retry policy. A 404 is returned for the caller to read;
        any other failure is an EndpointError that says which endpoint and why."""
        try:
            resp = self.session.request(method, url, data=data, headers=headers, timeout=self.timeout)
        except requests.RequestException as e:
            cause = _root(e)
            if isinstance(cause, TimeoutError):
                raise EndpointError(f"{_where(url)} did not answer within {self.timeout:g} s") from None
            raise EndpointError(f"cannot reach {_where(url)}: {cause}") from None
        if resp.ok or resp.status_code == 404:
            return resp
        why = {401: "authentication failed", 403: "access refused"}.get(resp.status_code)
        raise EndpointError(f"{_where(url)} answered HTTP {resp.status_code}: {why or _one_line(resp.text) or resp.reason}")


@dataclass(frozen=True)
class PushReport:
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples)
    method: str  # "graph store" or "update"
    seconds: float


def push(store: GraphStore, endpoint: Endpoint, progress: Progress = SILENT) -> PushReport:
    """Replace igkg's four named graphs on the endpoint with those of ``store``."""
    started = time.perf_counter()
    done = []
    method = "graph store" if endpoint.store_url else "update"
    for name in GRAPHS:
        lines = store.lines((name,), quads=False)
        with progress.stage(f"pushing {graph_key(name)} ({len(lines):,} triples)"):
            method = _push_graph(endpoint, name, "".join(f"{line}\n" for line in lines).encode("utf-8"), method)
        done.append((str(name), len(lines)))
    return PushReport(tuple(done), method, time.perf_counter() - started)


def _push_graph(endpoint: Endpoint, name: URIRef, body: bytes, method: str) -> str:
    """Replace one graph with ``body`` (N-Triples); the method that worked (a 404 from the Graph
    Store falls back to Update)."""
    if method == "graph store" and endpoint.store_url:
        resp = endpoint.request(_graph_url(endpoint.store_url, name), method="PUT", data=body, headers={"Content-Type": "application/n-triples"})
        if resp.status_code != 404:
            return method
        method = "update"  # no Graph Store on this path after all
    _sparql(endpoint, "update", f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }}")
    return method


def snapshot(endpoint: Endpoint) -> Dataset:
    """igkg's four graphs as the endpoint holds them, in a local Dataset."""
    ds = new_dataset()
    for name in GRAPHS:
        if endpoint.store_url:
            resp = endpoint.request(_graph_url(endpoint.store_url, name), headers={"Accept": _RDF})
            if resp.status_code == 404:  # the store has no such graph
                continue
        else:
            resp = _sparql(endpoint, "query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}", accept=_RDF)
        media = _media_type(resp, Parser, "RDF")
        try:
            ds.graph(name).parse(data=resp.content, format=media)
        except Exception as e:  # each parser fails in its own way; all mean a malformed answer
            raise _unreadable(resp, media, e) from None
    if not len(ds.graph(ASSERTED_GRAPHS[0])):
        raise _not_pushed(endpoint)
    return ds


class RemoteStore(GraphStore):
    """igkg's graphs on a SPARQL 1.1 store (after ``push``): SPARQL runs on the server, and so do
    the triple patterns ``dataset`` is read through (see RemoteView)."""

    engine = "remote"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            ds = Dataset(store=RemoteView(self), default_union=True)
            for prefix, ns in PREFIXES.items():
                ds.bind(prefix, ns)
            self._dataset = ds
        return self._dataset

    def query(self, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        return query(self.endpoint, prologue + text, bindings)

    def _match(self, end: str, nodes: Sequence[RDFNode], verbs: tuple[URIRef, ...]) -> list[Triple]:
        return self._match_in_sparql(end, nodes, verbs)  # one query, not a pattern per node

    def size(self, graph: URIRef) -> int:
        (n,), = self.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows
        return int(n)  # type: ignore[call-overload]

    def counts(self) -> dict[str, int]:
        """Triples per graph; EndpointError if the store holds none of igkg's (not pushed yet)."""
        counts = super().counts()
        if not counts[graph_key(ASSERTED_GRAPHS[0])]:
            raise _not_pushed(self.endpoint)
        return counts

    def lines(self, graphs: tuple[URIRef, ...], *, quads: bool) -> Collection[str]:
        # Every triple of the graphs: one copy of each, as the Graph Store protocol gives it.
        return dataset_lines(snapshot(self.endpoint), graphs, quads=quads)


class RemoteView(Store):
    """An rdflib Store over a RemoteStore, read-only: each triple pattern is asked of the server
    when first needed, and the answer kept. Every fact of a node is asked at once (``?p ?o``),
    since show and lineage read a node one property at a time. A blank node the server named
    cannot be asked about again: a pattern with one matches nothing."""

    context_aware = True
    graph_aware = True

    def __init__(self, remote: RemoteStore) -> None:
        super().__init__()
        self.remote = remote
        self._about: dict[RDFNode, list[tuple[RDFNode, RDFNode]]] = {}  # subject → its (verb, value) pairs
        self._answers: dict[tuple[RDFNode | None, ...], list[Triple]] = {}

    def triples(self, triple_pattern, context=None):  # type: ignore[no-untyped-def, override]
        s, p, o = triple_pattern
        graph = _graph_name(context)
        no_contexts: tuple[Any, ...] = ()
        if any(isinstance(t, BNode) for t in triple_pattern):
            return
        if graph is None and isinstance(s, URIRef):
            if s not in self._about:
                self._about[s] = [(q, v) for _, q, v in self._select(s, None, None, None)]
            found = [(s, q, v) for q, v in self._about[s] if (p is None or q == p) and (o is None or v == o)]
        else:
            key = (s, p, o, graph)
            if key not in self._answers:
                self._answers[key] = self._select(s, p, o, graph)
            found = self._answers[key]
        for t in found:
            yield t, iter(no_contexts)

    def _select(self, s: RDFNode | None, p: RDFNode | None, o: RDFNode | None, graph: URIRef | None) -> list[Triple]:
        """The triples matching (s, p, o) in ``graph`` (None: the union of the four, each once)."""
        given = (s, p, o)
        variables = [f"?{v}" for t, v in zip(given, "spo", strict=True) if t is None]
        pattern = " ".join(t.n3() if t is not None else f"?{v}" for t, v in zip(given, "spo", strict=True))
        if graph is not None:
            pattern = f"GRAPH {graph.n3()} {{ {pattern} }}"
        if not variables:
            return [given] if self.remote.query(f"ASK {{ {pattern} }}").boolean else []  # type: ignore[list-item]
        rows = self.remote.query(f"SELECT {'DISTINCT ' if graph is None else ''}{' '.join(variables)} WHERE {{ {pattern} }}").rows
        out: list[Triple] = []
        for row in rows:
            values = iter(row)
            out.append(tuple(t if t is not None else next(values) for t in given))  # type: ignore[arg-type]
        return out

    def __len__(self, context=None) -> int:  # type: ignore[no-untyped-def, override]
        graph = _graph_name(context)
        if graph is not None:
            return self.remote.size(graph)
        (n,), = self.remote.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows
        return int(n)  # type: ignore[call-overload]

    def contexts(self, triple=None):  # type: ignore[no-untyped-def, override]
        for name in GRAPHS:
            yield Graph(store=self, identifier=name)

    def add(self, triple, context, quoted=False):  # type: ignore[no-untyped-def, override]
        raise ValueError("a remote store is read here, not written: use 'igkg push'")

    def remove(self, triple, context=None):  # type: ignore[no-untyped-def, override]
        raise ValueError("a remote store is read here, not written: use 'igkg push'")

    def add_graph(self, graph):  # type: ignore[no-untyped-def, override]
        pass  # Dataset.graph(name) declares the graph; the store holds it or it is empty


def _graph_name(context: Any) -> URIRef | None:
    """The graph a context names; None for the union (a default-union Dataset's default graph)."""
    if context is None:
        return None
    ident = getattr(context, "identifier", context)
    return None if ident == DATASET_DEFAULT_GRAPH_ID else ident


def _not_pushed(endpoint: Endpoint) -> EndpointError:
    return EndpointError(f"{_where(endpoint.query_url)} holds no igkg graph; run 'igkg push --endpoint …' first")


def query(endpoint: Endpoint, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
    """Run SPARQL on the server over igkg's graphs, with ``bindings`` put in place of their variables."""
    if bindings:
        text = substitute(text, bindings)
    # igkg's graphs as the default graph (their union) and as the named graphs, as on the
    # embedded backends; a query with its own FROM gets the dataset it asks for, since the
    # protocol's graphs would override it.
    graphs = () if "FROM" in dataset_words(text) else GRAPHS
    return query_result(_answer(_sparql(endpoint, "query", text, graphs)))


def _sparql(endpoint: Endpoint, operation: str, text: str, graphs: tuple[URIRef, ...] = (), accept: str = _RESULTS) -> requests.Response:
    """A SPARQL query or update (``operation``), POSTed as a form, the one encoding every
    SPARQL 1.1 server reads; ``graphs`` are the dataset's default and named graphs."""
    url = endpoint.update_url if operation == "update" else endpoint.query_url
    form = [(operation, text), *(("default-graph-uri", str(g)) for g in graphs), *(("named-graph-uri", str(g)) for g in graphs)]
    resp = endpoint.request(url, method="POST", data=form, headers={"Accept": accept} if operation == "query" else None)
    if resp.status_code == 404:
        raise EndpointError(f"{_where(url)} has no SPARQL {operation} service (HTTP 404)")
    return resp


def _answer(resp: requests.Response) -> Result:
    """SPARQL results (JSON, XML, CSV, TSV) or a CONSTRUCT's graph (``Result.graph``), read
    by rdflib's parser for the answer's media type."""
    media = _media_type(resp, ResultParser, "SPARQL results")
    try:
        return Result.parse(io.BytesIO(resp.content), content_type=media)
    except Exception as e:  # each parser fails in its own way; all mean a malformed answer
        raise _unreadable(resp, media, e) from None


def _media_type(resp: requests.Response, parser: type, what: str) -> str:
    """The answer's media type, if rdflib has a ``parser`` for it: a web page is not an answer."""
    media = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    try:
        plugin.get(media, parser)
    except plugin.PluginException:
        raise EndpointError(f"{_where(resp.url)} did not answer with {what} ({media or 'no Content-Type'})") from None
    return media


def _unreadable(resp: requests.Response, media: str, e: Exception) -> EndpointError:
    return EndpointError(f"{_where(resp.url)} answered with unreadable {media}: {_one_line(str(e))}")


def _root(e: BaseException) -> BaseException:
    """The first cause of a failed exchange (requests wraps urllib3's error, which wraps the socket's)."""
    while True:
        inner = e.reason if isinstance(e, MaxRetryError) else e.__cause__ or next((a for a in e.args if isinstance(a, BaseException)), None)
        if not isinstance(inner, BaseException):
            return e
        e = inner


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _graph_url(store: str, name: URIRef) -> str:
    return store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": str(name)})


def _where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
