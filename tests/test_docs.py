"""The README documents what exists: every command, every named query, every exit code."""

import re
from pathlib import Path

from typer.main import get_command

from igkg import errors
from igkg.analysis.queries import named_queries
from igkg.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[0].startswith("python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/igkg lineage")
    assert blocks[1] == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


def test_every_command_is_documented() -> None:
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert f"`igkg {name}" in README, name


def test_every_named_query_is_documented() -> None:
    for q in named_queries():
        assert f"| `{q.name}` |" in README, q.name


def test_exit_codes_match_the_code() -> None:
    for code in (errors.EXIT_OK, errors.EXIT_NOT_CONFORMING, errors.EXIT_USAGE, errors.EXIT_NOT_FOUND, errors.EXIT_ENDPOINT, errors.EXIT_DOCUMENT):
        assert f"| {code} |" in README
    assert errors.RefNotFound("x", []).exit_code == 3 and errors.QueryError().exit_code == 2
