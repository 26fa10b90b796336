"""A SPARQL 1.1 endpoint as a place to put the graph and to read it from.

``push`` replaces each of igkg's named graphs (ontology, data, user, inferred) as a whole
through the SPARQL 1.1 Graph Store HTTP Protocol, or, where the store has none, through
one SPARQL Update request per graph (``DROP SILENT GRAPH`` then ``INSERT DATA``). A store
applies each request atomically, so a failed push leaves that graph as it was.

``query`` runs on the server, with the four graphs as the default graph
(``default-graph-uri``), so it works whether or not the store's default graph is the
union of its named graphs. ``snapshot`` reads the four graphs back into a local
KnowledgeGraph, so ``show``, ``lineage`` and ``stats`` give exactly what they give on the
embedded store.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node as RDFNode

from ..errors import EndpointError
from ..models import QueryResult
from ..progress import SILENT, Progress
from ..vocab import ASSERTED_GRAPHS, GRAPH_INFERRED, PREFIXES
from .base import GraphStore
from .memory import new_dataset
from .sparql import dataset_words, substitute

GRAPHS = (*ASSERTED_GRAPHS, GRAPH_INFERRED)
_TRANSIENT = {408, 429, 500, 502, 503, 504}


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

    def request(self, url: str, *, method: str = "GET", data: bytes | None = None, headers: Mapping[str, str] | None = None) -> tuple[int, bytes]:
        """One HTTP exchange, retried on transient failures; EndpointError says which endpoint and why."""
        opener = self._opener(url)
        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
            try:
                with opener.open(req, timeout=self.timeout) as resp:
                    return resp.status, resp.read()
            except urllib.error.HTTPError as e:
                body = e.read()[:300].decode("utf-8", "replace").strip().replace("\n", " ")
                if e.code in _TRANSIENT and attempt < self.retries:
                    attempt += 1
                    time.sleep(0.5 * attempt)
                    continue
                if e.code == 404:
                    return 404, b""
                why = {401: "authentication failed", 403: "access refused"}.get(e.code, body or e.reason)
                raise EndpointError(f"{_where(url)} answered HTTP {e.code}: {why}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as e:
                if attempt < self.retries:
                    attempt += 1
                    time.sleep(0.5 * attempt)
                    continue
                reason = getattr(e, "reason", e)
                raise EndpointError(f"cannot reach {_where(url)}: {reason}") from None

    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        if not self.user:
            return urllib.request.build_opener()
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, url, self.user, self.password or "")
        handler = urllib.request.HTTPDigestAuthHandler(mgr) if self.auth == "digest" else urllib.request.HTTPBasicAuthHandler(mgr)
        return urllib.request.build_opener(handler)


@dataclass(frozen=True)
class PushReport:
    graphs: tuple[tuple[str, int], ...]  # (graph IRI, triples)
    method: str  # "graph store" or "update"
    seconds: float


def push(store: GraphStore, endpoint: Endpoint, progress: Progress = SILENT) -> PushReport:
    """Replace igkg's four named graphs on the endpoint with those of ``store``."""
    dataset = store.dataset
    started = time.perf_counter()
    done = []
    method = "graph store" if endpoint.store_url else "update"
    for name in GRAPHS:
        g = dataset.graph(name)
        with progress.stage(f"pushing {str(name).rsplit('/', 1)[-1]} ({len(g):,} triples)"):
            method = _push_graph(endpoint, name, g, method)
        done.append((str(name), len(g)))
    return PushReport(tuple(done), method, time.perf_counter() - started)


def _push_graph(endpoint: Endpoint, name: URIRef, g, method: str) -> str:  # type: ignore[no-untyped-def]
    """Replace one graph; the method that worked (a 404 from the Graph Store falls back to Update)."""
    body = g.serialize(format="nt", encoding="utf-8")
    if method == "graph store" and endpoint.store_url:
        status, _ = endpoint.request(_graph_url(endpoint.store_url, name), method="PUT", data=body,
                                     headers={"Content-Type": "application/n-triples"})
        if status != 404:
            return method
        method = "update"  # no Graph Store on this path after all
    _sparql(endpoint, f"DROP SILENT GRAPH <{name}> ;\nINSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }}", (), accept="")
    return method


def snapshot(endpoint: Endpoint) -> Dataset:
    """igkg's four graphs as the endpoint holds them, in a local Dataset."""
    ds = new_dataset()
    for name in GRAPHS:
        target = ds.graph(name)
        if endpoint.store_url:
            status, body = endpoint.request(_graph_url(endpoint.store_url, name), headers={"Accept": "application/n-triples"})
            if status != 404:
                target.parse(data=body.decode("utf-8"), format="nt")
            continue
        result = _sparql(endpoint, f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}", (), accept="application/n-triples")
        target.parse(data=result.decode("utf-8"), format="nt")
    if not len(ds.graph(ASSERTED_GRAPHS[0])):
        raise EndpointError(f"{_where(endpoint.query_url)} holds no igkg graph; run 'igkg push --endpoint …' first")
    return ds


