"""Scoring the extractor against hand-annotated texts: precision, recall and F1 per field.

A gold file (``*.gold.json``) names a document and lists its references, each located by
its surface text and which occurrence of it (``n``), with the expected instrument (a
prefixed name, or null for a reference the graph does not hold), revision, pinpoint and
relation. Run ``python -m igkg.extract.evaluate tests/gold`` for the table.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ..analysis.nodes import curie
from ..errors import IgkgError
from ..models import ExtractedReference

FIELDS = ("instrument", "revision", "pinpoint", "relation")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    instrument: str | None
    revision: str | None
    pinpoint: str | None
    relation: str | None


@dataclass(frozen=True)
class Score:
    field: str
    tp: int
    predicted: int
    expected: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def load_gold(path: Path, text: str) -> list[Gold]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for ref in data["references"]:
        start = -1
        for _ in range(ref.get("n", 1)):
            start = text.find(ref["surface"], start + 1)
            if start < 0:
                raise ValueError(f"{path}: {ref['surface']!r} (occurrence {ref.get('n', 1)}) is not in the document")
        out.append(Gold(start, start + len(ref["surface"]), ref["instrument"], ref["revision"], ref["pinpoint"], ref["relation"]))
    return out


def document_of(path: Path) -> Path:
    return (path.parent / json.loads(path.read_text(encoding="utf-8"))["document"]).resolve()


NEARBY = 200  # characters: how far apart the name and its pinpoint may be written ("the Declaration, especially §§ 11 and 19")


def match(predicted: list[ExtractedReference], gold: list[Gold]) -> list[tuple[ExtractedReference | None, Gold | None]]:
    """Pairs of a prediction and a gold reference whose spans overlap (same pinpoint first); then, for
    what is left, the same node and pinpoint written within NEARBY characters (an annotator may mark the
    name where igkg marks the pinpoint); and the leftovers."""
    free = list(predicted)
    pairs: list[tuple[ExtractedReference | None, Gold | None]] = []
    for g in gold:
        overlapping = [p for p in free if p.start < g.end and g.start < p.end]
        best = next((p for p in overlapping if p.pinpoint == g.pinpoint), overlapping[0] if overlapping else None)
        if best is not None:
            free.remove(best)
        pairs.append((best, g))
    for i, (found, wanted) in enumerate(pairs):
        if found is None and wanted is not None and wanted.pinpoint is not None:
            near = next((q for q in free if q.pinpoint == wanted.pinpoint and value(q, "instrument") == wanted.instrument
                         and min(abs(q.start - wanted.end), abs(wanted.start - q.end)) < NEARBY), None)
            if near is not None:
                free.remove(near)
                pairs[i] = (near, wanted)
    pairs.extend((p, None) for p in free)
    return pairs


def value(p: ExtractedReference, name: str) -> str | None:
    v = getattr(p, name)
    return curie(v) if name == "instrument" and v is not None else v


def score(pairs: list[tuple[ExtractedReference | None, Gold | None]]) -> list[Score]:
    predicted = sum(1 for p, _ in pairs if p is not None)
    expected = sum(1 for _, g in pairs if g is not None)
    out = []
    for name in (*FIELDS, "all"):
        names = ("instrument", "revision", "pinpoint") if name == "all" else (name,)
        tp = sum(1 for p, g in pairs if p is not None and g is not None and all(value(p, n) == getattr(g, n) for n in names))
        out.append(Score(name, tp, predicted, expected))
    return out


def evaluate(gold_dir: Path, kg=None) -> tuple[list[Score], list[tuple[ExtractedReference | None, Gold | None, str]]]:  # type: ignore[no-untyped-def]
    """Scores over every gold file in ``gold_dir``, and the pairs that went wrong (for reading)."""
    from .. import api
    from . import read_document

    kg = kg or api.open_graph()
    gold_files = sorted(gold_dir.glob("*.gold.json"))
    if not gold_files:  # scores over nothing would read as perfect
        raise ValueError(f"{gold_dir}: no *.gold.json files")
    pairs_all: list[tuple[ExtractedReference | None, Gold | None]] = []
    wrong = []
    for gold_file in gold_files:
        doc_path = document_of(gold_file)
        text = read_document(doc_path).text
        pairs = match(api.extract(kg, doc_path), load_gold(gold_file, text))
        pairs_all.extend(pairs)
        for p, g in pairs:
            if p is None or g is None or any(value(p, n) != getattr(g, n) for n in FIELDS):
                wrong.append((p, g, gold_file.name))
    return score(pairs_all), wrong


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    gold_dir = Path(args[0] if args else "tests/gold")
    try:
        scores, wrong = evaluate(gold_dir)
    except (ValueError, KeyError, OSError, IgkgError) as e:  # a bad gold file or document: one line, not a traceback
        print(f"igkg.extract.evaluate: error: {e}", file=sys.stderr)
        return 2
    print(f"{'field':<11} {'precision':>9} {'recall':>7} {'F1':>6}   (tp / predicted / expected)")
    for s in scores:
        print(f"{s.field:<11} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}   ({s.tp} / {s.predicted} / {s.expected})")
    if "-v" in args:
        for p, g, name in wrong:
            print(f"{name}: predicted {p and (p.surface, value(p, 'instrument'), p.revision, p.pinpoint, p.relation)} gold {g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
