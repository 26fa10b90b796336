"""Two commits side by side in one run: what users get at g1k, g10k and g100k (issue 25).

Measures only igkg's public behaviour (the Python API and the command line), which stays the same
when modules move, so any two commits can be set beside each other. For each size N (the bundled
data plus bench/synthetic.py's graph of N instruments, written once by the OLD tree's generator and
given to both trees as an extra file):

  build         ``igkg.build([syn], rebuild=True)`` from an empty cache (validates): wall, CPU, peak RSS;
  ready         from an empty cache, a fresh ``igkg --data syn query meetings`` (compiles, no validation);
  first lookup  after the build: in one API child ``open_graph`` then the first ``lineage``, each timed,
                and a fresh CLI ``lineage IRI --direction down`` and ``show "Tunis Agenda"``, each on
                the cache as the build left it;
  later         in that child, the median of 20 more ``lineage`` and of 20 ``show`` lookups;
  queries       every named query of the old tree, cold (first call in a fresh process after
                ``open_graph``) and warm (second call), rows compared between the trees;
  export        ``igkg.export(kg, "nt", inferred=True)``: time and peak RSS;
  reference     the build and the named queries of the NEW tree on the reference engines
                (IGKG_BACKEND=memory, owlrl), under --reference-timeout;
and on the shipped corpus alone: the build and the named queries (with the reference path, which finishes
there), and cold CLI lookups (median of --repeat fresh processes, output compared).

Each REF is checked out in a temporary ``git worktree`` (removed at the end); each measurement is a
fresh process with the same interpreter, ``PYTHONPATH=<tree>/src``, ``IGKG_HOME=<tree>``, its own
cache, an empty user data folder, under --timeout (killed beyond it; the run goes on); the trees
alternate (old, new, old, new ...) so both share any change of pace. Peak RSS is the child's own
(``ru_maxrss`` from ``wait4``).

    .venv/bin/python bench/compare.py                              # 70529ca against this working tree
    .venv/bin/python bench/compare.py --old 70529ca --new HEAD --json out.json
    .venv/bin/python bench/compare.py --sizes 1000 --skip-reference  # about 5 min
    .venv/bin/python bench/compare.py --quick                      # shipped corpus only

Prints one Markdown table per size; "met" is yes when new meets the target and new/old <= 1.20.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
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
LOOKUPS = 20  # later lookups, after the first
REFERENCE_ENV = {"IGKG_BACKEND": "memory", "IGKG_REASONER": "owlrl"}


def targets(n: int) -> dict[str, float]:
    """Issue 25's targets at size n (seconds, MB); a measure not named here has none."""
    if n == 10000:
        return {"query": 1.0, "ready": 15.0, "first lineage": 0.5}
    if n == 100000:
        return {"query": 5.0, "ready": 120.0, "ready rss": 4096.0, "first lineage": 2.0, "later": 0.050}
    return {}