class RemoteStore(GraphStore):
    """igkg's graphs on a SPARQL 1.1 store (after ``push``): SPARQL runs on the server; triple
    patterns read a copy of the graphs, fetched on first use."""

    engine = "remote"

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._dataset: Dataset | None = None

    @property
    def dataset(self) -> Dataset:
        if self._dataset is None:
            self._dataset = snapshot(self.endpoint)
        return self._dataset

    def query(self, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
        return query(self.endpoint, prologue + text, bindings)


def query(endpoint: Endpoint, text: str, bindings: Mapping[str, RDFNode] | None = None) -> QueryResult:
    """Run SPARQL on the server over igkg's graphs, with ``bindings`` put in place of their variables."""
    if bindings:
        text = substitute(text, bindings)
    # igkg's graphs as the default graph (their union) and as the named graphs, as on the
    # embedded backends; a query with its own FROM gets the dataset it asks for, since the
    # protocol's graphs would override it.
    graphs = () if "FROM" in dataset_words(text) else GRAPHS
    raw = _sparql(endpoint, text, graphs, accept="application/sparql-results+json, text/turtle;q=0.9, application/n-triples;q=0.8",
                  named_graphs=graphs)
    if raw.lstrip().startswith(b"{"):
        doc = json.loads(raw)
        if "boolean" in doc:
            return QueryResult(variables=(), rows=(), boolean=bool(doc["boolean"]))
        variables = tuple(doc["head"].get("vars", []))
        rows = tuple(tuple(_term(b.get(v)) for v in variables) for b in doc["results"]["bindings"])
        return QueryResult(variables=variables, rows=rows)
    g = Graph()
    g.parse(data=raw.decode("utf-8"), format="turtle")
    return QueryResult(variables=(), rows=(), graph=g)


def _sparql(endpoint: Endpoint, text: str, default_graphs: tuple[URIRef, ...], accept: str, named_graphs: tuple[URIRef, ...] = ()) -> bytes:
    """A SPARQL query or update through SPARQLWrapper, with the same retries and one-line errors as the rest."""
    from SPARQLWrapper import BASIC, DIGEST, JSON, N3, POST, POSTDIRECTLY, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, SPARQLWrapperException, Unauthorized

    is_update = accept == ""
    url = endpoint.update_url if is_update else endpoint.query_url
    attempt = 0
    while True:
        sw = SPARQLWrapper(url)
        sw.setMethod(POST)
        sw.setRequestMethod(POSTDIRECTLY)
        sw.setTimeout(int(max(1, endpoint.timeout)))
        if endpoint.user:
            sw.setHTTPAuth(DIGEST if endpoint.auth == "digest" else BASIC)
            # SPARQLWrapper answers a Digest challenge only for the realm it is told ("SPARQL",
            # Virtuoso's, by default); other stores name their own.
            realm = _digest_realm(endpoint, url) if endpoint.auth == "digest" else "SPARQL"
            sw.setCredentials(endpoint.user, endpoint.password or "", realm=realm)
        for g in default_graphs:
            sw.addDefaultGraph(str(g))
        for g in named_graphs:
            sw.addNamedGraph(str(g))
        sw.setQuery(text)
        if not is_update:
            sw.setReturnFormat(JSON if "sparql-results" in accept.split(",")[0] else N3)
            sw.addCustomHttpHeader("Accept", accept)
        try:
            return sw.query().response.read()
        except EndPointNotFound:
            service = "update" if is_update else "query"
            raise EndpointError(f"{_where(url)} has no SPARQL {service} service (HTTP 404)") from None
        except Unauthorized:
            raise EndpointError(f"{_where(url)} answered HTTP 401: authentication failed") from None
        except SPARQLWrapperException as e:  # bad request, server error: the store's own words, on one line
            code = getattr(e, "code", None) or ("400" if "Bad" in type(e).__name__ else "500")
            detail = " ".join(str(e).split())[:300]
            if code != "400" and attempt < endpoint.retries:
                attempt += 1
                time.sleep(0.5 * attempt)
                continue
            raise EndpointError(f"{_where(url)} answered HTTP {code}: {detail}") from None
        except urllib.error.HTTPError as e:
            if e.code in _TRANSIENT and attempt < endpoint.retries:
                attempt += 1
                time.sleep(0.5 * attempt)
                continue
            raise EndpointError(f"{_where(url)} answered HTTP {e.code}: {e.reason}") from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as e:
            if attempt < endpoint.retries:
                attempt += 1
                time.sleep(0.5 * attempt)
                continue
            raise EndpointError(f"cannot reach {_where(url)}: {getattr(e, 'reason', e)}") from None


_REALMS: dict[str, str] = {}


def _digest_realm(endpoint: Endpoint, url: str) -> str:
    """The realm a store's Digest challenge names (asked once per URL), or SPARQLWrapper's default."""
    if url not in _REALMS:
        realm = "SPARQL"
        probe = url + ("&" if "?" in url else "?") + "query=ASK%7B%7D"
        try:
            urllib.request.urlopen(urllib.request.Request(probe, method="GET"), timeout=endpoint.timeout).read()
        except urllib.error.HTTPError as e:
            m = re.search(r'realm="([^"]*)"', e.headers.get("WWW-Authenticate", ""))
            realm = m.group(1) if m else realm
        except (urllib.error.URLError, OSError):
            pass  # the query itself reports an unreachable store
        _REALMS[url] = realm
    return _REALMS[url]


def _term(b: Mapping[str, str] | None) -> RDFNode | None:
    if b is None:
        return None
    kind = b["type"]
    if kind == "uri":
        return URIRef(b["value"])
    if kind == "bnode":
        return BNode(b["value"])
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=URIRef(b["datatype"]) if b.get("datatype") else None)


def _graph_url(store: str, name: URIRef) -> str:
    return store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": str(name)})


def _where(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
