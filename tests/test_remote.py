"""A real SPARQL 1.1 store (Oxigraph's server, on 127.0.0.1): push, then every read gives what
the embedded graph gives."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from igkg import api
from igkg.analysis.queries import named_queries
from igkg.errors import EXIT_ENDPOINT, EndpointError
from igkg.graph import KnowledgeGraph
from igkg.store.remote import Endpoint, _graph_url, push, query, snapshot
from igkg.vocab import GRAPH_DATA

from .test_cli import run


def _oxigraph() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the 'oxigraph' server is not installed; it comes with the test extra: pip install -e '.[test]'")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # poll the health URL rather than sleep
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph exited: {proc.stderr.read().decode() if proc.stderr else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph did not answer within 10 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def pushed(server: str, kg) -> str:
    code, out, err = run("push", "--endpoint", server)
    assert code == 0, err
    assert out.startswith("pushed by graph store") and "https://w3id.org/igkg/graph/data" in out
    return server


# Sample parameters for the named queries that need them.
PARAMS = {
    "citing": {"target": "Tunis Agenda para 69"},
    "process-paragraphs": {"process": "IGF"},
    "revision-history": {"input": "PP Res 102"},
    "instruments-by-body": {"body": "ITU Plenipotentiary Conference"},
    "meetings": {"of": "IGF"},
    "timeline": {"from": "2005-01-01", "to": "2015-12-31"},
}


EXPECTED_EMPTY = {"unresolved-references"}


def _canonical(rows: tuple) -> list[tuple]:  # type: ignore[type-arg]
    def term(t):  # type: ignore[no-untyped-def]
        if isinstance(t, Literal):
            return ("literal", str(t), str(t.datatype or ""), t.language or "")
        return (type(t).__name__, str(t))

    return sorted(tuple(term(t) for t in row) for row in rows)


# The quick loop pushes once and reads one named query back; the other reads run in the full suite.
@pytest.mark.parametrize("name", [q.name if q.name == "most-cited" else pytest.param(q.name, marks=pytest.mark.slow) for q in named_queries()])
def test_every_named_query_gives_the_same_rows_remotely(pushed: str, oxkg, name: str) -> None:
    params = PARAMS.get(name, {})
    local = api.query(oxkg, name, params=params)
    remote = api.remote_query(api.endpoint(pushed), name, params=params)
    assert remote.variables == local.variables
    # Hygiene queries list problems, and the shipped data has none; every other query must
    # return rows, or the comparison would prove little.
    assert bool(local.rows) != (name in EXPECTED_EMPTY), f"{name}: {len(local.rows)} rows locally"
    assert _canonical(remote.rows) == _canonical(local.rows)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["lineage", "Tunis Agenda para 69", "--direction", "down"], marks=pytest.mark.slow),
        pytest.param(["lineage", "A/RES/70/125", "--direction", "up"], marks=pytest.mark.slow),
        pytest.param(["lineage", "PP Res 102", "--revisions"], marks=pytest.mark.slow),
        pytest.param(["show", "IGF"], marks=pytest.mark.slow),
        pytest.param(["stats"], marks=pytest.mark.slow),
        pytest.param(["export", "--format", "nquads", "--inferred"], marks=pytest.mark.slow),
        pytest.param(["export", "--format", "turtle"], marks=pytest.mark.slow),
        pytest.param(["query", "-e", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"], marks=pytest.mark.slow),
        pytest.param(["query", "-e", "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/igkg/graph/inferred> WHERE { ?s ?p ?o }"],
                     marks=pytest.mark.slow),
    ],
)
def test_reads_from_the_store_equal_the_embedded_graph(pushed: str, args: list[str], kg: KnowledgeGraph) -> None:
    local = run(*args)
    remote = run(*args, "--endpoint", pushed)
    assert local[0] == remote[0] == 0
    if args == ["stats"]:
        # push sends the full closure; the embedded graph holds the part igkg reads, and says so.
        held, sent = (re.search(r"^  inferred +(\d+)(.*)$", out, re.M) for out in (local[1], remote[1]))
        assert held and sent and held[2] and not sent[2]
        assert int(sent[1]) == kg.full().report.triples["inferred"] > int(held[1])
        local = (local[0], local[1].replace(held[0], sent[0]), local[2])
    assert remote[1] == local[1] and local[1]


@pytest.mark.slow
def test_a_remote_lookup_asks_for_what_it_shows_not_for_a_copy_of_the_graph(pushed: str, oxkg, monkeypatch: pytest.MonkeyPatch) -> None:
    from igkg.store import remote

    monkeypatch.setattr(remote, "snapshot", lambda endpoint: pytest.fail("the whole graph was fetched"))
    kg = api.open_remote(api.endpoint(pushed))
    for ref, direction in (("Tunis Agenda para 69", "down"), ("A/RES/70/125", "up")):
        assert api.lineage(kg, ref, direction) == api.lineage(oxkg, ref, direction)
    assert api.show(kg, "Tunis Agenda") == api.show(oxkg, "Tunis Agenda")
    assert api.paths(kg, "WTPF-13 Opinion 6", "Tunis Agenda") == api.paths(oxkg, "WTPF-13 Opinion 6", "Tunis Agenda")
    params = {"target": "Tunis Agenda para 69"}
    assert _canonical(api.query(kg, "citing", params=params).rows) == _canonical(api.query(oxkg, "citing", params=params).rows)


@pytest.mark.slow
def test_a_rejected_graph_leaves_the_previous_one_intact(pushed: str) -> None:
    ep = api.endpoint(pushed)
    before = len(snapshot(ep).graph(GRAPH_DATA))
    with pytest.raises(EndpointError, match="answered HTTP 400"):
        ep.request(_graph_url(ep.store_url or "", GRAPH_DATA), method="PUT", data=b"<not> turtle at all",
                   headers={"Content-Type": "application/n-triples"})
    assert len(snapshot(ep).graph(GRAPH_DATA)) == before > 0


@pytest.mark.slow
def test_update_fallback_for_stores_without_graph_store(server: str, kg) -> None:
    ep = Endpoint(query_url=server + "/query", update_url=server + "/update", store_url=None)
    report = push(kg.store, ep)
    assert report.method == "update"
    again = snapshot(ep)  # read back through CONSTRUCT
    for name, n in report.graphs:
        assert len(again.graph(name)) == n
    g = Graph()
    for t in kg.dataset.graph(GRAPH_DATA):
        g.add(t)
    assert set(again.graph(GRAPH_DATA)) == set(g)


def test_endpoint_errors_are_one_line_with_exit_4(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = _free_port()  # nothing listens there
    monkeypatch.setenv("IGKG_ENDPOINT_TIMEOUT", "2")
    code, out, err = run("stats", "--endpoint", f"http://127.0.0.1:{port}")
    assert code == EXIT_ENDPOINT and out == ""
    # The first request is a query (counting the graphs): a lookup asks the server, it fetches no copy.
    assert err.startswith(f"igkg: error: cannot reach http://127.0.0.1:{port}/query: ") and err.count("\n") == 1
    code, _, err = run("query", "most-cited", "--endpoint", "ftp://example.org/x")
    assert code == EXIT_ENDPOINT and "is not an http(s) URL" in err
    monkeypatch.setenv("IGKG_QUERY_PATH", "/no-such-service")
    code, _, err = run("query", "most-cited", "--endpoint", server)
    assert code == EXIT_ENDPOINT and "has no SPARQL query service (HTTP 404)" in err


def test_an_empty_store_says_to_push_first(tmp_path_factory: pytest.TempPathFactory) -> None:
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path_factory.mktemp("empty")), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        for args in (["show", "IGF"], ["export", "--format", "nt"]):
            code, out, err = run(*args, "--endpoint", url)
            assert code == EXIT_ENDPOINT and "holds no igkg graph; run 'igkg push --endpoint …' first" in err and not out, args
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def pass_on(url: str, method: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes, str]:
    """A request passed on to the real server: its status, body and Content-Type."""
    req = urllib.request.Request(url, data=body or None, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read(), resp.headers.get("Content-Type", "")
    except urllib.error.HTTPError as e:
        return e.code, e.read(), e.headers.get("Content-Type", "")


@contextmanager
def stand_in(
    upstream: str, script: list[tuple[int, str, bytes]] | None = None, accept: str | None = None, delay: float = 0.0
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A server on 127.0.0.1 that gives the scripted answers (status, Content-Type, body) first,
    then passes each request on to ``upstream`` (with ``accept`` as its Accept header, if given),
    each answer ``delay`` seconds late. Yields its URL and, for every request, its Content-Type
    and that of the answer."""
    answers, seen = list(script or ()), []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if answers:
                status, ctype, payload = answers.pop(0)
            else:
                headers = {"Content-Type": self.headers.get("Content-Type", ""), "Accept": accept or self.headers.get("Accept", "")}
                status, payload, ctype = pass_on(upstream + self.path, self.command, body, headers)
            seen.append((self.headers.get("Content-Type", ""), ctype))
            time.sleep(delay)
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped waiting: what a timeout test asks of it

        do_GET = do_POST = do_PUT = _handle

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_transient_failures_are_retried_and_others_reported_at_once(server: str) -> None:
    busy = (503, "text/plain", b"busy")
    with stand_in(server, [busy, busy]) as (url, seen):  # two failures, then the store's answer
        assert query(Endpoint.from_url(url), "ASK { }").boolean is True
        assert [sent for sent, _ in seen] == ["application/x-www-form-urlencoded"] * 3  # SPARQL goes as a form
    with stand_in(server, [busy] * 3) as (url, seen), pytest.raises(EndpointError, match=r"/query answered HTTP 503: busy$"):
        query(Endpoint.from_url(url), "ASK { }")
    assert len(seen) == 3  # the first try and Endpoint.retries more
    with stand_in(server) as (url, seen), pytest.raises(EndpointError, match="/query answered HTTP 400: "):
        query(Endpoint.from_url(url), "SELECT nonsense")
    assert len(seen) == 1  # a refused query is not sent again


