"""The CLI in-process: exact output for the main jobs, one-line errors with documented exit codes."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from typer.main import get_command
from typer.testing import CliRunner

from igkg import resources
from igkg.cli import app
from igkg.pipeline.load import parse_file

from .conftest import write_ttl

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_mini(home: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"IGKG_HOME": str(home)})
    return result.exit_code, result.stdout, result.stderr


LINEAGE_DOWN = """\
Test Agenda, paragraph 1 (paragraph, 2005-01-10) igr:t-agenda.para-1
built upon by (3):
  ├── Test Opinion 4 — reaffirms para 1 — 2013-05-16 (secondary source)  igr:t-opinion
  └── Test outcome 2015, paragraph 9 — recognizes paras 1-3 — 2015-12-16  igr:t-outcome.para-9
      └── Test review 2025 — recalls — 2025-12-17  igr:t-review
"""

LINEAGE_UP = """\
Resolution 7 (Rev. Beta, 2010) (resolution, 2010-06-01) igr:t-res-7-rev-2010
builds on (3):
  ├── revises Resolution 7 (Rev. Alpha, 2006) — 2006-06-01  igr:t-res-7-rev-2006
  ├── [recognizing c)] recognizes Test Agenda, paragraph 2 (a) — 2005-01-10  igr:t-agenda.para-2.a
  └── [recognizing c)] recognizes Test Agenda, paragraph 3 — 2005-01-10  igr:t-agenda.para-3
"""

REVISIONS = """\
Test Resolution 7 (igr:t-series): 2 revision(s)
date        revision    instrument                       revises                                  status
----------  ----------  -------------------------------  ---------------------------------------  ----------------
2006-06-01  Alpha 2006  Resolution 7 (Rev. Alpha, 2006)                                           secondary source
2010-06-01  Beta 2010   Resolution 7 (Rev. Beta, 2010)   revises Resolution 7 (Rev. Alpha, 2006)
"""

SHOW = """\
Test Agenda, paragraph 2 (paragraph, 2005-01-10) igr:t-agenda.para-2
  part of       Test Agenda (igr:t-agenda)
  number        2
  source        Test source <https://example.org/source>
  verification  verified
processes:
  establishes Test Forum  igr:t-proc
parts (1):
  Test Agenda, paragraph 2 (a)  igr:t-agenda.para-2.a
references out (0):
references in (2):
  Resolution 7 (Rev. Beta, 2010), recognizing c) (2010-06-01) recognizes para 2(a)  igr:t-res-7-rev-2010.recognizing-c
  Test outcome 2015, paragraph 9 (2015-12-16) recognizes paras 1-3  igr:t-outcome.para-9
"""


def test_lineage_down(mini_home: Path) -> None:
    assert run_mini(mini_home, "lineage", "TAG para 1", "--direction", "down") == (0, LINEAGE_DOWN, "")


def test_lineage_up(mini_home: Path) -> None:
    assert run_mini(mini_home, "lineage", "Resolution 7 (Rev. Beta, 2010)", "--direction", "up") == (0, LINEAGE_UP, "")


def test_lineage_revisions(mini_home: Path) -> None:
    assert run_mini(mini_home, "lineage", "TR 7", "--revisions") == (0, REVISIONS, "")


def test_show(mini_home: Path) -> None:
    assert run_mini(mini_home, "show", "Test Agenda §2") == (0, SHOW, "")


SHOW_PROCESS = """\
Test Forum (process) igr:t-proc
  distinct from  Test Cooperation (igr:t-proc2)
  also known as  TF
  source         Test source <https://example.org/source>
  verification   verified
texts about this process (2):
  Test Agenda, paragraph 2 (2005-01-10) — establishes  igr:t-agenda.para-2
  Test outcome 2015 (2015-12-16) — extends mandate  igr:t-outcome
meetings (2):
  Test Forum 2009  igr:t-forum-2009
  Test Forum 2011  igr:t-forum-2011
