"""Random input (issue 27): random bytes and random Turtle given to --data, random bytes to
extract, random SPARQL to query -e. Whatever comes in, igkg ends with one of its documented exit
codes, and an error is one line: never a traceback, a hang or a crash."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from igkg import errors

from .test_hostile import igkg

DOCUMENTED = {errors.EXIT_OK, errors.EXIT_NOT_CONFORMING, errors.EXIT_USAGE, errors.EXIT_NOT_FOUND, errors.EXIT_ENDPOINT,
              errors.EXIT_DOCUMENT, errors.EXIT_TIMEOUT}
# Each example is an igkg process; a few per property keep the full suite's time.
FEW = settings(max_examples=12, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(args: list[str], timeout: float = 120) -> int:
    done = igkg(args, {}, timeout=timeout)
    assert done.returncode in DOCUMENTED, (args, done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr + done.stdout
    if done.returncode:
        assert done.stderr.startswith("igkg: error: ") and done.stderr.count("\n") == 1, done.stderr[-2000:]
    return done.returncode


# Pieces of Turtle, well formed and not: random sequences of them are mostly wrong in places a
# parser meets late (an open literal, a bad escape, a date that is no date).
TURTLE = st.sampled_from([
    "@prefix igr: <https://w3id.org/igkg/id/> .", "@prefix igkg: <https://w3id.org/igkg/ontology#> .",
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .", "igr:x", "igr:wsis-tunis-agenda", "igr:wsis-tunis-agenda.para-69",
    "igkg:partOf", "igkg:reaffirms", "igkg:dateAdopted", "a", "igkg:Instrument", "igkg:Paragraph", "rdfs:label", ";", ",", ".",
    '"2015-99-99"^^xsd:date', '"2099-01-01"^^xsd:date', '"12"^^xsd:integer', '"twelve"^^xsd:integer', '"x"@en', '"\\u00e9"',
    '"unterminated', '"""long\nliteral"""', "[", "]", "(", ")", "_:b", "<http://x y>", "<>", "\\", "#", "\x00", "é", "\ufeff",
])


@pytest.mark.slow
@FEW
@given(st.binary(max_size=2_000))
def test_random_bytes_as_data(oxkg, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("data") / "random.ttl"
    path.write_bytes(data)
    check(["--data", str(path), "show", "Tunis Agenda para 69"])


@pytest.mark.slow
@FEW
@given(st.lists(TURTLE, min_size=1, max_size=40).map(" ".join))
def test_random_turtle_as_data(oxkg, tmp_path_factory: pytest.TempPathFactory, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("data") / "random.ttl"
    path.write_text(text, encoding="utf-8")
    check(["--data", str(path), "lineage", "Tunis Agenda para 69"])


@pytest.mark.slow
@FEW
@given(st.one_of(st.binary(max_size=4_000), st.text(max_size=2_000).map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_random_bytes_to_extract(oxkg, tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("doc") / "random.txt"
    path.write_bytes(data)
    assert check(["extract", str(path), "-f", "json"]) in (errors.EXIT_OK, errors.EXIT_DOCUMENT)


SPARQL = st.sampled_from([
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "*", "?s", "?p", "?o", "WHERE", "{", "}", ".", ";", "FILTER", "(", ")", "=", "!",
    "OPTIONAL", "UNION", "MINUS", "GRAPH", "BIND", "AS", "VALUES", "COUNT", "GROUP BY", "ORDER BY", "LIMIT 3", "OFFSET 1",
    "igkg:reaffirms", "rdfs:label", "a", "<http://x>", '"x"', "1", "-1.5e3", "REGEX(?o, \"(\")", "STRDT(\"x\", xsd:date)",
    "xsd:date(\"2015-99-99\")", "INSERT DATA", "DELETE", "LOAD <http://127.0.0.1:1/>", "SERVICE", "#", "é", "\u2028",
])  # no NUL: a command line cannot hold one


@pytest.mark.slow
@FEW
@given(st.lists(SPARQL, min_size=1, max_size=25).map(" ".join))
def test_random_sparql(oxkg, text: str) -> None:  # type: ignore[no-untyped-def]
    check(["query", "-e", text, "--timeout", "5", "-f", "csv"])
