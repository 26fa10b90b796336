"""Hostile input (issue 27): each row is a reproduction of a case that once printed a traceback,
hung or gave a silent wrong answer, named after it. Each runs the installed command in its own
process under a time limit, and must end with its documented exit code and one line on stderr
that starts as the row says: never a traceback, a hang, or a secret echoed."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from igkg.errors import EXIT_DOCUMENT, EXIT_ENDPOINT, EXIT_INTERRUPTED, EXIT_NOT_FOUND, EXIT_TIMEOUT, EXIT_USAGE

from .servers import free_port

SECRET = "s3cret-pass"  # never to be printed
ENDLESS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 31,000 triples cubed
NOWHERE = f"http://127.0.0.1:{free_port()}"  # nothing listens there


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    code: int
    message: str  # how the one line starts, after "igkg: error: "; {dir} is the case's folder
    env: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


CASES = [
    Case("show-an-iri-with-a-space", ("show", "<a b>"), EXIT_NOT_FOUND, "no instrument, paragraph or other node matches '<a b>'"),
    Case("show-an-http-iri-with-a-space", ("show", "http://x y"), EXIT_NOT_FOUND, "no instrument, paragraph or other node matches 'http://x y'"),
    Case("show-an-empty-iri", ("show", "<>"), EXIT_NOT_FOUND, "no instrument, paragraph or other node matches '<>'"),
    Case("a-binary-query-file", ("query", "{dir}/bad.rq"), EXIT_USAGE, "{dir}/bad.rq: not a SPARQL query (not UTF-8 text)",
         files={"bad.rq": b"\xff\xfe\x00\x01SELECT"}),
    Case("service-in-a-query", ("query", "-e", f"SELECT * WHERE {{ SERVICE <{NOWHERE}/sparql> {{ ?s ?p ?o }} }}"), EXIT_USAGE,
         "-e: SERVICE (a call to another SPARQL endpoint) is not run by igkg"),
    Case("service-in-a-query-on-the-memory-backend",
         ("--backend", "memory", "query", "-e", f"SELECT * WHERE {{ SERVICE <{NOWHERE}/sparql> {{ ?s ?p ?o }} }}"), EXIT_USAGE,
         "-e: SERVICE (a call to another SPARQL endpoint) is not run by igkg"),
    Case("endpoint-timeout-not-a-number", ("stats", "--endpoint", NOWHERE), EXIT_ENDPOINT,
         "IGKG_ENDPOINT_TIMEOUT='abc' is not a positive number of seconds", env={"IGKG_ENDPOINT_TIMEOUT": "abc"}),
    Case("endpoint-url-with-a-line-break", ("stats", "--endpoint", f"{NOWHERE}/sp\r\narql"), EXIT_ENDPOINT,
         "endpoint '" + NOWHERE + "/sp\\r\\narql' is not an http(s) URL (no spaces or line breaks)"),
    Case("endpoint-login-in-the-url", ("stats", "--endpoint", f"http://curator:{SECRET}@{NOWHERE[7:]}"), EXIT_ENDPOINT,
         f"cannot reach {NOWHERE}/query: "),
    Case("endpoint-port-not-a-number", ("stats", "--endpoint", f"http://curator:{SECRET}@127.0.0.1:http/"), EXIT_ENDPOINT,
         "endpoint 'http://127.0.0.1:http/' is not an http(s) URL"),
    Case("a-missing-argument", ("show",), EXIT_USAGE, "Missing argument 'ref'."),
    Case("an-unknown-choice", ("lineage", "IGF", "--direction", "sideways"), EXIT_USAGE, "Invalid value for '--direction'"),
    Case("an-unknown-command", ("shwo", "IGF"), EXIT_USAGE, "No such command 'shwo'."),
    Case("max-document-bytes-negative", ("extract", "{dir}/a.txt"), EXIT_USAGE,
         "IGKG_MAX_DOCUMENT_BYTES='-5' is not a positive whole number of bytes",
         env={"IGKG_MAX_DOCUMENT_BYTES": "-5"}, files={"a.txt": b"Recalling the Tunis Agenda."}),
    Case("extract-dev-zero", ("extract", "/dev/zero"), EXIT_DOCUMENT, "/dev/zero: is not a regular file"),
    Case("extract-a-named-pipe", ("extract", "{dir}/pipe"), EXIT_DOCUMENT, "{dir}/pipe: is not a regular file", files={"pipe": b""}),
    Case("extract-an-impossible-date", ("extract", "--date", "2015-99-99", "{dir}/a.txt"), EXIT_USAGE,
         "--date '2015-99-99' is not a date of the form YYYY-MM-DD", files={"a.txt": b"Recalling the Tunis Agenda."}),
    Case("extract-a-date-after-today", ("extract", "--date", "2099-01-01", "{dir}/a.txt"), EXIT_USAGE,
         "--date '2099-01-01' is after today", files={"a.txt": b"Recalling the Tunis Agenda."}),
    Case("extract-an-unknown-body", ("extract", "--body", "DROP ALL", "{dir}/a.txt"), EXIT_NOT_FOUND,
         "no instrument, paragraph or other node matches 'DROP ALL'", files={"a.txt": b"Recalling the Tunis Agenda."}),
    Case("data-with-a-20-mb-literal", ("--data", "{dir}/big.ttl", "show", "IGF"), EXIT_USAGE,
         "{dir}/big.ttl: cannot be read: ",
         files={"big.ttl": b'<https://w3id.org/igkg/id/x> <http://www.w3.org/2000/01/rdf-schema#comment> "' + b"a" * 20_000_000 + b'" .\n'}),
    Case("a-query-with-no-end", ("query", "-e", ENDLESS, "--timeout", "2"), EXIT_TIMEOUT,
         "-e: ran past 2 s, its time limit; ask for less (LIMIT), or give --timeout SECONDS (0: no limit)"),
    Case("a-query-with-no-end-on-the-memory-backend", ("--backend", "memory", "query", "-e", ENDLESS, "--timeout", "2"), EXIT_TIMEOUT,
         "-e: ran past 2 s, its time limit"),
    Case("a-negative-time-limit", ("query", "-e", "ASK {}", "--timeout", "-1"), EXIT_USAGE,
         "--timeout -1.0: give a number of seconds, 0 for no limit"),
    # A parser quotes the token it stopped at, line breaks and all: the error is still one line.
    Case("a-line-break-in-a-parser-message", ("--data", "{dir}/bad.ttl", "lineage", "Tunis Agenda para 69"), EXIT_USAGE,
         "{dir}/bad.ttl:2: bad syntax: \"\"\"long\\nliteral",
         files={"bad.ttl": b'@prefix igr: <https://w3id.org/igkg/id/> .\n"""long\nliteral""" igr:x igr:y .\n'}),
    Case("svg-without-graphviz", ("lineage", "Tunis Agenda para 69", "-f", "svg"), EXIT_USAGE,
         "Graphviz's dot program is not installed", env={"PATH": "/nonexistent"}),
    Case("ingest-a-date-after-today", ("ingest", "{dir}/a.txt", "--id", "future", "--date", "2099-01-01"), EXIT_USAGE,
         "--date '2099-01-01' is after today", files={"a.txt": b"Recalling the Tunis Agenda."}),
]


def igkg(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-c", "from igkg.cli import run; run()", *args], env={**os.environ, **env},
                          capture_output=True, text=True, timeout=timeout)


# The quick loop runs one case of each kind; the full suite runs them all.
QUICK = {"show-an-iri-with-a-space", "extract-dev-zero", "a-missing-argument", "endpoint-login-in-the-url", "service-in-a-query",
         "a-negative-time-limit"}


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=() if c.name in QUICK else pytest.mark.slow) for c in CASES])
def test_hostile_input_is_one_line_and_its_exit_code(case: Case, tmp_path: Path, oxkg) -> None:  # type: ignore[no-untyped-def]
    for name, body in case.files.items():
        if name == "pipe":
            os.mkfifo(tmp_path / name)
        else:
            (tmp_path / name).write_bytes(body)
    args = [a.replace("{dir}", str(tmp_path)) for a in case.args]
    done = igkg(args, case.env, timeout=60)
    expected = "igkg: error: " + case.message.replace("{dir}", str(tmp_path))
    assert done.returncode == case.code, done.stderr
    assert done.stderr.startswith(expected), done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr and SECRET not in done.stderr + done.stdout
    assert done.stdout == ""


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_an_impossible_date_in_data_is_one_note_not_a_traceback(tmp_path: Path, backend: str) -> None:
    """rdflib logs a literal its datatype does not allow with a traceback of its own: igkg says it
    in one note, answers, and validate names the node."""
    bad = tmp_path / "bad.ttl"
    bad.write_text('<https://w3id.org/igkg/id/x> a <https://w3id.org/igkg/ontology#Instrument> ; '
                   '<https://w3id.org/igkg/ontology#dateAdopted> "2015-99-99"^^<http://www.w3.org/2001/XMLSchema#date> ; '
                   '<http://www.w3.org/2000/01/rdf-schema#label> "X" .\n', encoding="utf-8")
    done = igkg(["--backend", backend, "--data", str(bad), "show", "igr:x"], {})
    assert done.returncode == 0 and "2015-99-99" in done.stdout
    assert done.stderr == ("igkg: note: a literal is not a valid <http://www.w3.org/2001/XMLSchema#date> (month must be in 1..12); "
                           "'igkg validate' names its node\n")
    checked = igkg(["--backend", backend, "--data", str(bad), "validate"], {})
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert re.search(r"igr:x +igkg:dateAdopted: .*an xsd:date", checked.stdout)


@pytest.mark.slow
def test_a_parameter_cannot_inject_sparql(oxkg) -> None:  # type: ignore[no-untyped-def]
    """An ad-hoc parameter that looks like an IRI but is not one is a string, written as a literal."""
    value = "<http://a> } UNION { ?s ?p ?o } #>"
    done = igkg(["query", "-e", "SELECT ?x WHERE { }", "-p", f"x={value}", "-f", "csv"], {})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["x", value]


@pytest.mark.slow
def test_ctrl_c_stops_a_query_at_once(oxkg) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C during a query Oxigraph is still evaluating: one line and exit 130 within a second."""
    # Your own SPARQL reads the full closure, compiled the first time: compiled here, so that the
    # signal comes during the query.
    assert igkg(["query", "-e", "ASK { ?s ?p ?o }"], {}).returncode == 0
    # A process started in the background inherits SIGINT ignored (as under `nohup … &`): a shell
    # in the foreground gives it the default, which the test restores.
    proc = subprocess.Popen([sys.executable, "-c", "from igkg.cli import run; run()", "query", "-e", ENDLESS, "--timeout", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        time.sleep(3)  # past the start, into the query
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        out, err = proc.communicate(timeout=10)
        assert time.monotonic() - started < 1
    finally:
        proc.kill()
    assert proc.returncode == EXIT_INTERRUPTED and err == "igkg: interrupted\n" and out == ""


@pytest.mark.slow
def test_your_own_sparql_has_a_time_limit_by_default_and_named_queries_none(oxkg, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from igkg import api
    from igkg.errors import QueryTimeout

    monkeypatch.setattr(api, "ADHOC_TIMEOUT", 0.5)
    with pytest.raises(QueryTimeout, match=r"^-e: ran past 0.5 s"):
        api.query(oxkg, text=ENDLESS)
    assert api.query(oxkg, text="ASK { ?s ?p ?o }").boolean is True
    monkeypatch.setattr(api, "ADHOC_TIMEOUT", 1e-9)  # a named query is not held to it
    assert api.query(oxkg, "most-cited").rows


# --- the compiled store --------------------------------------------------------------------


@pytest.mark.slow
def test_a_compiled_store_changed_since_its_build_is_rebuilt_with_one_note(tmp_path: Path) -> None:
    """Bytes changed inside the compiled store (a disk error, a stray write): it is not trusted,
    nor queried, but built again from the sources, and the command says so on one line."""
    env = {"IGKG_CACHE_DIR": str(tmp_path / "cache")}
    first = igkg(["show", "Tunis Agenda para 69"], env)
    assert first.returncode == 0, first.stderr
    (store,) = (tmp_path / "cache").glob("compiled-*.oxigraph")
    victim = max(store.glob("*.sst"), key=lambda f: f.stat().st_size)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 32] = bytes(32)  # 32 bytes flipped in the middle of the largest table
    victim.write_bytes(bytes(data))
    again = igkg(["show", "Tunis Agenda para 69"], env)
    assert again.returncode == 0 and again.stdout == first.stdout
    assert again.stderr == f"igkg: note: the compiled graph {store.name} was changed since it was built; rebuilt it from the sources\n"
    third = igkg(["show", "Tunis Agenda para 69"], env)
    assert third.returncode == 0 and third.stdout == first.stdout and third.stderr == ""


@pytest.mark.slow
def test_two_builds_and_readers_at_once_leave_one_whole_store(tmp_path: Path) -> None:
    """Two `build --no-cache` and readers at the same time: one builder at a time (a lock), every
    command succeeds, and no temporary folder is left behind."""
    env = {**os.environ, "IGKG_CACHE_DIR": str(tmp_path / "cache")}
    assert igkg(["show", "IGF"], {"IGKG_CACHE_DIR": env["IGKG_CACHE_DIR"]}).returncode == 0  # a store to read meanwhile
    command = [sys.executable, "-c", "from igkg.cli import run; run()"]
    procs = [subprocess.Popen([*command, "build", "--no-cache"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    procs += [subprocess.Popen([*command, "show", "IGF"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0 and "Traceback" not in err, err
    leftovers = [f.name for f in (tmp_path / "cache").iterdir() if f.name.startswith((".tmp-", ".scratch-", ".old-"))]
    assert leftovers == []
    assert igkg(["show", "IGF"], {"IGKG_CACHE_DIR": env["IGKG_CACHE_DIR"]}).stderr == ""


@pytest.mark.slow
def test_a_build_killed_at_random_points_leaves_a_store_that_answers(tmp_path: Path) -> None:
    """SIGKILL at six points of `build --no-cache` (drawn with a fixed seed over a build's length):
    after each, a lookup gives what it gave before, and the next whole build leaves no temporary
    folder behind."""
    cache = {"IGKG_CACHE_DIR": str(tmp_path / "cache")}
    expected = igkg(["show", "Tunis Agenda para 69"], cache)
    assert expected.returncode == 0, expected.stderr
    command = [sys.executable, "-c", "from igkg.cli import run; run()", "build", "--no-cache"]
    started = time.monotonic()
    assert subprocess.run(command, env={**os.environ, **cache}, capture_output=True, timeout=300).returncode == 0
    length = time.monotonic() - started
    for delay in sorted(random.Random(27).uniform(0.3, length) for _ in range(6)):
        proc = subprocess.Popen(command, env={**os.environ, **cache}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=30)
        after = igkg(["show", "Tunis Agenda para 69"], cache)
        assert (after.returncode, after.stdout) == (0, expected.stdout), (delay, after.stderr)
        assert "Traceback" not in after.stderr
    assert subprocess.run(command, env={**os.environ, **cache}, capture_output=True, timeout=300).returncode == 0
    leftovers = [f.name for f in (tmp_path / "cache").iterdir() if f.name.startswith((".tmp-", ".scratch-", ".old-"))]
    assert leftovers == []