# The child's side: only the public API; one JSON object per line on stdout, each as soon as it is
# known, so a child killed at its time limit still leaves what it measured.
CHILD = r"""
import hashlib, inspect, json, resource, statistics, sys, time
import igkg

def emit(**kw):
    print(json.dumps(kw), flush=True)

def digest(rows):
    return hashlib.sha1("\n".join(sorted(repr([str(c) for c in row]) for row in rows)).encode()).hexdigest()[:12]

def timed(fn):
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn()
    return value, time.perf_counter() - t0, time.process_time() - c0

mode, arg = sys.argv[1], json.loads(sys.argv[2])
emit(module=igkg.__file__)
if mode == "build":
    # reasoner= where build takes it; the reference child has IGKG_REASONER set as well.
    kw = {"reasoner": arg["reasoner"]} if arg.get("reasoner") and "reasoner" in inspect.signature(igkg.build).parameters else {}
    report, seconds, cpu = timed(lambda: igkg.build(arg["extra"], rebuild=True, **kw))
    v = report.validation
    emit(seconds=seconds, cpu=cpu, triples=sum(report.triples.values()),
         conforms=None if v is None else v.conforms, violations=None if v is None else len(v.violations))
else:
    kg, seconds, cpu = timed(lambda: igkg.open_graph(arg["extra"]))
    emit(open_seconds=seconds, open_cpu=cpu, from_cache=getattr(getattr(kg, "report", None), "from_cache", None))
    if mode == "lookups":
        refs = arg["refs"]
        lin, seconds, cpu = timed(lambda: igkg.lineage(kg, refs[0], direction="down"))
        emit(first_lineage=seconds, first_lineage_cpu=cpu, first_steps=len(lin.steps))
        times, steps = [], 0
        for ref in refs[1:]:
            lin, seconds, _ = timed(lambda: igkg.lineage(kg, ref, direction="down"))
            times.append(seconds)
            steps += len(lin.steps)
        emit(lineage_times=times, lineage_median=statistics.median(times), steps=steps)
        _, seconds, _ = timed(lambda: igkg.show(kg, refs[0]))
        emit(first_show=seconds)
        times = [timed(lambda: igkg.show(kg, ref))[1] for ref in refs[1:]]
        emit(show_times=times, show_median=statistics.median(times))
    elif mode == "query":
        for call in ("cold", "warm"):
            r, seconds, cpu = timed(lambda: igkg.query(kg, arg["name"], params=arg["params"]))
            emit(**{call: {"seconds": seconds, "cpu": cpu, "rows": len(r.rows), "digest": digest(r.rows)}})
    elif mode == "export":
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        data, seconds, cpu = timed(lambda: igkg.export(kg, "nt", inferred=True))
        emit(seconds=seconds, cpu=cpu, bytes=len(data), lines=data.count(b"\n"), rss_before_mb=before)
"""


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout.strip()


@dataclass
class Run:
    """One child process: how it ended, what it cost, and what it printed."""

    status: str  # "ok", "killed" (over its time limit) or "failed" (non-zero exit)
    limit: float
    wall: float
    cpu: float
    rss_mb: float
    stdout: bytes
    out: dict = field(default_factory=dict)  # the merged JSON lines of an API child

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def raw(self) -> dict:
        return {"status": self.status, "wall": self.wall, "cpu": self.cpu, "rss_mb": self.rss_mb, **self.out}


