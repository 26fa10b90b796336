"""Real SPARQL servers for the remote tests, started on 127.0.0.1 at free ports and stopped by PID:
Oxigraph's (from the test extra) and Virtuoso 7 (Debian's virtuoso-opensource, which .ci/run
installs). Where Virtuoso is not installed its tests are skipped, except under .ci/run
(IGKG_REQUIRE_SERVERS=1), where that is a failure."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ASK = "?query=ASK%7B%7D"


@dataclass
class Server:
    kind: str  # "oxigraph" or "virtuoso"
    url: str  # what a user passes as --endpoint
    proc: subprocess.Popen  # type: ignore[type-arg]
    folder: Path
    port: int
    admin_port: int = 0  # Virtuoso's SQL port, for isql

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing(what: str, how: str) -> None:
    message = f"{what} is not installed ({how})"
    if os.environ.get("IGKG_REQUIRE_SERVERS") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _wait(url: str, proc: subprocess.Popen, seconds: float) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:  # poll the health URL rather than sleep
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"the server exited: {proc.stderr.read().decode() if proc.stderr else ''}")
            time.sleep(0.1)
    proc.kill()
    pytest.fail(f"{url} did not answer within {seconds:g} s")


def oxigraph_command() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the 'oxigraph' server is not installed; it comes with the test extra: pip install -e '.[test]'")
    return found


def start_oxigraph(folder: Path, port: int | None = None) -> Server:
    port = port or free_port()
    proc = subprocess.Popen([oxigraph_command(), "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    _wait(url + "/query" + ASK, proc, 20)
    return Server("oxigraph", url, proc, folder, port)


_VIRTUOSO_INI = """[Database]
DatabaseFile={d}/virtuoso.db
ErrorLogFile={d}/virtuoso.log
LockFile={d}/virtuoso.lck
TransactionFile={d}/virtuoso.trx
xa_persistent_file={d}/virtuoso.pxa
[TempDatabase]
DatabaseFile={d}/virtuoso-temp.db
TransactionFile={d}/virtuoso-temp.trx
[Parameters]
ServerPort=127.0.0.1:{admin}
DisableUnixSocket=1
DirsAllowed=., {d}
NumberOfBuffers=10000
MaxDirtyBuffers=6000
[HTTPServer]
ServerPort=127.0.0.1:{http}
ServerRoot={root}
[SPARQL]
ResultSetMaxRows={max_rows}
MaxQueryExecutionTime=60
"""


def start_virtuoso(folder: Path, max_rows: int = 100_000) -> Server:
    """A throwaway Virtuoso with anonymous SPARQL updates granted (as a test store, not a deployment);
    ``/sparql-auth`` and ``/sparql-graph-crud-auth`` ask for the dba login (digest), and
    ``/sparql-basic`` (defined here) takes it by Basic authentication too."""
    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if not exe or not isql:
        missing("Virtuoso", "apt-get install virtuoso-opensource")
    http, admin = free_port(), free_port()
    root = Path("/var/lib/virtuoso-opensource-7/vsp")
    (folder / "virtuoso.ini").write_text(_VIRTUOSO_INI.format(d=folder, admin=admin, http=http, root=root, max_rows=max_rows))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(folder / "virtuoso.ini")], cwd=folder,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{http}/sparql"
    _wait(url + ASK, proc, 90)
    grants = ['exec=GRANT SPARQL_UPDATE TO "SPARQL";', 'exec=GRANT EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT TO "SPARQL";',
              "exec=DB.DBA.VHOST_DEFINE(lpath=>'/sparql-basic', ppath=>'/!sparql/', is_dav=>1, vsp_user=>'dba', "
              "opts=>vector('noinherit', 1), auth_fn=>'DB.DBA.HP_AUTH_SPARQL_USER', realm=>'SPARQL', sec=>'basic');"]
    subprocess.run([str(isql), f"127.0.0.1:{admin}", "dba", "dba", *grants], check=True, timeout=60, capture_output=True)
    return Server("virtuoso", url, proc, folder, http, admin)


def start(kind: str, folder: Path) -> Server:
    return start_virtuoso(folder) if kind == "virtuoso" else start_oxigraph(folder)
