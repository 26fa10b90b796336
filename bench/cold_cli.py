"""Cold CLI lookups on the shipped corpus: each command in a fresh process, on both backends.

Every command runs once to compile the cache, then REPEAT times; the table gives the median
wall time, next to two baselines measured in the same run: the start of a bare Python
interpreter (the floor no CLI can go under) and a Python that imports rdflib and typer (what
any CLI built on them pays before its first line runs), with what each command takes beyond
that. Usage:
    python bench/cold_cli.py [REPEAT]            (default 5)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

IGKG = str(Path(sys.executable).with_name("igkg"))
# An installed igkg imports from cached bytecode. Where PYTHONDONTWRITEBYTECODE is set (some
# containers set it), every process would compile each igkg module that changed since its .pyc
# was last written, which no user's install does; the children run without it.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
COMMANDS = [
    ["lineage", "Tunis Agenda para 69", "--direction", "down"],
    ["lineage", "PP Res 102", "--revisions"],
    ["lineage", "WTPF-13 Opinion 6", "--to", "Tunis Agenda"],
    ["show", "Tunis Agenda para 69"],
    ["query", "citing", "-p", "target=Tunis Agenda para 69"],
    ["query", "most-cited"],
    ["stats"],
]


def wall(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    floor = wall([sys.executable, "-c", "pass"], repeat)
    imports = wall([sys.executable, "-c", "import rdflib, typer"], repeat)
    print(f"bare interpreter start: {floor * 1000:.0f} ms; importing rdflib and typer: {imports * 1000:.0f} ms "
          f"(medians of {repeat})\n")
    print("| command | memory | oxigraph | memory / floor | oxigraph / floor | oxigraph beyond the imports |")
    print("|---|---:|---:|---:|---:|---:|")
    for args in COMMANDS:
        cells = []
        for backend in ("memory", "oxigraph"):
            cmd = [IGKG, "--backend", backend, *args]
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV)  # compiles the cache
            cells.append(wall(cmd, repeat))
        label = " ".join(args)
        print(f"| `{label}` | {cells[0] * 1000:.0f} ms | {cells[1] * 1000:.0f} ms | {cells[0] / floor:.1f}x | {cells[1] / floor:.1f}x "
              f"| {(cells[1] - imports) * 1000:.0f} ms |", flush=True)


if __name__ == "__main__":
    main()
