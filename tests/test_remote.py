"""A real SPARQL 1.1 store (Oxigraph's server, on 127.0.0.1): push, then every read gives what
the embedded graph gives."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from igkg import api
from igkg.analysis.queries import named_queries
from igkg.errors import EXIT_ENDPOINT, EndpointError
from igkg.store.remote import Endpoint, _graph_url, push, snapshot
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
def test_every_named_query_gives_the_same_rows_remotely(pushed: str, kg, name: str) -> None:
    params = PARAMS.get(name, {})
    local = api.query(kg, name, params=params)
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
def test_reads_from_the_store_equal_the_embedded_graph(pushed: str, args: list[str]) -> None:
    local = run(*args)
    remote = run(*args, "--endpoint", pushed)
    assert local[0] == remote[0] == 0
    assert remote[1] == local[1] and local[1]


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
    assert err.startswith(f"igkg: error: cannot reach http://127.0.0.1:{port}/store: ") and err.count("\n") == 1
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