def test_a_query_that_runs_out_of_time_is_not_sent_again(server: str) -> None:
    with stand_in(server, delay=2.0) as (url, seen):
        slow = Endpoint.from_url(url, timeout=0.5)
        with pytest.raises(EndpointError, match=r"did not answer within 0\.5 s"):
            query(slow, "ASK { }")
        assert len(seen) == 1


def test_a_web_page_is_not_an_answer(server: str) -> None:
    page = (200, "text/html; charset=utf-8", b"<html><body>Please log in</body></html>")
    with stand_in(server, [page] * 3) as (url, _):
        ep = Endpoint.from_url(url)
        with pytest.raises(EndpointError, match=r"/query did not answer with SPARQL results \(text/html\)$"):
            query(ep, "ASK { }")
        with pytest.raises(EndpointError, match=r"/store did not answer with RDF \(text/html\)$"):
            snapshot(ep)
        code, out, err = run("stats", "--endpoint", url)
    assert code == EXIT_ENDPOINT and not out and err == f"igkg: error: {url}/query did not answer with SPARQL results (text/html)\n"


@pytest.mark.slow
def test_xml_results_read_as_json_results_do(pushed: str) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    as_json = query(Endpoint.from_url(pushed), text)
    with stand_in(pushed, accept="application/sparql-results+xml") as (url, seen):
        as_xml = query(Endpoint.from_url(url), text)
        assert query(Endpoint.from_url(url), "ASK { ?s ?p ?o }").boolean is True
    assert [answer for _, answer in seen] == ["application/sparql-results+xml"] * 2
    assert as_xml.variables == as_json.variables == ("s", "p", "o")
    assert _canonical(as_xml.rows) == _canonical(as_json.rows) and len(as_json.rows) > 1000


