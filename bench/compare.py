"""Two commits side by side in one run: issue 5's targets, and each figure new against old.

Measures only igkg's public behaviour (the Python API and the command line), which stays
the same when modules move, so any two commits can be set beside each other:

  a) g10k build: ``igkg.build([syn], rebuild=True)``, wall seconds and peak RSS, best of 2;
  b) g10k warm lineage: median of 20 ``igkg.lineage`` lookups of random synthetic instruments;
  c) every named query (queries/*.rq of the old tree) at g10k, once warm, with its row count;
  d) cold CLI lookups on the shipped corpus, median of --repeat fresh processes, stdout compared.

g10k is the bundled data plus bench/synthetic.py's graph of 10,000 instruments, written once by
the OLD tree's generator and loaded by both trees. Each REF is checked out in a temporary
``git worktree`` (removed at the end); each measurement runs in a fresh process with the same
interpreter, ``PYTHONPATH=<tree>/src``, ``IGKG_HOME=<tree>``, its own cache and an empty user
data folder; the trees alternate (old, new, old, new ...) so both share any change of pace.

    .venv/bin/python bench/compare.py                      # 2c89e1d against this working tree
    .venv/bin/python bench/compare.py --old 2c89e1d --new HEAD --repeat 5 --json out.json
    .venv/bin/python bench/compare.py --quick              # shipped corpus only, no g10k

Prints one Markdown table; "met" is yes when new meets the target and new/old <= 1.20.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORSE = 1.20  # new/old above this fails, whatever the target says
# Values that return rows on the bundled data, for each named query's required parameters.
PARAMS = {
    "citing": {"target": "Tunis Agenda para 69"},
    "process-paragraphs": {"process": "IGF"},
    "revision-history": {"input": "PP Res 102"},
}
CLI = [["show", "Tunis Agenda"], ["lineage", "Tunis Agenda para 69"], ["query", "most-cited"], ["stats"]]
RUN_CLI = "from igkg.cli import run; run()"  # what the installed `igkg` script calls

# The child's side: only the public API; one JSON line on stdout.
CHILD = r"""
import hashlib, json, resource, sys, time
import igkg
mode, arg = sys.argv[1], json.loads(sys.argv[2])
out = {"module": igkg.__file__}
if mode == "build":
    t0, c0 = time.perf_counter(), time.process_time()
    report = igkg.build(arg["extra"], rebuild=True)
    out["seconds"], out["cpu"] = time.perf_counter() - t0, time.process_time() - c0
    out["triples"] = sum(report.triples.values())
elif mode == "lineage":
    kg = igkg.open_graph(arg["extra"], use_cache=True)
    igkg.lineage(kg, arg["refs"][0], direction="down")  # warms: the imports, the name index, the first reads
    times, steps = [], 0
    for ref in arg["refs"][1:]:
        t0 = time.perf_counter()
        steps += len(igkg.lineage(kg, ref, direction="down").steps)
        times.append(time.perf_counter() - t0)
    out["times"], out["steps"] = times, steps
elif mode == "queries":
    kg = igkg.open_graph(arg["extra"], use_cache=True)
    for name, params in arg["queries"].items():
        igkg.query(kg, name, params=params)  # untimed: the warm-up
        t0, c0 = time.perf_counter(), time.process_time()
        r = igkg.query(kg, name, params=params)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        digest = hashlib.sha1("\n".join(sorted(repr([str(c) for c in row]) for row in r.rows)).encode()).hexdigest()
        out[name] = {"seconds": seconds, "cpu": cpu, "rows": len(r.rows), "digest": digest[:12]}
out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


