"""Where long operations report their stages: nowhere by default, on a terminal with rich.

The library never prints. A caller that wants to see a build, a push or an ingest
move hands it a ``Progress``; the CLI hands it ``TerminalProgress`` when stderr is a
terminal and ``--quiet`` was not given.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any


class Progress:
    """Reports nothing: the default for library calls and for pipes."""

    @contextmanager
    def stage(self, description: str) -> Iterator[None]:
        yield


SILENT = Progress()


class TerminalProgress(Progress):
    """A spinner with elapsed time for each stage, then a line saying how long it took."""

    def __init__(self, file: IO[str] | None = None, *, force_terminal: bool | None = None) -> None:
        # rich is imported only when progress is shown: quiet and piped calls skip its import.
        from rich.console import Console

        self.console = Console(file=file, stderr=file is None, force_terminal=force_terminal, highlight=False)

    @contextmanager
    def stage(self, description: str) -> Iterator[None]:
        started = time.perf_counter()
        with self.console.status(f"{description} …"):
            yield
        self.console.print(f"[dim]{description}: {time.perf_counter() - started:.2f} s[/dim]")


def for_terminal(quiet: bool, stream: Any) -> Progress:
    """TerminalProgress when ``stream`` is a terminal and the user did not ask for quiet."""
    if quiet or not getattr(stream, "isatty", lambda: False)():
        return SILENT
    return TerminalProgress()