class Tree:
    """One side of the comparison: a source tree, its label, and how to run code in it."""

    def __init__(self, side: str, root: Path, label: str, scratch: Path):
        self.side, self.root, self.label, self.scratch = side, root, label, scratch
        (scratch / "user").mkdir(parents=True)

    def env(self, cache: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        # No inherited IGKG_* setting may steer one tree; bytecode caches work as in a user's install.
        env = {k: v for k, v in os.environ.items() if not k.startswith("IGKG_") and k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(self.root / "src"), IGKG_HOME=str(self.root),
                   IGKG_CACHE_DIR=str(self.scratch / f"cache-{cache}"), IGKG_USER_DATA=str(self.scratch / "user"))
        env.update(extra or {})
        return env

    def clear(self, cache: str) -> None:
        shutil.rmtree(self.scratch / f"cache-{cache}", ignore_errors=True)

    def entries(self, cache: str) -> set[str]:
        folder = self.scratch / f"cache-{cache}"
        return set(os.listdir(folder)) if folder.is_dir() else set()

    def restore(self, cache: str, built: set[str]) -> None:
        """Remove what was written beside the compiled graph since ENTRIES were taken (a citation
        network, say), so that the next lookup is again the first after the build."""
        for name in sorted(self.entries(cache) - built):
            path = self.scratch / f"cache-{cache}" / name
            log(f"    {self.side}: removing {name}, written after the build")
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()

    def run(self, args: list[str], cache: str, limit: float, env: dict[str, str] | None = None) -> Run:
        """Run the interpreter with ARGS in a fresh process, killed (with its children) after LIMIT seconds."""
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):  # ended meanwhile
                os.killpg(p.pid, signal.SIGKILL)

        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            p = subprocess.Popen([sys.executable, *args], stdout=out, stderr=err, env=self.env(cache, env),
                                 cwd=self.scratch, start_new_session=True)
            timer = threading.Timer(limit, kill)
            timer.start()
            _, status, usage = os.wait4(p.pid, 0)  # the child's own rusage: its peak RSS, not the largest so far
            wall = time.perf_counter() - t0
            timer.cancel()
            p.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        state = "ok" if p.returncode == 0 else "killed" if killed.is_set() else "failed"
        if state == "killed":
            log(f"    {self.side}: killed after {limit:.0f} s")
        elif state == "failed":
            log(f"!!! {self.side} tree failed (exit {p.returncode}): {args[-3:]}\n{stderr.decode(errors='replace')[-2000:]}")
        return Run(state, limit, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stdout)

    def child(self, mode: str, arg: dict, cache: str, limit: float, env: dict[str, str] | None = None) -> Run:
        """An API child (CHILD above); its JSON lines merged into Run.out."""
        run = self.run(["-c", CHILD, mode, json.dumps(arg)], cache, limit, env)
        for line in run.stdout.decode(errors="replace").splitlines():
            if line.startswith("{"):
                run.out.update(json.loads(line))
        module = run.out.get("module")
        if module is not None and not module.startswith(str(self.root / "src")):
            raise SystemExit(f"{self.side} tree imported igkg from {module}, not from {self.root}/src")
        return run

    def cli(self, args: list[str], cache: str, limit: float) -> Run:
        return self.run(["-c", RUN_CLI, *args], cache, limit)


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


def synthetic(old: Tree, n: int, folder: Path, limit: float) -> Path:
    """syn-N.ttl, written by the old tree's bench/synthetic.py."""
    path = folder / f"syn-{n}.ttl"
    code = (f"import sys; sys.path.insert(0, {str(old.root / 'bench')!r}); from synthetic import synthetic_turtle; "
            f"open({str(path)!r}, 'w').write(synthetic_turtle({n}))")
    if not old.run(["-c", code], "none", limit).ok:
        raise SystemExit(f"the old tree's bench/synthetic.py could not write {path.name}")
    return path


def instrument_refs(path: Path, count: int) -> list[str]:
    """COUNT instrument IRIs from the synthetic file, the same for both trees (seed 1)."""
    pattern = re.compile(r"igr:(syn-\d+) a igkg:")
    with path.open(encoding="utf-8") as f:
        ids = [m.group(1) for line in f if (m := pattern.match(line))]
    return [f"https://w3id.org/igkg/id/{i}" for i in random.Random(1).sample(ids, count)]


# --- cells and rows --------------------------------------------------------------------------


@dataclass
class Fig:
    """A table cell: the value compared with the target and the other side (None: no figure), and its text."""

    value: float | None
    text: str


def fig(run: Run | None, value: Callable[[Run], float | None], fmt: Callable[[float], str]) -> Fig:
    """The figure VALUE reads from RUN, or why there is none."""
    if run is None:
        return Fig(None, "not run")
    v = value(run)
    if v is not None:
        return Fig(v, fmt(v))
    if run.status == "killed":
        return Fig(None, f"> {run.limit:.0f} s (killed)")
    return Fig(None, "failed" if run.status == "failed" else "no figure")


def best(runs: list[Run], value: Callable[[Run], float | None], fmt: Callable[[float], str]) -> Fig:
    """The lowest figure over RUNS, or the first run's reason for having none."""
    figs = [fig(r, value, fmt) for r in runs]
    found = [f for f in figs if f.value is not None]
    return min(found, key=lambda f: f.value or 0.0) if found else figs[0] if figs else Fig(None, "not run")