class Tree:
    """One side of the comparison: a source tree, its label, and how to run code in it."""

    def __init__(self, side: str, root: Path, label: str, scratch: Path):
        self.side, self.root, self.label, self.scratch = side, root, label, scratch
        (scratch / "user").mkdir(parents=True)

    def env(self, cache: str) -> dict[str, str]:
        # No inherited IGKG_* setting may steer one tree; bytecode caches work as in a user's install.
        env = {k: v for k, v in os.environ.items() if not k.startswith("IGKG_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(self.root / "src"), IGKG_HOME=str(self.root),
                   IGKG_CACHE_DIR=str(self.scratch / f"cache-{cache}"), IGKG_USER_DATA=str(self.scratch / "user"))
        return env

    def run(self, args: list[str], cache: str) -> subprocess.CompletedProcess[bytes]:
        p = subprocess.run([sys.executable, *args], capture_output=True, env=self.env(cache), cwd=self.scratch)
        if p.returncode != 0:
            raise SystemExit(f"{self.side} tree failed: {args[:4]}\n{p.stderr.decode(errors='replace')[-2000:]}")
        return p

    def child(self, mode: str, arg: dict, cache: str) -> dict:
        out = json.loads(self.run(["-c", CHILD, mode, json.dumps(arg)], cache).stdout.decode().splitlines()[-1])
        if not out["module"].startswith(str(self.root / "src")):
            raise SystemExit(f"{self.side} tree imported igkg from {out['module']}, not from {self.root}/src")
        return out


def checkout(repo: Path, ref: str | None, side: str, scratch: Path, worktrees: list[Path]) -> Tree:
    """A tree for REF (a temporary detached worktree), or the working tree of REPO when REF is None."""
    if ref is None:
        changed = git(repo, "status", "--porcelain", "--untracked-files=no")
        n = len(changed.splitlines())
        dirty = f", working tree with {n} changed file{'s' * (n != 1)}" if n else ", working tree"
        return Tree(side, repo, git(repo, "rev-parse", "--short", "HEAD") + dirty, scratch / side)
    path = scratch / f"wt-{side}"
    git(repo, "worktree", "add", "--detach", str(path), ref)
    worktrees.append(path)
    return Tree(side, path, git(path, "rev-parse", "--short", "HEAD"), scratch / side)


def named_queries(old_root: Path) -> dict[str, dict[str, str]]:
    """The OLD tree's queries/*.rq (not subfolders), each with values for its required parameters."""
    out = {}
    for f in sorted((old_root / "queries").glob("*.rq")):
        params = {}
        for name, need in re.findall(r"^# param: (\S+) \([^,]+, (required|optional)\)", f.read_text(), re.M):
            if need == "required":
                if name not in PARAMS.get(f.stem, {}):
                    raise SystemExit(f"no value for required parameter {name!r} of query {f.stem}: add it to PARAMS")
                params[name] = PARAMS[f.stem][name]
        out[f.stem] = params
    return out


def synthetic(old: Tree, n: int, folder: Path) -> Path:
    """syn-N.ttl, written by the old tree's bench/synthetic.py."""
    path = folder / f"syn-{n}.ttl"
    code = (f"import sys; sys.path.insert(0, {str(old.root / 'bench')!r}); from synthetic import synthetic_turtle; "
            f"open({str(path)!r}, 'w').write(synthetic_turtle({n}))")
    old.run(["-c", code], "none")
    return path


def instrument_refs(path: Path, count: int) -> list[str]:
    """COUNT instrument IRIs from the synthetic file, the same for both trees (seed 1)."""
    ids = re.findall(r"^igr:(syn-\d+) a igkg:", path.read_text(), re.M)
    return [f"https://w3id.org/igkg/id/{i}" for i in random.Random(1).sample(ids, count)]


def measure_graph(trees: list[Tree], n: int, syn: Path | None, queries: dict, rows: list, raw: dict) -> None:
    """a), b), c) on the bundled data plus syn (c) alone on the bundled data when syn is None)."""
    tag = (f"g{n // 1000}k" if n % 1000 == 0 else f"g{n}") if syn else "shipped"
    extra, cache = [str(syn)] if syn else [], tag
    if syn:
        runs: dict[str, list[dict]] = {t.side: [] for t in trees}
        for i in range(2):
            for t in trees:
                shutil.rmtree(t.scratch / f"cache-{cache}", ignore_errors=True)  # each build starts from nothing
                log(f"{tag} build {i + 1}/2, {t.side}")
                runs[t.side].append(t.child("build", {"extra": extra}, cache))
        raw[f"{tag} build"] = runs
        best = {s: min(r["seconds"] for r in v) for s, v in runs.items()}
        rss = {s: min(r["maxrss_mb"] for r in v) for s, v in runs.items()}
        # Beside each wall time, the CPU seconds of the same call: less moved by other loads on the machine.
        both = {s: ", ".join(f"{r['seconds']:.1f}" for r in v) + "; CPU " + ", ".join(f"{r['cpu']:.1f}" for r in v)
                for s, v in runs.items()}
        big = n == 10000  # the targets are for g10k
        rows.append((f"{tag} build, wall (best of 2; both runs)", "< 30 s" if big else "—", best, 30 if big else None,
                     lambda v, s: f"{v:.1f} s ({both[s]})"))
        rows.append((f"{tag} build, peak RSS (lower of 2)", "< 2 GB" if big else "—", rss, 2048 if big else None,
                     lambda v, s: f"{v:,.0f} MB"))
        triples = {s: {r["triples"] for r in v} for s, v in runs.items()}
        if len({frozenset(x) for x in triples.values()}) > 1:
            log(f"!!! {tag} build: triple counts DIFFER between trees: {triples}")

        refs = instrument_refs(syn, 21)
        lin = {}
        for t in trees:
            log(f"{tag} lineage, {t.side}")
            lin[t.side] = t.child("lineage", {"extra": extra, "refs": refs}, cache)
        raw[f"{tag} lineage"] = lin
        med = {s: statistics.median(v["times"]) * 1000 for s, v in lin.items()}
        steps = {s: v["steps"] for s, v in lin.items()}
        rows.append((f"{tag} lineage down, warm (median of 20 instruments)", "< 20 ms" if big else "—", med,
                     20 if big else None, lambda v, s: f"{v:.1f} ms"))
        if len(set(steps.values())) > 1:
            log(f"!!! {tag} lineage: steps over the 20 lookups DIFFER between trees: {steps}")

    res = {}
    for t in trees:
        log(f"{tag} named queries, {t.side}")
        res[t.side] = t.child("queries", {"extra": extra, "queries": queries}, cache)
    raw[f"{tag} queries"] = res
    for name in queries:
        got = {s: res[s][name] for s in res}
        if len({(g["rows"], g["digest"]) for g in got.values()}) > 1:
            log(f"!!! query {name}: rows DIFFER between trees: {got}")
        counts = "/".join(sorted({str(g["rows"]) for g in got.values()}))
        rows.append((f"{tag} query `{name}` ({counts} rows), warm", "< 1 s",
                     {s: g["seconds"] for s, g in got.items()}, 1.0, lambda v, s, got=got: f"{v:.3f} s (CPU {got[s]['cpu']:.3f})"))


def measure_cli(trees: list[Tree], repeat: int, rows: list, raw: dict) -> None:
    """d) each command as a fresh process on the shipped corpus, after an untimed run that compiles the cache."""
    for args in CLI:
        label = " ".join(f'"{a}"' if " " in a else a for a in args)
        log(f"cold CLI: igkg {label}")
        cmd = ["-c", RUN_CLI, *args]
        for t in trees:
            t.run(cmd, "shipped")
        times: dict[str, list[float]] = {t.side: [] for t in trees}
        outputs = {}
        for _ in range(repeat):
            for t in trees:
                t0 = time.perf_counter()
                p = t.run(cmd, "shipped")
                times[t.side].append(time.perf_counter() - t0)
                outputs[t.side] = p.stdout
        same = len(set(outputs.values())) == 1
        if not same:
            log(f"!!! igkg {label}: DIFFERENT output between trees")
        raw[f"cli {label}"] = {"times": times, "same_output": same}
        rows.append((f"cold `igkg {label}` (median of {repeat}; {'same output' if same else 'DIFFERENT output'})",
                     "< 0.5 s", {s: statistics.median(v) for s, v in times.items()}, 0.5, lambda v, s: f"{v * 1000:.0f} ms"))


def floor(repeat: int) -> str:
    """The pace of the machine in this run: a bare interpreter, and one that imports rdflib and typer."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out = []
    for code in ("pass", "import rdflib, typer"):
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=env)
            times.append(time.perf_counter() - t0)
        out.append(f"`python -c {code!r}` {statistics.median(times) * 1000:.0f} ms")
    return ", ".join(out) + f" (medians of {repeat}, not igkg: the machine's pace)"


def table(rows: list, old: Tree, new: Tree) -> str:
    lines = [f"| measure | target | old ({old.label}) | new ({new.label}) | new/old | met |", "|---|---|---:|---:|---:|---|"]
    for measure, target, vals, limit, fmt in rows:
        ratio = vals["new"] / vals["old"] if vals["old"] else float("inf")
        failed = ([] if limit is None or vals["new"] < limit else ["target"]) + ([] if ratio <= WORSE else [f"{ratio:.2f}x old"])
        met = "yes" if not failed else "no: " + ", ".join(failed)
        lines.append(f"| {measure} | {target} | {fmt(vals['old'], 'old')} | {fmt(vals['new'], 'new')} | {ratio:.2f} | {met} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", default="2c89e1d", help="git ref of the baseline (default 2c89e1d)")
    ap.add_argument("--new", default=None, help="git ref to compare (default: this repository's working tree)")
    ap.add_argument("--sizes", default="10000", help="synthetic instruments, comma-separated (default 10000)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each cold CLI command (default 5)")
    ap.add_argument("--quick", action="store_true", help="the shipped corpus only, no synthetic graph")
    ap.add_argument("--json", type=Path, help="write the raw numbers here")
    opts = ap.parse_args()

    repo = Path(git(HERE, "rev-parse", "--show-toplevel"))
    scratch = Path(tempfile.mkdtemp(prefix="igkg-compare-"))
    worktrees: list[Path] = []
    raw: dict = {}
    rows: list = []
    started, load_before = datetime.now(), os.getloadavg()
    try:
        old = checkout(repo, opts.old, "old", scratch, worktrees)
        new = checkout(repo, opts.new, "new", scratch, worktrees)
        trees = [old, new]
        for t in trees:  # warm-up: writes each tree's bytecode caches before anything is timed
            t.run(["-c", "import igkg, igkg.cli"], "none")
        queries = named_queries(old.root)
        if opts.quick:
            measure_graph(trees, 0, None, queries, rows, raw)
        for n in ([] if opts.quick else [int(s) for s in opts.sizes.split(",")]):
            log(f"writing syn-{n}.ttl with the old tree's generator")
            measure_graph(trees, n, synthetic(old, n, scratch), queries, rows, raw)
        measure_cli(trees, opts.repeat, rows, raw)
        pace = floor(opts.repeat)
    finally:
        for path in worktrees:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(path)], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)

    load_after = os.getloadavg()
    print(f"Run {started:%Y-%m-%d %H:%M}-{datetime.now():%H:%M}; {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}; load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end.")
    print(pace + ".")
    print(f"old: {old.label} (--old {opts.old}); new: {new.label} (--new {opts.new or 'working tree'}).\n")
    print(table(rows, old, new))
    if opts.json:
        values = [{"measure": r[0], "target": r[1], "old": r[2]["old"], "new": r[2]["new"]} for r in rows]
        opts.json.write_text(json.dumps({"old": old.label, "new": new.label, "rows": values, "raw": raw}, indent=1))


if __name__ == "__main__":
    main()
