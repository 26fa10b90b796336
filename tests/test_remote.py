"""Real SPARQL 1.1 stores (Oxigraph's server and Virtuoso 7, on 127.0.0.1): push, then every read
gives what the embedded graph gives; a push is one release, whole or not at all."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from igkg import api
from igkg.analysis.queries import named_queries
from igkg.errors import EXIT_ENDPOINT, EndpointError
from igkg.graph import KnowledgeGraph
from igkg.progress import Progress
from igkg.store.endpoint import Endpoint, graph_counts, graph_url, results, rows, sparql
from igkg.store.push import LEGACY, UPDATE_BATCH, batched, push
from igkg.store.remote import query, release, snapshot
from igkg.vocab import DCT, GRAPH_DATA, GRAPH_MANIFEST, GRAPH_ONTOLOGY

from .servers import Server, free_port, start_oxigraph
from .test_cli import run

# The quick loop reads from Oxigraph's server; the full suite from Virtuoso too.
KINDS = ["oxigraph", pytest.param("virtuoso", marks=pytest.mark.slow)]


@pytest.fixture(scope="module", params=KINDS)
def store(request: pytest.FixtureRequest) -> Server:
    """Each real server in turn (session-wide, see conftest)."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(scope="module")
def server(oxigraph_server: Server) -> str:
    """Oxigraph's URL, for the tests of the HTTP exchange itself."""
    return oxigraph_server.url


@pytest.fixture(scope="module")
def pushed(store: Server, kg) -> str:
    code, out, err = run("push", "--endpoint", store.url)
    assert code == 0, err
    assert out.startswith("pushed by graph store") and "https://w3id.org/igkg/graph/data" in out
    return store.url


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

    monkeypatch.setattr(remote, "snapshot", lambda *_: pytest.fail("the whole graph was fetched"))
    kg = api.open_remote(api.endpoint(pushed))
    for ref, direction in (("Tunis Agenda para 69", "down"), ("A/RES/70/125", "up")):
        assert api.lineage(kg, ref, direction) == api.lineage(oxkg, ref, direction)
    assert api.show(kg, "Tunis Agenda") == api.show(oxkg, "Tunis Agenda")
    assert sorted(kg.index.rows()) == sorted(oxkg.index.rows())  # the names graph holds the whole index
    assert api.paths(kg, "WTPF-13 Opinion 6", "Tunis Agenda") == api.paths(oxkg, "WTPF-13 Opinion 6", "Tunis Agenda")
    params = {"target": "Tunis Agenda para 69"}
    assert _canonical(api.query(kg, "citing", params=params).rows) == _canonical(api.query(oxkg, "citing", params=params).rows)


@pytest.mark.slow
def test_a_rejected_graph_leaves_the_previous_one_intact(pushed: str) -> None:
    ep = api.endpoint(pushed)
    data = release(ep).graphs[GRAPH_DATA]
    before = graph_counts(ep, [data])
    store_url = ep.graph_store()
    assert store_url  # both servers have a Graph Store, found with no setting
    with pytest.raises(EndpointError, match=r"answered HTTP (400|500)"):  # Virtuoso: 500
        ep.request(graph_url(store_url, data), method="PUT", data=b"<not> turtle at all",
                   headers={"Content-Type": "application/n-triples"})
    assert graph_counts(ep, [data]) == before and before[data] > 0