references out (0):
references in (0):
"""


def test_show_process_lists_the_texts_about_it_and_its_meetings(mini_home: Path) -> None:
    assert run_mini(mini_home, "show", "TF") == (0, SHOW_PROCESS, "")


def test_lineage_json(mini_home: Path) -> None:
    code, out, _ = run_mini(mini_home, "lineage", "Test Agenda §1", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["direction"] == "down" and data["root"]["curie"] == "igr:t-agenda.para-1"
    assert [(s["depth"], s["relation"], s["source"]["label"], s["source"]["date"], s["target"]["pinpoint"]) for s in data["steps"]] == [
        (1, "reaffirms", "Test Opinion 4", "2013-05-16", "para 1"),
        (1, "recognizes", "Test outcome 2015, paragraph 9", "2015-12-16", "paras 1-3"),
        (2, "recalls", "Test review 2025", "2025-12-17", None),
    ]


def test_lineage_dot(mini_home: Path) -> None:
    code, out, _ = run_mini(mini_home, "lineage", "Test Agenda", "--format", "dot")
    assert code == 0 and out.startswith("digraph igkg {\n") and 'label="Lineage of Test Agenda"' in out
    assert 'href="https://w3id.org/igkg/id/t-opinion"' in out and "[label=reaffirms]" in out
    assert out.endswith("}\n")
    # --to and --revisions draw too
    code, out, _ = run_mini(mini_home, "lineage", "Test review 2025", "--to", "Test Agenda", "-f", "dot")
    assert code == 0 and 'label="Reference paths between Test review 2025 and Test Agenda"' in out and "[label=recognizes]" in out
    code, out, _ = run_mini(mini_home, "lineage", "Test Resolution 7", "--revisions", "-f", "dot")
    assert code == 0 and "rankdir=LR" in out and "[label=revises]" in out


@pytest.mark.slow  # compiles the shipped data with one more file
def test_query_notes_what_it_leaves_out_on_stderr(tmp_path: Path) -> None:
    undated = tmp_path / "undated.ttl"
    undated.write_text("@prefix igr: <https://w3id.org/igkg/id/> . @prefix igkg: <https://w3id.org/igkg/ontology#> .\n"
                       "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                       'igr:x-undated a igkg:Resolution ; rdfs:label "X" .\n', encoding="utf-8")
    code, out, err = run("--data", str(undated), "query", "timeline", "-f", "csv")
    code_without, out_without, err_without = run("query", "timeline", "-f", "csv")
    assert code == code_without == 0 and out == out_without  # the answer is the same; only the note grows
    n = int(re.search(r"not in the answer: (\d+) instrument\(s\) with no date", err_without)[1])  # type: ignore[index]
    assert f"igkg: note: not in the answer: {n + 1} instrument(s) with no date of adoption" in err


def test_lineage_paths(mini_home: Path) -> None:
    assert run_mini(mini_home, "lineage", "Test review 2025", "--to", "Test Agenda") == (
        0,
        "1 path(s) between Test review 2025 and Test Agenda:\n"
        "1. Test review 2025 —recalls→ Test outcome 2015 —recognizes→ Test Agenda, paragraphs 1-3\n",
        "",
    )


def test_lineage_paths_to_itself_is_a_usage_error(mini_home: Path) -> None:
    """Two names for one node: a one-line error, not the empty path networkx yields."""
    code, out, err = run_mini(mini_home, "lineage", "Test Agenda", "--to", "igr:t-agenda")
    assert (code, out) == (2, "")
    assert err == "igkg: error: 'Test Agenda' and --to 'igr:t-agenda' are the same node (Test Agenda, igr:t-agenda)\n"


def test_lineage_paths_within_one_instrument_is_one_line(mini_home: Path) -> None:
    assert run_mini(mini_home, "lineage", "Test Agenda para 1", "--to", "Test Agenda") == (
        0, "no reference path between Test Agenda, paragraph 1 and Test Agenda\n", "")


def test_shipped_lineage_lists_the_seed_references() -> None:
    code, out, _ = run("lineage", "Tunis Agenda para 69", "--direction", "down")
    assert code == 0
    assert "WTPF-13 Opinion 6 — reaffirms para 69 — 2013-05-16 (secondary source)  igr:itu-wtpf-2013-opinion-6" in out
    code, out, _ = run("lineage", "PP Res 102 (Rev. Guadalajara, 2010)", "--direction", "up")
    assert "recognizes Tunis Agenda, paragraph 71 — 2005-11-18 (secondary source)  igr:wsis-tunis-agenda.para-71" in out
    assert "recognizes Tunis Agenda, paragraph 78 (a) — 2005-11-18 (secondary source)  igr:wsis-tunis-agenda.para-78.a" in out


def test_query_table_and_json(mini_home: Path) -> None:
    code, out, _ = run_mini(mini_home, "query", "citing", "--param", "target=Test Agenda para 1")
    assert (code, out.splitlines()[2:]) == (0, [
        "igr:t-opinion  Test Opinion 4     2013-05-16  igkg:reaffirms   igr:t-agenda.para-1     Test Agenda, paragraph 1"
        "               igkg:SecondarySource",
        "igr:t-outcome  Test outcome 2015  2015-12-16  igkg:recognizes  igr:t-agenda.paras-1-3  Test Agenda, paragraphs 1-3",
    ])
    code, out, _ = run_mini(mini_home, "query", "citing", "-p", "target=Test Agenda para 1", "--format", "json")
    assert [row["instrument"] for row in json.loads(out)] == ["https://w3id.org/igkg/id/t-opinion", "https://w3id.org/igkg/id/t-outcome"]
    code, out, _ = run_mini(mini_home, "query", "most-cited", "--format", "csv")
    assert out.splitlines()[0] == "paragraph,label,citedBy"


def test_queries_lists_every_named_query() -> None:
    code, out, _ = run("queries")
    assert code == 0
    names = [line.split(":")[0] for line in out.splitlines() if not line.startswith(" ")]
    assert names == ["citing", "igf-vs-ec", "instruments-by-body", "meetings", "most-cited", "process-paragraphs",
                     "revision-history", "stakeholder-roles", "timeline", "unresolved-references", "unverified-facts"]


@pytest.mark.slow
def test_export_turtle_matches_nt(tmp_path: Path) -> None:
    out = tmp_path / "g.ttl"
    assert run("export", "--format", "turtle", "-o", str(out))[0] == 0
    _code, nt, _ = run("export", "--format", "nt")
    assert isomorphic(Graph().parse(out, format="turtle"), Graph().parse(data=nt, format="nt"))


def test_validate_and_stats(kg) -> None:  # type: ignore[no-untyped-def]
    assert run("validate") == (0, "conforms: the graph passes every shape and hygiene check\n", "")
    code, out, _ = run("stats", "--format", "json")
    per_verb = {
        str(row[0]).split("#")[-1]: int(row[1])
        for row in kg.dataset.query(
            "SELECT ?r (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a igkg:Citation ; igkg:relation ?r } GROUP BY ?r",
            initNs={"igkg": "https://w3id.org/igkg/ontology#"},
        )
    }
    assert code == 0 and json.loads(out)["relations"] == per_verb


def test_validate_reports_problems_with_exit_1(tmp_path: Path) -> None:
    bad = write_ttl(tmp_path, "bad.ttl", 'igr:x a igkg:Opinion ; rdfs:label "X" .\n')
    code, out, err = run("validate", str(bad))
    assert code == 1 and err == ""
    assert out.startswith("does not conform: 3 problem(s)\n")
    assert "instrument-undated       igr:x  instrument needs exactly one igkg:dateAdopted, an xsd:date" in out
    assert "shacl                    igr:x  dct:source: has no dct:source pointing at an igkg:SourceDocument" in out


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
    (["query", "no-such-query"], 3, "igkg: error: no named query 'no-such-query'. Named queries are: citing, igf-vs-ec,"),
    (["query", "most-citd"], 3, "igkg: error: no named query 'most-citd'. Did you mean most-cited? Named queries are:"),
    (["query", "missing.rq"], 3, "igkg: error: missing.rq: no such query file"),
    (["query", "citing"], 2, "igkg: error: query citing needs --param target"),
    (["query", "citing", "-p", "target"], 2, "igkg: error: --param 'target' is not key=value"),
    (["query"], 2, "igkg: error: give a query NAME or FILE"),
    (["lineage", "Tunis Agenda", "--revisions"], 2, "igkg: error: 'Tunis Agenda' is not a revision series"),
    (["lineage", "IGF", "--relation", "likes"], 2, "igkg: error: --relation: 'likes' is not a reference verb"),
]


@pytest.mark.parametrize(("args", "code", "start"), ERRORS, ids=[" ".join(e[0]) for e in ERRORS])
def test_errors_are_one_line_with_exit_code(args: list[str], code: int, start: str) -> None:
    exit_code, out, err = run(*args)
    assert exit_code == code
    assert err.startswith(start), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


@pytest.mark.slow
def test_malformed_user_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e .\n")
    code, out, err = run("--data", str(bad), "lineage", "IGF")
    assert code == 2 and out == ""
    assert err.startswith(f"igkg: error: {bad}:3: bad syntax") and err.count("\n") == 1


@pytest.mark.slow
def test_missing_user_file(tmp_path: Path) -> None:
    code, _, err = run("--data", str(tmp_path / "nope.ttl"), "stats")
    assert code == 2 and err == f"igkg: error: {tmp_path / 'nope.ttl'}: No such file or directory\n"


@pytest.mark.slow
def test_directories_are_named_plainly(tmp_path: Path) -> None:
    assert run("--data", str(tmp_path), "stats")[1:] == ("", f"igkg: error: {tmp_path}: is a directory; give RDF files (.ttl or .nt)\n")
    code, _, err = run("export", "-o", str(tmp_path))
    assert code == 2 and err == f"igkg: error: {tmp_path}: is a directory; give a file name\n"
    code, _, err = run("export", "-o", str(tmp_path / "typo" / "g.ttl"))
    assert code == 2 and err == f"igkg: error: {tmp_path / 'typo'}: no such folder\n"
    assert not (tmp_path / "typo").exists()


def test_bad_option_is_a_usage_error() -> None:
    assert run("lineage", "IGF", "--direction", "sideways")[0] == 2


COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def test_command_list() -> None:
    assert COMMANDS == ["build", "export", "extract", "ingest", "lineage", "outline", "push", "queries", "query", "show", "stats", "validate"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    cmd = get_command(app).commands[command]  # type: ignore[attr-defined]
    assert cmd.help and len(cmd.help) > 20
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage" in out
    for param in cmd.params:
        if param.param_type_name == "option":
            assert param.help, f"{command} {param.name} has no help"


def _installed(*args: str, stdin: bytes | None = None) -> "subprocess.CompletedProcess[bytes]":
    """The command as installed (``igkg.cli:run``, which exits without the interpreter's teardown),
    its output buffered as in a user's shell."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", "from igkg.cli import run; run()", *args], capture_output=True, input=stdin, env=env)


# Outputs shorter than the stream's buffer too, which only the flush at exit writes out.
@pytest.mark.parametrize("args", [["queries"], ["lineage", "PP Res 102", "--revisions"], ["export", "-f", "nt", "--inferred"]])
def test_the_installed_command_flushes_all_its_output_before_it_exits(args: list[str]) -> None:
    done = _installed(*args)
    assert done.returncode == 0 and done.stderr == b""
    assert done.stdout and done.stdout == runner.invoke(app, args).stdout_bytes


@pytest.mark.parametrize(("args", "code"), [(["show", "no such thing"], 3), (["lineage", "IGF", "--depth", "0"], 2), (["stats", "--bogus"], 2)])
def test_the_installed_command_keeps_the_exit_codes(args: list[str], code: int) -> None:
    done = _installed(*args)
    assert done.returncode == code
    assert done.stdout == b"" and done.stderr.decode().count("igkg: error:") + done.stderr.decode().count("Error") >= 1
