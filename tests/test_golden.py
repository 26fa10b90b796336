"""Golden output: the main commands on the shipped data print exactly what they printed before the
redesign of issue 24 (files under tests/golden, recorded at 2c89e1d).

Each case is a command line; its expected stdout is tests/golden/NAME.out, or, for exports, the
SHA-256 of the bytes in tests/golden/NAME.sha256. ``IGKG_GOLDEN_WRITE=1`` records them anew: only
for a change of output that is meant, and reviewed in the diff.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from igkg.cli import app

GOLDEN = Path(__file__).resolve().parent / "golden"
WRITE = os.environ.get("IGKG_GOLDEN_WRITE") == "1"

# name -> command line. One per main job and output format; the named queries each once.
CASES: dict[str, list[str]] = {
    "show-tunis-agenda": ["show", "Tunis Agenda"],
    "show-para-69-json": ["show", "Tunis Agenda para 69", "-f", "json"],
    "show-pp-res-102": ["show", "PP Res 102 (Rev. Guadalajara, 2010)"],
    "lineage-para-69-down": ["lineage", "Tunis Agenda para 69"],
    "lineage-res-102-up": ["lineage", "PP Res 102 (Rev. Guadalajara, 2010)", "--direction", "up"],
    "lineage-para-69-both-json": ["lineage", "Tunis Agenda para 69", "--direction", "both", "--depth", "2", "-f", "json"],
    "lineage-para-69-dot": ["lineage", "Tunis Agenda para 69", "-f", "dot"],
    "lineage-reaffirms": ["lineage", "Tunis Agenda para 69", "-r", "reaffirms"],
    "lineage-paths": ["lineage", "WTPF-13 Opinion 6", "--to", "Tunis Agenda"],
    "lineage-revisions": ["lineage", "PP Res 102", "--revisions"],
    "queries": ["queries"],
    "query-citing": ["query", "citing", "-p", "target=Tunis Agenda para 69"],
    "query-citing-json": ["query", "citing", "-p", "target=Tunis Agenda para 69", "-p", "relation=reaffirms", "-f", "json"],
    "query-igf-vs-ec": ["query", "igf-vs-ec"],
    "query-instruments-by-body": ["query", "instruments-by-body", "-f", "csv"],
    "query-meetings": ["query", "meetings"],
    "query-most-cited": ["query", "most-cited", "-f", "tsv"],
    "query-process-paragraphs": ["query", "process-paragraphs", "-p", "process=IGF"],
    "query-revision-history": ["query", "revision-history", "-p", "input=PP Res 102"],
    "query-stakeholder-roles": ["query", "stakeholder-roles"],
    "query-timeline": ["query", "timeline", "-p", "from=2003-01-01", "-p", "to=2010-12-31"],
    "query-unresolved-references": ["query", "unresolved-references"],
    "query-unverified-facts": ["query", "unverified-facts", "-f", "json"],
    "query-adhoc": ["query", "-e", "SELECT ?s WHERE { ?s a igkg:RevisionSeries } ORDER BY ?s"],
    "stats": ["stats"],
    "stats-json": ["stats", "-f", "json"],
    "validate": ["validate"],
    "validate-json": ["validate", "-f", "json"],
}
EXPORTS: dict[str, list[str]] = {
    "export-turtle": ["export"],
    "export-nt-inferred": ["export", "-f", "nt", "--inferred"],
    "export-nquads": ["export", "-f", "nquads"],
    "export-trig": ["export", "-f", "trig"],
    "export-jsonld": ["export", "-f", "jsonld"],
}


def _invoke(args: list[str]) -> bytes:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return result.stdout_bytes


# Each compiles something of its own (the full closure, a walk both ways): left to the full suite.
SLOW = {"query-adhoc", "lineage-para-69-both-json"}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in sorted(CASES)])
def test_command_output_unchanged(name: str) -> None:
    out = _invoke(CASES[name])
    path = GOLDEN / f"{name}.out"
    if WRITE:
        path.write_bytes(out)
    assert out.decode("utf-8") == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_export_bytes_unchanged(name: str) -> None:
    digest = hashlib.sha256(_invoke(EXPORTS[name])).hexdigest()
    path = GOLDEN / f"{name}.sha256"
    if WRITE:
        path.write_text(digest + "\n", encoding="utf-8")
    assert digest == path.read_text(encoding="utf-8").strip()
