"""The CLI in-process: exact output for the main jobs, one-line errors with documented exit codes."""

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.main import get_command
from typer.testing import CliRunner

from igkg import resources
from igkg.cli import app
from igkg.load import parse_file

from .conftest import write_ttl

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


LINEAGE_DOWN_69 = """\
Tunis Agenda, paragraph 69 (paragraph, 2005-11-18) igr:wsis-tunis-agenda.para-69
built upon by (1):
  └── WTPF-13 Opinion 6 — reaffirms para 69 — 2013-05-16 (secondary source)  igr:itu-wtpf-2013-opinion-6
"""

LINEAGE_UP_102 = """\
Resolution 102 (Rev. Guadalajara, 2010) (resolution, 2010-10-22) igr:itu-pp-res-102-rev-2010
builds on (3):
  ├── revises Resolution 102 (Rev. Antalya, 2006) — 2006-11-24 (secondary source)  igr:itu-pp-res-102-rev-2006
  ├── recognizes Tunis Agenda, paragraph 71 — 2005-11-18 (secondary source)  igr:wsis-tunis-agenda.para-71
  └── recognizes Tunis Agenda, paragraph 78 (a) — 2005-11-18 (secondary source)  igr:wsis-tunis-agenda.para-78.a
"""

REVISIONS_102 = """\
ITU Plenipotentiary Resolution 102 (igr:itu-pp-res-102): 2 revision(s)
date        revision          instrument                               revises
----------  ----------------  ---------------------------------------  -------------------------------------------
2006-11-24  Antalya 2006      Resolution 102 (Rev. Antalya, 2006)
2010-10-22  Guadalajara 2010  Resolution 102 (Rev. Guadalajara, 2010)  revises Resolution 102 (Rev. Antalya, 2006)
"""


def test_lineage_down_from_paragraph_69() -> None:
    assert run("lineage", "Tunis Agenda para 69", "--direction", "down") == (0, LINEAGE_DOWN_69, "")


def test_lineage_up_from_resolution_102() -> None:
    assert run("lineage", "PP Res 102 (Rev. Guadalajara, 2010)", "--direction", "up") == (0, LINEAGE_UP_102, "")


def test_lineage_revisions() -> None:
    assert run("lineage", "PP Res 102", "--revisions") == (0, REVISIONS_102, "")


