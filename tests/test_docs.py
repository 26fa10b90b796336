"""The README documents what exists: every command, every named query, every exit code; its tour
runs; its links lead somewhere; and the CHANGELOG's newest release is the package's version."""

import re
import shlex
import tomllib
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

import igkg
from igkg import errors
from igkg.analysis.queries import named_queries
from igkg.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert blocks[0].startswith("python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/igkg lineage")
    assert blocks[1] == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci


def test_readme_is_a_newcomer_s_page() -> None:
    """Under 200 lines; the depth lives in docs/, the measurements in bench/README.md."""
    assert len(README.splitlines()) < 200
    timings = re.findall(r"\b\d+(?:\.\d+)?(?:[-–]\d+(?:\.\d+)?)? ?(?:ms|s)\b", README)
    assert timings == []


def test_every_command_is_documented() -> None:
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert f"`igkg {name}" in README, name


def test_every_named_query_is_documented() -> None:
    for q in named_queries():
        assert f"| `{q.name}` |" in README, q.name


def test_exit_codes_match_the_code() -> None:
    for code in (errors.EXIT_OK, errors.EXIT_NOT_CONFORMING, errors.EXIT_USAGE, errors.EXIT_NOT_FOUND, errors.EXIT_ENDPOINT, errors.EXIT_DOCUMENT,
                 errors.EXIT_TIMEOUT, errors.EXIT_INTERRUPTED):
        assert f"| {code} |" in README
    assert errors.RefNotFound("x", []).exit_code == 3 and errors.QueryError().exit_code == 2


def _links(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [t for t in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text) if "://" not in t]


def test_links_in_the_readme_and_docs_lead_to_files() -> None:
    pages = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
    missing = []
    for page in pages:
        for target in _links(page):
            where = (page.parent / target).resolve()
            if not where.exists():
                missing.append(f"{page.relative_to(ROOT)} -> {target}")
    assert missing == []
    assert {"docs/stores.md", "docs/data.md", "docs/extraction.md", "docs/ontology.md", "docs/performance.md"} <= {
        (ROOT / t).resolve().relative_to(ROOT).as_posix() for t in _links(ROOT / "README.md")
    }


def _tour() -> list[tuple[list[str], list[str]]]:
    """Each `$ igkg …` line of the README's console blocks: its arguments and the output shown."""
    out = []
    for block in re.findall(r"```console\n(.*?)\n```", README, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, *shown = chunk.split("\n")
            argv = shlex.split(command, comments=True)
            assert argv[0] == "igkg", command
            out.append((argv[1:], shown))
    return out


def test_the_tour_runs() -> None:
    """Every tour command that needs no file of the reader's own succeeds and starts as shown.
    (Counts further down follow the corpus; the first line names what was found.)"""
    runnable = [(a, s) for a, s in _tour() if a[0] not in ("ingest", "extract", "validate", "export")]
    assert len(runnable) >= 8
    runner = CliRunner()
    for argv, shown in runnable:
        result = runner.invoke(app, argv)
        assert result.exit_code == 0, (argv, result.stderr)
        if shown and shown[0] != "…":
            assert result.stdout.splitlines()[0] == shown[0], argv


def test_the_changelog_s_newest_release_is_the_package_version() -> None:
    sections = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", CHANGELOG, flags=re.M)
    assert sections[0] == ("Unreleased", "")
    version, day = sections[1]
    assert day, f"release {version} has no date"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert version == igkg.__version__ == pyproject["project"]["version"]
