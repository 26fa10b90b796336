"""A SPARQL 1.1 endpoint: where it answers, how to log in, and one HTTP exchange with it.

Every exchange goes through one ``requests`` session per endpoint, with one retry policy:
a refused connection and the transient statuses (408, 429, 500, 502, 503, 504) are retried
``Endpoint.retries`` times with a growing pause; a request the store took but did not answer
(a timeout, a connection dropped mid-answer) is not sent again; any other failure is one
EndpointError line. Answers are read by rdflib's parsers, chosen by their media type.

What a store offers beyond the SPARQL protocol, its Graph Store (SPARQL 1.1 Graph Store HTTP
Protocol), is found by trying the paths stores are known to use (Oxigraph's ``/store``,
Virtuoso's ``/sparql-graph-crud``, Fuseki's ``/data``) and remembered per endpoint in the
cache folder (``endpoints.json``), so a bare URL works with no settings.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import requests
from rdflib import URIRef, plugin
from rdflib.query import Result, ResultParser
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth, HTTPDigestAuth
from urllib3.exceptions import MaxRetryError
from urllib3.util import Retry

from ..errors import EndpointError
from ..files import write_atomic
from ..resources import cache_dir

_TRANSIENT = (408, 429, 500, 502, 503, 504)
# What a query may answer: SPARQL results for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE.
RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/n-triples;q=0.9, text/turtle;q=0.8"
RDF_TYPES = "application/n-triples, text/turtle;q=0.9"
# A graph written and read back to tell a Graph Store from a path that only looks like one.
_PROBE = URIRef("https://w3id.org/igkg/graph/probe")
_PROBE_LINE = f"<{_PROBE}> <{_PROBE}> \"igkg probe\" ."
_PROBE_TIMEOUT = 10.0
# The longest query string a GET may carry: what servers and proxies reliably read in a URL.
GET_LIMIT = 8_000
# The requests that work on whole graphs (counting, moving, dropping them) may take a store
# minutes at a million triples: they get this many times the endpoint's timeout.
WHOLE_GRAPH_PATIENCE = 10


@dataclass(frozen=True)
class Endpoint:
    """Where a store answers queries, updates and Graph Store requests, and how to log in."""

    query_url: str
    update_url: str
    # The Graph Store's URL when given; None: found among ``guesses`` when first needed.
    store_url: str | None = None
    user: str | None = None
    password: str | None = None
    auth: str = "basic"  # or "digest"
    timeout: float = 30.0
    retries: int = 2
    guesses: tuple[str, ...] = field(default=(), compare=False)

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
        """A bare server URL gets Oxigraph's paths (/query, /update); a URL with a path
        (Virtuoso's /sparql, Fuseki's /ds/sparql) is used for queries and updates as it is. The
        Graph Store is the path given, or found among those the known stores use."""
        try:
            parts = urllib.parse.urlsplit(url)
            parts.port  # noqa: B018 - a port that is not a number raises here
        except ValueError:
            raise EndpointError(f"endpoint {where(url)!r} is not an http(s) URL") from None
        if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() or ord(c) < 32 for c in url):
            raise EndpointError(f"endpoint {where(url)!r} is not an http(s) URL (no spaces or line breaks)")
        base = url.rstrip("/")
        bare = parts.path in ("", "/")

        def at(path: str | None, default: str) -> str:
            if path is not None:
                return path if "://" in path else base + "/" + path.lstrip("/")
            return default

        return cls(
            query_url=at(query_path, base + "/query" if bare else base),
            update_url=at(update_path, base + "/update" if bare else base),
            store_url=at(store_path, "") or None,
            user=user, password=password, auth=auth, timeout=timeout,
            guesses=_store_guesses(base, bare),
        )

    @cached_property
    def session(self) -> requests.Session:
        """The endpoint's HTTP session: its login and its one retry policy."""
        session = requests.Session()
        # Every request igkg sends may be repeated safely (a query, a batch into a staging
        # graph, a whole-graph swap), so every method is retried, POST included.
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
        self, url: str, *, method: str = "GET", data: bytes | Sequence[tuple[str, str]] | None = None,
        headers: Mapping[str, str] | None = None, timeout: float | None = None, read: tuple[int, ...] = (404,),
    ) -> requests.Response:
        """One HTTP exchange under the retry policy. A status in ``read`` (404 unless told) is
        returned for the caller to read; any other failure is an EndpointError that says which
        endpoint and why."""
        timeout = timeout or self.timeout
        try:
            resp = self.session.request(method, url, data=data, headers=headers, timeout=timeout)
        except requests.RequestException as e:
            cause = root_cause(e)
            if isinstance(cause, TimeoutError):
                raise EndpointError(f"{where(url)} did not answer within {timeout:g} s") from None
            raise EndpointError(f"cannot reach {where(url)}: {cause}") from None
        if resp.ok or resp.status_code in read:
            return resp
        why = {401: "authentication failed", 403: "access refused"}.get(resp.status_code)
        raise EndpointError(f"{where(url)} answered HTTP {resp.status_code}: {why or one_line(resp.text) or resp.reason}")

    @property
    def patient_timeout(self) -> float:
        """The time limit of a request that works on whole graphs."""
        return self.timeout * WHOLE_GRAPH_PATIENCE

    def graph_store(self, *, probe: bool = True) -> str | None:
        """The Graph Store's URL: given, remembered, or found by writing a probe graph at each
        guess and reading it back (``probe``); None where the store has none (or none this
        login may write), and SPARQL Update and SELECT serve instead."""
        if self.store_url:
            return self.store_url
        if not self.guesses:
            return None
        known = _remembered().get(self.query_url, {}).get("graph store", ...)
        if known is not ... or not probe:
            return None if known is ... else known
        found = next((url for url in self.guesses if self._is_graph_store(url)), None)
        remember(self, found)
        return found

    def _is_graph_store(self, url: str) -> bool:
        target = graph_url(url, _PROBE)
        try:
            put = self.request(target, method="PUT", data=_PROBE_LINE.encode(), headers={"Content-Type": "application/n-triples"},
                               timeout=_PROBE_TIMEOUT)
            if not put.ok:
                return False
            got = self.request(target, headers={"Accept": RDF_TYPES}, timeout=_PROBE_TIMEOUT)
            found = got.status_code == 200 and "igkg probe" in got.text
            self.request(target, method="DELETE", timeout=_PROBE_TIMEOUT)
            return found
        except EndpointError:
            return False