def test_lineage_json() -> None:
    code, out, _ = run("lineage", "Tunis Agenda §69", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["direction"] == "down"
    assert [(s["relation"], s["source"]["label"], s["source"]["date"], s["target"]["pinpoint"]) for s in data["steps"]] == [
        ("reaffirms", "WTPF-13 Opinion 6", "2013-05-16", "para 69")
    ]


def test_lineage_dot() -> None:
    code, out, _ = run("lineage", "Tunis Agenda", "--format", "dot")
    assert code == 0 and out.startswith("digraph lineage {")
    assert '"https://w3id.org/igkg/id/itu-wtpf-2013-opinion-6" -> "https://w3id.org/igkg/id/wsis-tunis-agenda.para-69" [label="reaffirms"];' in out


def test_lineage_paths() -> None:
    assert run("lineage", "WTPF-13 Opinion 6", "--to", "Tunis Agenda") == (
        0,
        "1 path(s) between WTPF-13 Opinion 6 and Tunis Agenda for the Information Society:\n"
        "1. WTPF-13 Opinion 6 —reaffirms→ Tunis Agenda, paragraph 69\n",
        "",
    )


def test_show_paragraph() -> None:
    code, out, _ = run("show", "Tunis Agenda para 71")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Tunis Agenda, paragraph 71 (paragraph, 2005-11-18) igr:wsis-tunis-agenda.para-71"
    assert "  establishes Enhanced cooperation  igr:enhanced-cooperation" in lines
    assert lines[-1] == "  Resolution 102 (Rev. Guadalajara, 2010) (2010-10-22) recognizes para 71 (secondary source)  igr:itu-pp-res-102-rev-2010"


def test_query_table_and_json() -> None:
    code, out, _ = run("query", "citing", "--param", "target=Tunis Agenda para 69")
    assert code == 0
    assert out.splitlines()[2].startswith("igr:itu-wtpf-2013-opinion-6  WTPF-13 Opinion 6  2013-05-16  igkg:reaffirms")
    code, out, _ = run("query", "citing", "-p", "target=Tunis Agenda para 69", "--format", "json")
    assert json.loads(out)[0]["instrument"] == "https://w3id.org/igkg/id/itu-wtpf-2013-opinion-6"
    code, out, _ = run("query", "most-cited", "--format", "csv")
    assert out.splitlines()[0] == "paragraph,label,citedBy"


def test_queries_lists_every_named_query() -> None:
    code, out, _ = run("queries")
    assert code == 0
    names = [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names == ["citing", "igf-vs-ec", "instruments-by-body", "most-cited", "process-paragraphs",
                     "revision-history", "stakeholder-roles", "timeline", "unresolved-references", "unverified-facts"]


def test_export_turtle_matches_nt(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    assert run("export", "--format", "turtle", "-o", str(out))[0] == 0
    _code, nt, _ = run("export", "--format", "nt")
    assert isomorphic(Graph().parse(out, format="turtle"), Graph().parse(data=nt, format="nt"))


def test_validate_and_stats() -> None:
    assert run("validate") == (0, "conforms: the graph passes every shape and hygiene check\n", "")
    code, out, _ = run("stats", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["relations"] == {"recognizes": 2, "reaffirms": 1, "revises": 1}


def test_validate_reports_problems_with_exit_1(tmp_path: Path) -> None:
    bad = write_ttl(tmp_path, "bad.ttl", 'igr:x a igkg:Opinion ; rdfs:label "X" .\n')
    code, out, err = run("validate", str(bad))
    assert code == 1 and err == ""
    assert out.startswith("does not conform: 3 problem(s)\n")
    assert "shacl  igr:x  igkg:dateAdopted: instrument needs exactly one igkg:dateAdopted, an xsd:date" in out


def test_build_reports_counts() -> None:
    ontology = len(parse_file(resources.ontology_file()))
    data = Graph()
    for path in resources.data_files():
        parse_file(path, into=data)
    code, out, _ = run("build")
    assert code == 0
    assert out.splitlines()[0] == f"asserted triples: {ontology + len(data)}  (ontology {ontology}, data {len(data)}, user 0)"
    assert "validate: " in out and "conforms" in out


# (arguments, exit code, the one line on stderr must start with this)
ERRORS = [
    (["lineage", "Tunis Agnda"], 3, "igkg: error: no instrument, paragraph or other node matches 'Tunis Agnda'. Did you mean: Tunis Agenda"),
    (["show", "Tunis Agenda para 999"], 3, "igkg: error: no instrument, paragraph or other node matches"),
    (["query", "-e", "SELECT ?s WHERE { ?s ?p }"], 2, "igkg: error: SPARQL syntax error in -e at line 1, column 19"),
    (["query", "no-such-query"], 3, "igkg: error: no named query or .rq file 'no-such-query'"),
    (["query", "citing"], 2, "igkg: error: query citing needs --param target"),
    (["query", "citing", "-p", "target"], 2, "igkg: error: --param 'target' is not key=value"),
    (["query"], 2, "igkg: error: give a query NAME or FILE"),
    (["lineage", "Tunis Agenda", "--revisions"], 2, "igkg: error: 'Tunis Agenda' is not a revision series"),
    (["lineage", "IGF", "--relation", "likes"], 2, "igkg: error: --param relation: 'likes' is not a reference verb"),
]


@pytest.mark.parametrize(("args", "code", "start"), ERRORS, ids=[" ".join(e[0]) for e in ERRORS])
def test_errors_are_one_line_with_exit_code(args: list[str], code: int, start: str) -> None:
    exit_code, out, err = run(*args)
    assert exit_code == code
    assert err.startswith(start), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def test_malformed_user_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e .\n")
    code, out, err = run("--data", str(bad), "lineage", "IGF")
    assert code == 2 and out == ""
    assert err.startswith(f"igkg: error: {bad}:3: bad syntax") and err.count("\n") == 1


def test_missing_user_file(tmp_path: Path) -> None:
    code, _, err = run("--data", str(tmp_path / "nope.ttl"), "stats")
    assert code == 2 and err == f"igkg: error: {tmp_path / 'nope.ttl'}: No such file or directory\n"


def test_bad_option_is_a_usage_error() -> None:
    assert run("lineage", "IGF", "--direction", "sideways")[0] == 2


COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_command_list() -> None:
    assert COMMANDS == ["build", "export", "lineage", "queries", "query", "show", "stats", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    cmd = get_command(app).commands[command]  # type: ignore[attr-defined]
    assert cmd.help and len(cmd.help) > 20
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage" in out
    for param in cmd.params:
        if param.param_type_name == "option":
            assert param.help, f"{command} {param.name} has no help"