def test_endpoint_errors_are_one_line_with_exit_4(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()  # nothing listens there
    monkeypatch.setenv("IGKG_ENDPOINT_TIMEOUT", "2")
    code, out, err = run("stats", "--endpoint", f"http://127.0.0.1:{port}")
    assert code == EXIT_ENDPOINT and out == ""
    # The first request is a query (the manifest): a lookup asks the server, it fetches no copy.
    assert err.startswith(f"igkg: error: cannot reach http://127.0.0.1:{port}/query: ") and err.count("\n") == 1
    code, _, err = run("query", "most-cited", "--endpoint", "ftp://example.org/x")
    assert code == EXIT_ENDPOINT and "is not an http(s) URL" in err
    monkeypatch.setenv("IGKG_QUERY_PATH", "/no-such-service")
    code, _, err = run("query", "most-cited", "--endpoint", server)
    assert code == EXIT_ENDPOINT and "has no SPARQL query service (HTTP 404)" in err


def test_an_empty_store_says_to_push_first(tmp_path: Path) -> None:
    empty = start_oxigraph(tmp_path)
    try:
        for args in (["show", "IGF"], ["export", "--format", "nt"]):
            code, out, err = run(*args, "--endpoint", empty.url)
            assert code == EXIT_ENDPOINT and "holds no igkg graph; run 'igkg push --endpoint …' first" in err and not out, args
    finally:
        empty.stop()


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
    upstream: str, script: list[tuple[int, str, bytes]] | None = None, accept: str | None = None, delay: float = 0.0,
    refuse: tuple[str, ...] = (),
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A server on 127.0.0.1 that gives the scripted answers (status, Content-Type, body) first,
    then passes each request on to ``upstream`` (with ``accept`` as its Accept header, if given),
    each answer ``delay`` seconds late, except that the methods in ``refuse`` get 405. Yields its
    URL and, for every request, its Content-Type and that of the answer."""
    answers, seen = list(script or ()), []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if answers:
                status, ctype, payload = answers.pop(0)
            elif self.command in refuse:
                status, ctype, payload = 405, "text/plain", b"Method Not Allowed"
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_web_page_is_not_an_answer(server: str) -> None:
    page = (200, "text/html; charset=utf-8", b"<html><body>Please log in</body></html>")
    with stand_in(server, [page] * 1000) as (url, _):
        ep = Endpoint.from_url(url)
        with pytest.raises(EndpointError, match=r"/query did not answer with SPARQL results \(text/html\)$"):
            query(ep, "ASK { }")
        with pytest.raises(EndpointError, match=r"/query did not answer with SPARQL results \(text/html\)$"):
            snapshot(ep)
        code, out, err = run("stats", "--endpoint", url)
        assert code == EXIT_ENDPOINT and not out and err == f"igkg: error: {url}/query did not answer with SPARQL results (text/html)\n"
        # A store that takes every request and keeps nothing: the push is not reported done.
        code, out, err = run("push", "--endpoint", url)
    assert code == EXIT_ENDPOINT and not out and err == f"igkg: error: {url}/query did not answer with SPARQL results (text/html)\n"


@pytest.mark.slow
def test_a_store_that_takes_queries_by_get_only_is_asked_by_get(pushed: str, oxkg) -> None:
    """A read-only service that refuses POSTed queries (405): reads go by GET, remembered for the
    endpoint, with the same answers; a query too long for a URL is one line, exit 4."""
    with stand_in(pushed, refuse=("POST",)) as (url, seen):
        local = run("query", "most-cited", "-f", "csv")
        assert run("query", "most-cited", "-f", "csv", "--endpoint", url) == local and local[1]
        assert run("show", "Tunis Agenda para 69", "--endpoint", url) == run("show", "Tunis Agenda para 69")
        assert [sent for sent, _ in seen].count("application/x-www-form-urlencoded") == 1  # one POST, refused
        long = "SELECT * WHERE { ?s ?p ?o " + "FILTER(?o != 'x') " * 600 + "} LIMIT 1"
        code, out, err = run("query", "-e", long, "--endpoint", url)
        assert (code, out) == (EXIT_ENDPOINT, "") and err.startswith(f"igkg: error: {url}/query takes queries by GET only, and this one is ")


@pytest.mark.slow
def test_xml_results_read_as_json_results_do(pushed: str) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5000"  # under Virtuoso's row limit
    current = release(Endpoint.from_url(pushed))
    as_json = query(Endpoint.from_url(pushed), text, current=current)
    with stand_in(pushed, accept="application/sparql-results+xml") as (url, seen):
        as_xml = query(Endpoint.from_url(url), text, current=current)
        assert query(Endpoint.from_url(url), "ASK { ?s ?p ?o }", current=current).boolean is True
    assert [answer.split(";")[0] for _, answer in seen] == ["application/sparql-results+xml"] * 2
    assert as_xml.variables == as_json.variables == ("s", "p", "o")
    assert _canonical(as_xml.rows) == _canonical(as_json.rows) and len(as_json.rows) > 1000


def test_from_url_follows_each_store_s_conventions() -> None:
    ox = Endpoint.from_url("http://127.0.0.1:7878")
    assert (ox.query_url, ox.update_url, ox.store_url) == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update", None)
    assert ox.guesses == ("http://127.0.0.1:7878/store",)
    virtuoso = Endpoint.from_url("http://host:8890/sparql")
    assert (virtuoso.query_url, virtuoso.update_url, virtuoso.store_url) == ("http://host:8890/sparql", "http://host:8890/sparql", None)
    assert virtuoso.guesses == ("http://host:8890/sparql-graph-crud",)
    assert Endpoint.from_url("http://host:8890/sparql-auth").guesses == ("http://host:8890/sparql-graph-crud-auth",)
    assert Endpoint.from_url("http://host:3030/ds/sparql").guesses == ("http://host:3030/ds/data",)
    fuseki = Endpoint.from_url("http://host:3030/ds", query_path="query", update_path="update", store_path="data")
    assert fuseki.store_url == "http://host:3030/ds/data" and fuseki.query_url == "http://host:3030/ds/query"
    assert fuseki.graph_store() == "http://host:3030/ds/data"  # given: never probed
    assert os.environ.get("IGKG_QUERY_PATH") is None


def test_batches_are_bounded_and_keep_each_blank_node_in_one() -> None:
    plain = [f"<https://example.org/s{i}> <https://example.org/p> \"{i}\" ." for i in range(2_500)]
    chain = [f"_:n{i} <https://example.org/next> _:n{i + 1} ." for i in range(150)]  # one node linked to the next
    lone = [f"_:x{i} <https://example.org/p> \"{i}\" ." for i in range(40)]
    lines = plain + chain[::2] + lone + chain[1::2]
    batches = list(batched(lines, 100, 8_000))
    assert sorted(line for b in batches for line in b) == sorted(lines)
    holding = {label: [i for i, b in enumerate(batches) if any(re.search(rf"_:{label}\b", line) for line in b)]
               for label in [f"n{i}" for i in range(151)] + [f"x{i}" for i in range(40)]}
    assert all(len(found) == 1 for found in holding.values()), holding
    big = [b for b in batches if len(b) > 100]
    assert [len(b) for b in big] == [150]  # only the linked nodes go over, together
    assert all(sum(len(line) + 1 for line in b) <= 8_000 for b in batches if b not in big)


def noted(ep: Endpoint) -> set[URIRef]:
    """The graphs pushes have noted in the manifest graph: those of the current release, and any a
    push left behind."""
    text = f"SELECT DISTINCT ?g WHERE {{ GRAPH <{GRAPH_MANIFEST}> {{ ?g <{DCT.isVersionOf}> ?of }} }}"
    return {URIRef(str(g)) for g, in rows(results(sparql(ep, "query", text)))}


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["pushing ontology", "pushing data", "counting", "making it the current", "dropping earlier"])
def test_a_push_stopped_at_any_stage_leaves_one_whole_release(tmp_path: Path, stage: str) -> None:
    """The server stopped as the second push enters each stage: restarted, it holds the first
    release whole, or (once the manifest names it) the second; the next push drops what is left."""
    from igkg.pipeline.compile import compile_graph

    from .conftest import ontology_plus, write_ttl
    from .test_query import BROKEN_REFERENCES

    first_graph = compile_graph(sources=ontology_plus(write_ttl(tmp_path, "first.ttl", BROKEN_REFERENCES)), use_cache=False)
    second_graph = compile_graph(sources=ontology_plus(write_ttl(tmp_path, "second.ttl", BROKEN_REFERENCES.replace('"A"', '"A, second"'))),
                                 use_cache=False)
    srv = start_oxigraph(tmp_path / "db")
    try:
        ep = api.endpoint(srv.url)
        first = push(first_graph.store, ep, first_graph.index.rows())

        class StopTheServer(Progress):
            @contextmanager
            def stage(self, description: str) -> Iterator[None]:
                if description.startswith(stage):
                    srv.stop()
                yield

        if stage == "dropping earlier":  # the second release is current: the push says what it left
            second = push(second_graph.store, ep, second_graph.index.rows(), progress=StopTheServer())
            assert second.left.startswith(f"earlier releases were not dropped: cannot reach {srv.url}")
            now, whole, name = second, second_graph, "A, second"
        else:
            with pytest.raises(EndpointError, match=f"cannot reach {re.escape(srv.url)}"):
                push(second_graph.store, ep, second_graph.index.rows(), progress=StopTheServer())
            now, whole, name = first, first_graph, "A"
        srv = start_oxigraph(srv.folder, srv.port)
        again = release(ep, recount=True)
        assert again.identifier == now.release
        assert {str(g): n for g, n in again.counts.items()} == dict(now.graphs)
        assert api.show(api.open_remote(ep), name) == api.show(whole, name)
        # The next push drops what the stopped one left, and the earlier release.
        third = push(second_graph.store, ep, second_graph.index.rows())
        assert third.left == ""
        assert release(ep).identifier == third.release not in (first.release, now.release)
        assert noted(ep) == set(release(ep).graphs.values())
        assert api.show(api.open_remote(ep), "A, second") == api.show(second_graph, "A, second")
        assert not graph_counts(ep, list(LEGACY))
    finally:
        srv.stop()


@pytest.mark.slow
def test_a_push_whose_last_answer_is_lost_keeps_the_release_the_store_made_current(
    pushed: str, kg, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest update is applied but its answer never comes (a dropped connection): push fails
    with one line, and does not drop the graphs the store's manifest now names."""
    from igkg.store import push as pushing

    real = pushing.sparql

    def lose_the_answer(endpoint, operation, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        answer = real(endpoint, operation, text, *args, **kwargs)
        if operation == "update" and text.startswith("DELETE WHERE") and str(GRAPH_MANIFEST) in text:
            raise EndpointError(f"{pushed} did not answer within 30 s")
        return answer

    monkeypatch.setattr(pushing, "sparql", lose_the_answer)
    ep = api.endpoint(pushed)
    before = release(ep).identifier
    with pytest.raises(EndpointError, match="did not answer"):
        api.push(kg, ep)
    monkeypatch.undo()
    now = release(ep, recount=True)
    assert now.identifier != before
    assert api.show(api.open_remote(ep), "Tunis Agenda") == api.show(kg, "Tunis Agenda")


@pytest.mark.slow
def test_a_push_killed_at_random_points_leaves_one_whole_release(tmp_path: Path, kg) -> None:
    """SIGKILL to `igkg push` at four points (a fixed seed over a push's length): after each, reads
    give the shipped graph from one whole release, and the next push leaves no other graph."""
    srv = start_oxigraph(tmp_path / "db")
    command = [sys.executable, "-c", "from igkg.cli import run; run()", "push", "--endpoint", srv.url]
    try:
        started = time.monotonic()
        assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
        length = time.monotonic() - started
        expected = api.show(kg, "Tunis Agenda para 69")
        for delay in sorted(random.Random(26).uniform(0.2, length) for _ in range(4)):
            proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.kill()
            proc.wait(timeout=30)
            assert api.show(api.open_remote(api.endpoint(srv.url), recount=True), "Tunis Agenda para 69") == expected, delay
        assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
        ep = api.endpoint(srv.url)
        assert noted(ep) == set(release(ep).graphs.values())
    finally:
        srv.stop()


@pytest.mark.slow
def test_virtuoso_cuts_long_answers_and_igkg_says_so(pushed: str, store: Server) -> None:
    """Virtuoso's row limit (10,000 here) cuts answers, and says so in a header: a query that hits it
    is an error, and the graphs are read page by page (export gives every triple)."""
    code, out, err = run("query", "-e", "SELECT ?s ?p ?o WHERE { ?s ?p ?o }", "-f", "csv", "--endpoint", pushed)
    if store.kind == "virtuoso":
        assert code == EXIT_ENDPOINT and not out
        assert err == (f"igkg: error: {pushed} cut its answer at 10,000 rows, its limit: ask for fewer (LIMIT and OFFSET) "
                       "or raise the store's limit (Virtuoso: ResultSetMaxRows)\n")
    else:
        assert code == 0 and len(out.splitlines()) > 10_001


@pytest.mark.slow
def test_graphs_changed_after_a_push_are_refused_until_pushed_again(pushed: str, store: Server, tmp_path: Path) -> None:
    """A release's graphs are counted the first time a machine reads it, and by every stats: a
    changed graph is refused then. Without a manifest nothing is read."""
    ep = api.endpoint(pushed)
    current = release(ep)
    held = current.counts[GRAPH_DATA]
    stray = f"GRAPH <{current.graphs[GRAPH_DATA]}> {{ <https://example.org/stray> <https://example.org/p> \"not igkg's\" }}"
    sparql(ep, "update", f"INSERT DATA {{ {stray} }}")
    try:
        code, out, err = run("stats", "--endpoint", pushed)
        assert code == EXIT_ENDPOINT and not out and err.count("\n") == 1
        assert f"'s data graph holds {held + 1:,} triples where its manifest (push {current.identifier}) says {held:,}: changed since" in err
        # A machine that never read this release counts it before its first read.
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("IGKG_CACHE_DIR", str(tmp_path / "elsewhere"))
            assert run("show", "IGF", "--endpoint", pushed)[0] == EXIT_ENDPOINT
    finally:
        sparql(ep, "update", f"DELETE DATA {{ {stray} }}")
    assert run("stats", "--endpoint", pushed)[0] == 0
    # Graphs without their manifest: a push that never finished (or an older igkg's).
    sparql(ep, "update", f"DROP SILENT GRAPH <{GRAPH_MANIFEST}>")  # Virtuoso: DROP needs SILENT
    code, out, err = run("show", "IGF", "--endpoint", pushed)
    assert code == EXIT_ENDPOINT and not out
    assert err == (f"igkg: error: {pushed if store.kind == 'virtuoso' else pushed + '/query'} holds no igkg graph; "
                   "run 'igkg push --endpoint …' first\n")
    assert run("push", "--endpoint", pushed)[0] == 0
    assert run("show", "IGF", "--endpoint", pushed)[0] == 0


@pytest.mark.slow
def test_a_store_without_graph_store_gets_sparql_update_in_batches(pushed: str, kg) -> None:
    """After the reads: it replaces the pushed graphs (with the part of the closure igkg reads)."""
    ep = replace(api.endpoint(pushed), guesses=())  # no Graph Store to find
    report = push(kg.store, ep, kg.index.rows())
    assert report.method == "update"
    assert dict(report.graphs)[str(GRAPH_DATA)] > UPDATE_BATCH[0]  # so it went in several requests
    again = snapshot(ep)
    for name in (GRAPH_ONTOLOGY, GRAPH_DATA):
        assert set(again.graph(name)) == set(kg.dataset.graph(name))
    assert api.show(api.open_remote(ep), "Tunis Agenda") == api.show(kg, "Tunis Agenda")


@pytest.mark.slow
def test_a_push_drops_what_earlier_pushes_and_older_igkg_left(pushed: str, kg) -> None:
    """Graphs of a push that never finished (noted in the manifest graph) and those where earlier
    versions of igkg kept the graphs (igkg's names themselves, and staging graphs) go with the next
    push; other graphs on the store stay."""
    ep = api.endpoint(pushed)
    orphan = URIRef("https://w3id.org/igkg/graph/data/19990101T000000Z-00000000")
    line = "<https://example.org/s> <https://example.org/p> <https://example.org/o>"
    old = [orphan, *LEGACY[1:2], LEGACY[-1]]  # the orphan, the old data graph, a staging graph
    other = URIRef("https://example.org/someone-else")
    sparql(ep, "update", " ;\n".join([f"INSERT DATA {{ GRAPH <{g}> {{ {line} }} }}" for g in [*old, other]]
                                     + [f"INSERT DATA {{ GRAPH <{GRAPH_MANIFEST}> {{ <{orphan}> <{DCT.isVersionOf}> <{GRAPH_DATA}> }} }}"]))
    assert set(graph_counts(ep, [*old, other])) == {*old, other}
    report = api.push(kg, ep)
    assert report.left == ""
    assert graph_counts(ep, [*old, other]) == {other: 1}
    assert noted(ep) == set(release(ep).graphs.values())
    sparql(ep, "update", f"DROP SILENT GRAPH <{other}>")
    assert api.show(api.open_remote(ep), "Tunis Agenda") == api.show(kg, "Tunis Agenda")


@pytest.mark.slow
def test_hygiene_query_finds_the_same_problems_remotely(pushed: str, tmp_path: Path) -> None:
    """Last in this file: it replaces the pushed graphs with a small broken one."""
    from igkg.pipeline.compile import compile_graph

    from .conftest import ontology_plus, write_ttl
    from .test_query import BROKEN_REFERENCES, EXPECTED_UNRESOLVED, unresolved_rows

    small = compile_graph(sources=ontology_plus(write_ttl(tmp_path, "broken.ttl", BROKEN_REFERENCES)), use_cache=False)
    push(small.store, api.endpoint(pushed), small.index.rows())
    assert unresolved_rows(api.remote_query(api.endpoint(pushed), "unresolved-references")) == EXPECTED_UNRESOLVED