def test_from_url_follows_each_store_s_conventions() -> None:
    ox = Endpoint.from_url("http://127.0.0.1:7878")
    assert (ox.query_url, ox.update_url, ox.store_url) == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    virtuoso = Endpoint.from_url("http://host:8890/sparql")
    assert (virtuoso.query_url, virtuoso.update_url, virtuoso.store_url) == ("http://host:8890/sparql", "http://host:8890/sparql", None)
    fuseki = Endpoint.from_url("http://host:3030/ds", query_path="query", update_path="update", store_path="data")
    assert fuseki.store_url == "http://host:3030/ds/data" and fuseki.query_url == "http://host:3030/ds/query"
    assert os.environ.get("IGKG_QUERY_PATH") is None


@pytest.mark.slow
def test_hygiene_query_finds_the_same_problems_remotely(server: str, tmp_path: Path) -> None:
    """Last in this file: it replaces the pushed graphs with a small broken one."""
    from igkg.pipeline.compile import compile_graph

    from .conftest import ontology_plus, write_ttl
    from .test_query import BROKEN_REFERENCES, EXPECTED_UNRESOLVED, unresolved_rows

    small = compile_graph(sources=ontology_plus(write_ttl(tmp_path, "broken.ttl", BROKEN_REFERENCES)), use_cache=False)
    push(small.store, api.endpoint(server))
    assert unresolved_rows(api.remote_query(api.endpoint(server), "unresolved-references")) == EXPECTED_UNRESOLVED