def _store_guesses(base: str, bare: bool) -> tuple[str, ...]:
    """Where the known stores keep their Graph Store, given the URL a user passes."""
    if bare:
        return (base + "/store",)  # Oxigraph
    head, _, last = base.rpartition("/")
    if last in ("sparql", "sparql-auth") and head.count("/") == 2:  # Virtuoso's, at the server's root
        return (head + ("/sparql-graph-crud-auth" if last == "sparql-auth" else "/sparql-graph-crud"),)
    if last in ("sparql", "query"):
        return (head + "/data",)  # Fuseki's /ds/sparql
    if "/repositories/" in base:
        return (base + "/rdf-graphs/service",)  # GraphDB and RDF4J
    return ()


def _endpoints_file() -> Path:
    return cache_dir() / "endpoints.json"


# endpoints.json as this process last read or wrote it, by its path: every SPARQL request asks
# how the store takes queries, and the file is not read again for each.
_READ: dict[Path, dict[str, dict[str, Any]]] = {}


def _remembered(*, fresh: bool = False) -> dict[str, dict[str, Any]]:
    """What was found about each endpoint, by its query URL: its Graph Store ("graph store", None
    where it has none), how it takes queries ("queries by") and the last release whose graphs were
    counted here ("release"). ``fresh``: read the file again (before changing it)."""
    path = _endpoints_file()
    if fresh or path not in _READ:
        try:
            known = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        _READ[path] = {url: facts for url, facts in known.items() if isinstance(facts, dict)} if isinstance(known, dict) else {}
    return _READ[path]


def remember(endpoint: Endpoint, store_url: str | None) -> None:
    """Keep what was found about ``endpoint`` (None: it has no Graph Store); a cache folder that
    cannot be written only costs the probe next time."""
    if not endpoint.store_url:
        _note(endpoint, **{"graph store": store_url})


def forget(endpoint: Endpoint) -> None:
    """Drop what was remembered about ``endpoint``'s Graph Store: it no longer answers as it did."""
    known = _remembered(fresh=True)
    if known.get(endpoint.query_url, {}).pop("graph store", ...) is not ...:
        _keep(known)


def remember_release(endpoint: Endpoint, release: str) -> None:
    """Note that the graphs of ``release`` on ``endpoint`` were counted and matched its manifest."""
    _note(endpoint, release=release)


def checked_release(endpoint: Endpoint) -> str | None:
    """The last release of ``endpoint`` whose graphs were counted here."""
    return _remembered().get(endpoint.query_url, {}).get("release")


def _note(endpoint: Endpoint, **facts: Any) -> None:
    known = _remembered(fresh=True)  # another process may have written since
    known.setdefault(endpoint.query_url, {}).update(facts)
    _keep(known)


def _keep(known: dict[str, dict[str, Any]]) -> None:
    with contextlib.suppress(OSError):
        write_atomic(_endpoints_file(), json.dumps(known, indent=1, sort_keys=True).encode())


