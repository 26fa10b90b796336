"""A store behind a login: Basic and Digest authentication against a real Oxigraph server.

Oxigraph's server has no login of its own, so the test puts a small reverse proxy on
127.0.0.1 in front of it that asks for one (RFC 7617 Basic, RFC 7616 Digest with MD5 and
qop=auth), as a web server in front of Fuseki or GraphDB would.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .servers import Server
from .test_cli import run
from .test_remote import (
    pass_on,
    server,  # noqa: F401  (the real Oxigraph server's URL)
)

USER, PASSWORD, REALM = "curator", "s3cret pass", "igkg-test"


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()  # Digest's own hash, not used for secrets


def _proxy(upstream: str, scheme: str) -> ThreadingHTTPServer:
    nonce = secrets.token_hex(8)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep the test output clean
            pass

        def _authorized(self) -> bool:
            given = self.headers.get("Authorization", "")
            if scheme == "basic":
                return given == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if not given.startswith("Digest "):
                return False
            f = dict(re.findall(r'(\w+)="?([^",]*)"?', given[7:]))
            ha1 = _md5(f"{f.get('username')}:{REALM}:{PASSWORD}")
            ha2 = _md5(f"{self.command}:{f.get('uri')}")
            expected = _md5(f"{ha1}:{nonce}:{f.get('nc')}:{f.get('cnonce')}:{f.get('qop')}:{ha2}")
            return f.get("username") == USER and f.get("nonce") == nonce and f.get("response") == expected

        def _handle(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not self._authorized():
                challenge = f'Basic realm="{REALM}"' if scheme == "basic" else f'Digest realm="{REALM}", nonce="{nonce}", qop="auth"'
                self.send_response(401)
                self.send_header("WWW-Authenticate", challenge)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            status, payload, ctype = pass_on(upstream + self.path, self.command, body, headers)
            self.send_response(status)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture(params=[pytest.param("basic", marks=pytest.mark.slow), "digest"])  # the quick loop logs in with Digest
def login(request: pytest.FixtureRequest, server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:  # noqa: F811
    proxy = _proxy(server, request.param)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("IGKG_ENDPOINT_AUTH", request.param)
    monkeypatch.setenv("IGKG_ENDPOINT_USER", USER)
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()


@pytest.mark.slow
def test_push_and_read_through_a_login(login: str, monkeypatch: pytest.MonkeyPatch, kg) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("IGKG_ENDPOINT_PASSWORD", PASSWORD)
    code, _, err = run("push", "--endpoint", login)
    assert code == 0, err
    local = run("lineage", "Tunis Agenda para 69", "--direction", "down")
    remote = run("lineage", "Tunis Agenda para 69", "--direction", "down", "--endpoint", login)
    assert remote == local and local[0] == 0 and local[1]
    q_local = run("query", "citing", "-p", "target=Tunis Agenda para 69", "-f", "csv")
    q_remote = run("query", "citing", "-p", "target=Tunis Agenda para 69", "-f", "csv", "--endpoint", login)
    assert sorted(q_remote[1].splitlines()) == sorted(q_local[1].splitlines()) and q_local[1]


def test_a_wrong_password_is_one_line_and_exit_4(login: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("IGKG_ENDPOINT_PASSWORD", "not it")
    code, _, err = run("query", "most-cited", "--endpoint", login)
    assert code == 4
    assert err.startswith("igkg: error: ") and "answered HTTP 401: authentication failed" in err and len(err.strip().splitlines()) == 1



@pytest.mark.slow
def test_virtuoso_s_own_digest_login(virtuoso_server: Server, monkeypatch: pytest.MonkeyPatch, kg) -> None:  # type: ignore[no-untyped-def]
    """Virtuoso's /sparql-auth and /sparql-graph-crud-auth ask for the dba login (HTTP Digest)."""
    url = virtuoso_server.url + "-auth"
    monkeypatch.setenv("IGKG_ENDPOINT_AUTH", "digest")
    monkeypatch.setenv("IGKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("IGKG_ENDPOINT_PASSWORD", "dba")
    code, out, err = run("push", "--endpoint", url)
    assert code == 0 and out.startswith("pushed by graph store"), err  # the Graph Store behind the login, found
    local = run("lineage", "Tunis Agenda para 69", "--direction", "down")
    assert run("lineage", "Tunis Agenda para 69", "--direction", "down", "--endpoint", url) == local and local[1]
    monkeypatch.setenv("IGKG_ENDPOINT_PASSWORD", "not it")
    code, out, err = run("show", "IGF", "--endpoint", url)
    assert code == 4 and not out and err == f"igkg: error: {url} answered HTTP 401: authentication failed\n"


@pytest.mark.slow
def test_virtuoso_with_a_basic_login(virtuoso_server: Server, monkeypatch: pytest.MonkeyPatch, kg) -> None:  # type: ignore[no-untyped-def]
    """A Virtuoso SPARQL path that asks for the dba login and takes it by Basic authentication: no
    Graph Store is known beside it, so push goes by SPARQL Update in batches, through the login."""
    url = virtuoso_server.url + "-basic"
    monkeypatch.setenv("IGKG_ENDPOINT_AUTH", "basic")
    monkeypatch.setenv("IGKG_ENDPOINT_USER", "dba")
    monkeypatch.setenv("IGKG_ENDPOINT_PASSWORD", "dba")
    code, out, err = run("push", "--endpoint", url)
    assert code == 0 and out.startswith("pushed by update"), err
    local = run("lineage", "Tunis Agenda para 69", "--direction", "down")
    assert run("lineage", "Tunis Agenda para 69", "--direction", "down", "--endpoint", url) == local and local[1]
    monkeypatch.setenv("IGKG_ENDPOINT_PASSWORD", "not it")
    code, out, err = run("stats", "--endpoint", url)
    assert code == 4 and not out and err == f"igkg: error: {url} answered HTTP 401: authentication failed\n"
    monkeypatch.delenv("IGKG_ENDPOINT_USER")
    assert run("stats", "--endpoint", url)[0] == 4  # no login at all
