"""How the build stages grow with the graph: load, OWL RL closure, validation.

Prints, for synthetic graphs of growing size, each stage's time and its ratio to
the smallest graph measured in the same run, and the closure's cost per asserted
triple. Usage: python bench/reasoning.py [SIZES...]   (default 25 50 100 200)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_turtle

from igkg import resources
from igkg.pipeline.load import SourceSet, load
from igkg.pipeline.reason import reason
from igkg.pipeline.validate import validate_store
from igkg.store.memory import MemoryStore


def measure(instruments: int, folder: Path) -> dict[str, float]:
    path = folder / f"syn-{instruments}.ttl"
    path.write_text(synthetic_turtle(instruments), encoding="utf-8")
    sources = SourceSet(ontology=(resources.ontology_file(),), data=(path,))
    t0 = time.perf_counter()
    ds = load(sources)
    t1 = time.perf_counter()
    inferred = reason(ds)
    t2 = time.perf_counter()
    report = validate_store(MemoryStore(ds))
    t3 = time.perf_counter()
    return {
        "instruments": instruments,
        "asserted": len(ds) - len(inferred),
        "inferred": len(inferred),
        "load": t1 - t0,
        "reason": t2 - t1,
        "validate": t3 - t2,
        "problems": len(report.violations),
    }


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(n, Path(tmp)) for n in sizes]
    base = rows[0]
    print(f"{'instruments':>11} {'asserted':>9} {'inferred':>9} {'load s':>7} {'reason s':>9} {'x base':>7} "
          f"{'ms/triple':>9} {'validate s':>10} {'x base':>7} {'problems':>8}")
    for r in rows:
        print(f"{r['instruments']:>11} {r['asserted']:>9} {r['inferred']:>9} {r['load']:>7.2f} {r['reason']:>9.2f} "
              f"{r['reason'] / base['reason']:>7.1f} {1000 * r['reason'] / r['asserted']:>9.2f} {r['validate']:>10.2f} "
              f"{r['validate'] / base['validate']:>7.1f} {r['problems']:>8}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [25, 50, 100, 200])
