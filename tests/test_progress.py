"""Long commands show their stages on a terminal, and nothing when quiet or piped."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from igkg.pipeline.compile import compile_graph
from igkg.progress import SILENT, Progress, TerminalProgress, for_terminal

from .conftest import igkg_home
from .test_cli import run_mini


class Recorder(Progress):
    def __init__(self) -> None:
        self.stages: list[str] = []

    @contextmanager
    def stage(self, description: str) -> Iterator[None]:
        self.stages.append(description)
        yield


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("backend", "stages"),
    [
        pytest.param("memory", ["loading", "reasoning", "writing", "validating"], marks=pytest.mark.slow),
        ("oxigraph", ["loading", "reasoning", "compacting", "writing", "validating"]),
    ],
)
def test_a_fresh_build_reports_each_stage_in_order(mini_home: Path, backend: str, stages: list[str]) -> None:
    rec = Recorder()
    with igkg_home(mini_home):
        compile_graph(rebuild=True, validate=True, progress=rec, backend=backend)
    assert [s.split(" ")[0] for s in rec.stages] == stages


def test_a_cached_build_has_no_stages_to_report(kg) -> None:  # type: ignore[no-untyped-def]
    # Other tests compile graphs of their own, and the cache keeps only the newest few.
    compile_graph(backend="memory")
    rec = Recorder()
    compile_graph(progress=rec, backend="memory")
    assert rec.stages == []


def test_terminal_progress_prints_each_stage_with_its_time() -> None:
    out = FakeTerminal()
    progress = TerminalProgress(out, force_terminal=True)
    with progress.stage("reasoning (fast)"):
        pass
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())  # without the terminal's escape codes
    assert re.search(r"reasoning \(fast\): 0\.\d\d s$", text.rstrip())


def test_quiet_or_a_pipe_means_no_progress() -> None:
    assert for_terminal(True, FakeTerminal()) is SILENT
    assert for_terminal(False, io.StringIO()) is SILENT
    assert isinstance(for_terminal(False, FakeTerminal()), TerminalProgress)


def test_cli_build_with_quiet_prints_only_the_report(mini_home: Path) -> None:
    code, out, err = run_mini(mini_home, "--quiet", "build", "--no-cache")
    assert code in (0, 1), err  # the test network need not conform; the report is printed either way
    assert "reasoning" not in err and "validating" not in err
    assert "asserted triples" in out