def sparql(
    endpoint: Endpoint, operation: str, text: str, graphs: tuple[URIRef, ...] = (), accept: str = RESULTS, timeout: float | None = None
) -> requests.Response:
    """A SPARQL query or update (``operation``), POSTed as a form, the one encoding every
    SPARQL 1.1 server reads; ``graphs`` are the dataset's default and named graphs. A store that
    refuses a POSTed query (405: read-only services behind a cache) is asked by GET, which is
    remembered; a query too long for a URL is then an error that says so."""
    url = endpoint.update_url if operation == "update" else endpoint.query_url
    form = [(operation, text), *(("default-graph-uri", str(g)) for g in graphs), *(("named-graph-uri", str(g)) for g in graphs)]
    headers = {"Accept": accept} if operation == "query" else None
    by_get = operation == "query" and _remembered().get(endpoint.query_url, {}).get("queries by") == "GET"
    if not by_get:
        resp = endpoint.request(url, method="POST", data=form, headers=headers, timeout=timeout, read=(404, 405))
        if resp.status_code == 405 and operation == "query":
            by_get = True
            _note(endpoint, **{"queries by": "GET"})
    if by_get:
        encoded = urllib.parse.urlencode(form)
        if len(encoded) > GET_LIMIT:
            raise EndpointError(f"{where(url)} takes queries by GET only, and this one is {len(encoded):,} bytes long "
                                f"in a URL, past the {GET_LIMIT:,} any server reads")
        resp = endpoint.request(f"{url}?{encoded}", headers=headers, timeout=timeout)
    if resp.status_code in (404, 405):
        raise EndpointError(f"{where(url)} has no SPARQL {operation} service (HTTP {resp.status_code})")
    return resp


def graph_counts(endpoint: Endpoint, graphs: list[URIRef]) -> dict[URIRef, int]:
    """Triples in each of ``graphs`` as the store holds them (a graph it lacks is left out). One
    query per graph: Virtuoso counts a named graph from its index, but not a VALUES list of them
    (at g10k that query ran past its transaction time limit)."""
    out = {}
    for g in graphs:
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"
        (n,), = rows(results(sparql(endpoint, "query", text, timeout=endpoint.patient_timeout)))
        if int(n):
            out[g] = int(n)
    return out


def results(resp: requests.Response, *, cut_ok: bool = False) -> Result:
    """SPARQL results (JSON, XML, CSV, TSV) or a CONSTRUCT's graph (``Result.graph``), read
    by rdflib's parser for the answer's media type. An answer the store cut at its row limit
    is an error, not a result, unless ``cut_ok`` (a caller reading page by page)."""
    media = media_type(resp, ResultParser, "SPARQL results")
    try:
        result = Result.parse(io.BytesIO(resp.content), content_type=media)
    except Exception as e:  # each parser fails in its own way; all mean a malformed answer
        raise unreadable(resp, media, e) from None
    if result.type == "SELECT" and [str(v) for v in result.vars or ()] == ["__ASK_RETVAL"]:
        return _ask_answer(result)
    if not cut_ok and was_cut(resp, result):
        raise EndpointError(f"{where(resp.url)} cut its answer at {len(result):,} rows, its limit: ask for fewer "
                            "(LIMIT and OFFSET) or raise the store's limit (Virtuoso: ResultSetMaxRows)")
    return result


def _ask_answer(result: Result) -> Result:
    """Virtuoso answers ASK as a SELECT of one row and one variable, __ASK_RETVAL (1 or 0)."""
    answer = Result("ASK")
    answer.askAnswer = any(str(row[0]) in ("1", "true") for row in result)  # type: ignore[index]
    return answer


def rows(result: Result) -> list[tuple[Any, ...]]:
    """A SELECT's rows as tuples."""
    return [tuple(row) for row in result]  # type: ignore[arg-type]


def was_cut(resp: requests.Response, result: Result) -> bool:
    """Whether the store cut a SELECT's rows at its limit (Virtuoso's ResultSetMaxRows, which it
    announces in X-SPARQL-MaxRows only when it cuts)."""
    limit = resp.headers.get("X-SPARQL-MaxRows", "")
    return result.type == "SELECT" and limit.isdigit() and len(result) >= int(limit)


def media_type(resp: requests.Response, parser: type, what: str) -> str:
    """The answer's media type, if rdflib has a ``parser`` for it: a web page is not an answer."""
    media = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    try:
        plugin.get(media, parser)
    except plugin.PluginException:
        raise EndpointError(f"{where(resp.url)} did not answer with {what} ({media or 'no Content-Type'})") from None
    return media


def unreadable(resp: requests.Response, media: str, e: Exception) -> EndpointError:
    return EndpointError(f"{where(resp.url)} answered with unreadable {media}: {one_line(str(e))}")


def root_cause(e: BaseException) -> BaseException:
    """The first cause of a failed exchange (requests wraps urllib3's error, which wraps the socket's)."""
    while True:
        inner = e.reason if isinstance(e, MaxRetryError) else e.__cause__ or next((a for a in e.args if isinstance(a, BaseException)), None)
        if not isinstance(inner, BaseException):
            return e
        e = inner


def one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def graph_url(store: str, name: URIRef) -> str:
    return store + ("&" if "?" in store else "?") + urllib.parse.urlencode({"graph": str(name)})


def where(url: str) -> str:
    """The URL to name in a message: without its query, and without a login written into it."""
    base = url.split("?", 1)[0].split("#", 1)[0]
    return re.sub(r"^([A-Za-z][\w+.-]*://)[^/@]*@", r"\1", base)