def get(*keys: str) -> Callable[[Run], float | None]:
    """Reads Run.out[k1][k2]..., None where missing."""

    def read(run: Run) -> float | None:
        v = run.out
        for k in keys:
            if not isinstance(v, dict) or k not in v:
                return None
            v = v[k]
        return v  # type: ignore[return-value]

    return read


def if_ok(value: Callable[[Run], float]) -> Callable[[Run], float | None]:
    return lambda r: value(r) if r.ok else None


def secs(v: float) -> str:
    return f"{v:.3f} s" if v < 10 else f"{v:.1f} s"


def msecs(v: float) -> str:
    return f"{v * 1000:.1f} ms" if v < 0.1 else f"{v * 1000:.0f} ms"


def mbytes(v: float) -> str:
    return f"{v:,.0f} MB"


@dataclass
class Row:
    measure: str
    target: str  # as printed
    limit: float | None  # in the unit of the figures
    old: Fig
    new: Fig
    ref: Fig | None = None  # the reference path (new tree), where measured


def target_text(limit: float | None, unit: str) -> str:
    if limit is None:
        return "—"
    if unit == "MB":
        return f"< {limit / 1024:g} GB"
    return f"< {limit * 1000:g} ms" if unit == "ms" else f"< {limit:g} s"


def table(rows: list[Row], old: Tree, new: Tree) -> str:
    lines = [f"| measure | target | old ({old.label}) | new ({new.label}) | new/old | reference | met |",
             "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        o, n = r.old.value, r.new.value
        ratio = n / o if n is not None and o else None
        failed = []
        if n is None:
            failed.append("new has no figure")
        elif r.limit is not None and n >= r.limit:
            failed.append("target")
        if ratio is not None and ratio > WORSE:
            failed.append(f"{ratio:.2f}x old")
        met = "yes" if not failed else "no: " + ", ".join(failed)
        ref = "—"
        if r.ref is not None:
            ref = r.ref.text
            if r.ref.value and n is not None:
                q = n / r.ref.value
                ref += f" (new/ref {q:.2f})" if q >= 0.1 else f" (new/ref {q:.2g})"
        ratio_text = f"{ratio:.2f}" if ratio is not None else "—"
        lines.append(f"| {r.measure} | {r.target} | {r.old.text} | {r.new.text} | {ratio_text} | {ref} | {met} |")
    return "\n".join(lines)


# --- measurements ----------------------------------------------------------------------------


@dataclass
class Bench:
    trees: list[Tree]
    queries: dict[str, dict[str, str]]
    limit: float  # --timeout
    ref_limit: float  # --reference-timeout
    reference: bool
    raw: dict = field(default_factory=dict)
    ref_gave_up: str | None = None  # the size at which the reference build did not finish: larger ones are not tried

    @property
    def new(self) -> Tree:
        return self.trees[1]

    def alternate(self, what: str, times: int, fn: Callable[[Tree], Run]) -> dict[str, list[Run]]:
        """fn for each tree in turn, TIMES rounds (old, new, old, new ...)."""
        runs: dict[str, list[Run]] = {t.side: [] for t in self.trees}
        for i in range(times):
            for t in self.trees:
                log(f"{what} {i + 1}/{times}, {t.side}")
                runs[t.side].append(fn(t))
        self.raw[what] = {side: [r.raw() for r in rs] for side, rs in runs.items()}
        return runs

    def same(self, what: str, runs: dict[str, list[Run]], key: Callable[[Run], object]) -> bool:
        """Whether the finished runs of both trees agree on KEY; a difference is printed with !!!."""
        seen = {side: {repr(key(r)) for r in rs if r.ok} for side, rs in runs.items()}
        if all(seen.values()) and len(set().union(*seen.values())) > 1:
            log(f"!!! {what}: DIFFERENT between trees: {seen}")
            return False
        return True

    # one size

    def size(self, n: int, syn: Path) -> list[Row]:
        tag = f"g{n // 1000}k" if n % 1000 == 0 else f"g{n}"
        goal = targets(n)
        extra = [str(syn)]
        refs = instrument_refs(syn, LOOKUPS + 1)
        rounds = 1 if n >= 100000 else 2
        rows: list[Row] = []

        def ready(t: Tree) -> Run:
            t.clear(tag)
            return t.cli(["--data", str(syn), "query", "meetings"], tag, self.limit)

        runs = self.alternate(f"{tag} ready to query", rounds, ready)
        self.same(f"{tag} `igkg query meetings` output", runs, lambda r: hashlib.sha1(r.stdout).hexdigest())
        of = f", best of {rounds}" if rounds > 1 else ""
        rows.append(Row(f"{tag} ready to query: `igkg --data syn query meetings`, empty cache, wall{of}",
                        target_text(goal.get("ready"), "s"), goal.get("ready"),
                        *(best(runs[s], if_ok(lambda r: r.wall), secs) for s in ("old", "new"))))
        rows.append(Row(f"{tag} ready to query, peak RSS{' (lower of 2)' if rounds > 1 else ''}",
                        target_text(goal.get("ready rss"), "MB"), goal.get("ready rss"),
                        *(best(runs[s], if_ok(lambda r: r.rss_mb), mbytes) for s in ("old", "new"))))

        # The build, each from an empty cache; after each, the first lookups on what it wrote.
        lookups: dict[str, list[dict[str, Run]]] = {t.side: [] for t in self.trees}
        iri = refs[0]

        def build(t: Tree) -> Run:
            t.clear(tag)
            run = t.child("build", {"extra": extra}, tag, self.limit)
            if run.ok and run.out.get("conforms") is False:
                log(f"!!! {tag} build, {t.side}: the graph does not conform ({run.out.get('violations')} violations)")
            if run.ok:
                # Each of the three is the first lookup on the cache as the build left it.
                log(f"{tag} first lookups after the build, {t.side}")
                built = t.entries(tag)
                firsts = {"api": t.child("lookups", {"extra": extra, "refs": refs}, tag, self.limit)}
                t.restore(tag, built)
                firsts["lineage"] = t.cli(["--data", str(syn), "lineage", iri, "--direction", "down"], tag, self.limit)
                t.restore(tag, built)
                firsts["show"] = t.cli(["--data", str(syn), "show", "Tunis Agenda"], tag, self.limit)
                lookups[t.side].append(firsts)
            return run

        runs = self.alternate(f"{tag} build", rounds, build)
        self.raw[f"{tag} lookups"] = {s: [{k: r.raw() for k, r in d.items()} for d in v] for s, v in lookups.items()}
        self.same(f"{tag} build triples", runs, get("triples"))
        for what in ("lineage", "show"):
            self.same(f"{tag} CLI {what} output", {s: [d[what] for d in v] for s, v in lookups.items()},
                      lambda r: hashlib.sha1(r.stdout).hexdigest())
        self.same(f"{tag} lineage steps", {s: [d["api"] for d in v] for s, v in lookups.items()},
                  lambda r: (r.out.get("first_steps"), r.out.get("steps")))

        ref_build = None
        if self.reference and not self.ref_gave_up:
            log(f"{tag} reference build (new tree, {REFERENCE_ENV}), limit {self.ref_limit:.0f} s")
            self.new.clear(f"{tag}-ref")
            ref_build = self.new.child("build", {"extra": extra, "reasoner": "owlrl"}, f"{tag}-ref", self.ref_limit, REFERENCE_ENV)
            self.raw[f"{tag} reference build"] = ref_build.raw()
            if ref_build.status == "killed":
                self.ref_gave_up = tag
        gave_up = self.reference and ref_build is None

        def ref_fig(value: Callable[[Run], float | None], fmt: Callable[[float], str]) -> Fig | None:
            if gave_up:
                return Fig(None, f"not run (did not finish at {self.ref_gave_up})")
            if ref_build is None:
                return None
            if ref_build.status == "killed":
                return Fig(None, f"did not finish in {self.ref_limit:.0f} s")
            return fig(ref_build, value, fmt)

        def each(r: Run) -> str:
            return f"{r.out['seconds']:.1f} CPU {r.out['cpu']:.1f}" if "cpu" in r.out else r.status

        wall = [best(runs[s], get("seconds"), lambda v, s=s: f"{v:.1f} s ({'; '.join(each(r) for r in runs[s])})" if rounds > 1
                     else f"{v:.1f} s (CPU {runs[s][0].out['cpu']:.1f})") for s in ("old", "new")]
        rows.append(Row(f"{tag} build from an empty cache, wall{of}" + (" (each run: wall, CPU)" if rounds > 1 else ", CPU"), "—", None,
                        *wall, ref_fig(get("seconds"), lambda v: f"{v:.1f} s")))
        rows.append(Row(f"{tag} build, peak RSS{' (lower of 2)' if rounds > 1 else ''}", "—", None,
                        *(best(runs[s], if_ok(lambda r: r.rss_mb), mbytes) for s in ("old", "new")),
                        ref_fig(if_ok(lambda r: r.rss_mb), mbytes)))

        def look(what: str, value: Callable[[Run], float | None], fmt: Callable[[float], str]) -> list[Fig]:
            return [best([d[what] for d in lookups[s]], value, fmt) for s in ("old", "new")]

        lim = goal.get("first lineage")
        rows.append(Row(f"{tag} first lineage after the build, in process (after open_graph){of}", target_text(lim, "s"), lim,
                        *look("api", get("first_lineage"), msecs)))
        rows.append(Row(f"{tag} open_graph after the build, in process{of}", "—", None, *look("api", get("open_seconds"), secs)))
        rows.append(Row(f"{tag} first `igkg lineage IRI --direction down` after the build, fresh CLI{of}", "—", None,
                        *look("lineage", if_ok(lambda r: r.wall), secs)))
        rows.append(Row(f'{tag} first `igkg show "Tunis Agenda"` after the build, fresh CLI{of}', "—", None,
                        *look("show", if_ok(lambda r: r.wall), secs)))
        lim = goal.get("later")
        rows.append(Row(f"{tag} later lineage down (median of {LOOKUPS} instruments){of}", target_text(lim, "ms"), lim,
                        *look("api", get("lineage_median"), msecs)))
        rows.append(Row(f"{tag} later show (median of {LOOKUPS} instruments){of}", target_text(lim, "ms"), lim,
                        *look("api", get("show_median"), msecs)))

        ok = ref_build is not None and ref_build.ok
        why = None
        if gave_up:
            why = f"not run (did not finish at {self.ref_gave_up})"
        elif ref_build is not None and not ok:
            why = f"not run: the reference build {'did not finish' if ref_build.status == 'killed' else 'failed'}"
        rows += self.named(tag, extra, goal.get("query"), reference=ok, ref_text=why)

        runs = self.alternate(f"{tag} export --inferred", 1, lambda t: t.child("export", {"extra": extra}, tag, self.limit))
        self.same(f"{tag} export --inferred lines", runs, get("lines"))
        rows.append(Row(f'{tag} `export(kg, "nt", inferred=True)`, wall', "—", None,
                        *(best(runs[s], get("seconds"), secs) for s in ("old", "new"))))
        rows.append(Row(f"{tag} export --inferred, peak RSS of the child (open_graph + export)", "—", None,
                        *(best(runs[s], if_ok(lambda r: r.rss_mb), mbytes) for s in ("old", "new"))))
        for t in self.trees:  # a g100k cache takes gigabytes
            t.clear(tag)
            t.clear(f"{tag}-ref")
        return rows

    def named(self, tag: str, extra: list[str], limit: float | None, reference: bool, ref_text: str | None) -> list[Row]:
        """Every named query, each in a fresh process: cold (first call after open_graph), then warm."""
        rows = []
        for name, params in self.queries.items():
            arg = {"extra": extra, "name": name, "params": params}
            runs = self.alternate(f"{tag} query {name}", 1, lambda t, arg=arg: t.child("query", arg, tag, self.limit))
            ref = None
            if reference:
                log(f"{tag} query {name}, reference, limit {self.ref_limit:.0f} s")
                ref = self.new.child("query", arg, f"{tag}-ref", self.ref_limit, REFERENCE_ENV)
                self.raw[f"{tag} query {name} reference"] = ref.raw()
                if ref.ok and ref.out.get("from_cache") is False:
                    log(f"!!! {tag} query {name}, reference: open_graph compiled anew (the reference build's cache was not found)")
            self.same(f"{tag} query {name} rows", runs, lambda r: (get("cold", "rows")(r), get("cold", "digest")(r)))
            if ref is not None and ref.ok:
                self.same(f"{tag} query {name} rows, new against the reference", {"new": runs["new"], "reference": [ref]},
                          lambda r: (get("cold", "rows")(r), get("cold", "digest")(r)))
            counts = "/".join(sorted({str(r.out["cold"]["rows"]) for rs in runs.values() for r in rs if "cold" in r.out})) or "?"
            for call in ("cold", "warm"):
                figs = []
                for s in ("old", "new"):
                    f, cpu = fig(runs[s][0], get(call, "seconds"), secs), get(call, "cpu")(runs[s][0])
                    figs.append(Fig(f.value, f"{f.text} (CPU {cpu:.3f})" if cpu is not None else f.text))
                if ref is not None:
                    r_fig = Fig(None, f"did not finish in {self.ref_limit:.0f} s") if ref.status == "killed" else fig(ref, get(call, "seconds"), secs)
                elif ref_text:
                    r_fig = Fig(None, ref_text)
                else:
                    r_fig = None
                rows.append(Row(f"{tag} query `{name}` ({counts} rows), {call}", target_text(limit, "s"), limit, *figs, r_fig))
        return rows

    def shipped(self) -> list[Row]:
        """On the bundled data alone: the build, then the named queries; the reference path finishes here."""
        def build(t: Tree) -> Run:
            t.clear("shipped")
            return t.child("build", {"extra": []}, "shipped", self.limit)

        runs = self.alternate("shipped build", 2, build)
        ref, why = None, None
        if self.reference:
            log(f"shipped reference build (new tree, {REFERENCE_ENV}), limit {self.ref_limit:.0f} s")
            self.new.clear("shipped-ref")
            ref = self.new.child("build", {"extra": [], "reasoner": "owlrl"}, "shipped-ref", self.ref_limit, REFERENCE_ENV)
            self.raw["shipped reference build"] = ref.raw()
            if not ref.ok:
                why = f"not run: the reference build {'did not finish' if ref.status == 'killed' else 'failed'}"
        ref_fig = None
        if ref is not None:
            ref_fig = Fig(None, f"did not finish in {self.ref_limit:.0f} s") if ref.status == "killed" else fig(ref, get("seconds"), secs)
        rows = [Row("shipped build from an empty cache, wall, best of 2", "—", None,
                    *(best(runs[s], get("seconds"), secs) for s in ("old", "new")), ref_fig)]
        return rows + self.named("shipped", [], None, reference=ref is not None and ref.ok, ref_text=why)

    def cli(self, repeat: int) -> list[Row]:
        """Each command as a fresh process on the shipped corpus, after an untimed run that compiles the cache."""
        rows = []
        for args in CLI:
            label = " ".join(f'"{a}"' if " " in a else a for a in args)
            log(f"cold CLI: igkg {label}")
            for t in self.trees:
                t.cli(args, "shipped", self.limit)
            runs = self.alternate(f"cli {label}", repeat, lambda t, args=args: t.cli(args, "shipped", self.limit))
            same = self.same(f"igkg {label} output", runs, lambda r: r.stdout)
            figs = []
            for s in ("old", "new"):
                walls = [r.wall for r in runs[s] if r.ok]
                med = statistics.median(walls) if walls else None
                figs.append(Fig(med, f"{med * 1000:.0f} ms") if med is not None else fig(runs[s][0], lambda r: None, secs))
            rows.append(Row(f"cold `igkg {label}` (median of {repeat}; {'same output' if same else 'DIFFERENT output'})",
                            "< 0.5 s", 0.5, *figs))
        return rows


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old", default="70529ca", help="git ref of the baseline (default 70529ca, the commit before issue 25)")
    ap.add_argument("--new", default=None, help="git ref to compare (default: this repository's working tree)")
    ap.add_argument("--sizes", default="1000,10000,100000", help="synthetic instruments, comma-separated (default 1000,10000,100000)")
    ap.add_argument("--repeat", type=int, default=5, help="runs of each cold CLI command (default 5)")
    ap.add_argument("--quick", action="store_true", help="the shipped corpus only, no synthetic graph")
    ap.add_argument("--skip-reference", action="store_true", help="no reference path (memory backend, owlrl)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a child is killed (default 1800)")
    ap.add_argument("--reference-timeout", type=float, default=600, help="the same for the reference path's children (default 600)")
    ap.add_argument("--json", type=Path, help="write the raw numbers here")
    opts = ap.parse_args()

    repo = Path(git(HERE, "rev-parse", "--show-toplevel"))
    scratch = Path(tempfile.mkdtemp(prefix="igkg-compare-"))
    worktrees: list[Path] = []
    sections: list[tuple[str, list[Row]]] = []
    started, load_before = datetime.now(), os.getloadavg()
    try:
        old = checkout(repo, opts.old, "old", scratch, worktrees)
        new = checkout(repo, opts.new, "new", scratch, worktrees)
        bench = Bench([old, new], named_queries(old.root), opts.timeout, opts.reference_timeout, not opts.skip_reference)
        for t in bench.trees:  # warm-up: writes each tree's bytecode caches before anything is timed
            t.run(["-c", "import igkg, igkg.cli"], "none", opts.timeout)
        for n in ([] if opts.quick else [int(s) for s in opts.sizes.split(",")]):
            log(f"writing syn-{n}.ttl with the old tree's generator")
            syn = synthetic(old, n, scratch, opts.timeout)
            sections.append((f"g{n // 1000}k" if n % 1000 == 0 else f"g{n}", bench.size(n, syn)))
            syn.unlink()
        sections.append(("shipped corpus", bench.shipped() + bench.cli(opts.repeat)))
        pace = floor(opts.repeat)
    finally:
        for path in worktrees:
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force", str(path)], capture_output=True)
        shutil.rmtree(scratch, ignore_errors=True)

    load_after = os.getloadavg()
    print(f"Run {started:%Y-%m-%d %H:%M}-{datetime.now():%H:%M}; {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}; load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end.")
    print(pace + ".")
    print(f"old: {old.label} (--old {opts.old}); new: {new.label} (--new {opts.new or 'working tree'}); "
          f"time limit {opts.timeout:.0f} s a child, {opts.reference_timeout:.0f} s on the reference path "
          + ("(skipped)." if opts.skip_reference else f"({', '.join(f'{k}={v}' for k, v in REFERENCE_ENV.items())}, new tree only)."))
    for title, rows in sections:
        print(f"\n### {title}\n")
        print(table(rows, old, new))
    if opts.json:
        values = [{"section": title, "measure": r.measure, "target": r.target, "old": r.old.value, "new": r.new.value,
                   "reference": r.ref.value if r.ref else None} for title, rows in sections for r in rows]
        opts.json.write_text(json.dumps({"old": old.label, "new": new.label, "rows": values, "raw": bench.raw}, indent=1))


if __name__ == "__main__":
    main()
