"""Throughput of `extract` on one core, next to the plain cost of reading the same file.

Builds texts of about SIZE_MB megabytes from the gold fixtures (the seed's stand-in among them), interleaved
with reference-free prose (densely and sparsely), writes it to a temporary file, then times (a) reading and
decoding it, (b) reading plus extraction. Prints MB/s and the ratio.

    python bench/extract_throughput.py [SIZE_MB]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from igkg import api
from igkg.extract import context_from, extract_text, read_document

ROOT = Path(__file__).resolve().parents[1]
FILLER = (
    "The delegates discussed capacity building, affordable access and the measurement of progress "
    "at length, and several speakers asked for more regular reporting from the secretariat.\n"
)


def corpus(size_mb: float, filler_lines: int = 20) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "gold").glob("*.txt"))]
    block = "\n\n".join(p + "\n\n" + FILLER * filler_lines for p in parts)
    return block * max(1, int(size_mb * 1_000_000 / len(block)))


def main() -> None:
    size_mb = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
    kg = api.open_graph()
    # Dense: a reference every ~450 bytes (the fixtures back to back); sparse: every ~10 kB,
    # closer to a real report.
    for name, filler in (("dense", 20), ("sparse", 500)):
        print(f"-- {name} text")
        measure(kg.catalog, corpus(size_mb, filler))


def measure(cat, text: str) -> None:  # type: ignore[no-untyped-def]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.txt"
        path.write_text(text, encoding="utf-8")
        mb = path.stat().st_size / 1_000_000
        extract_text("warm-up: Resolution 102 (Rev. Antalya, 2006)", cat)
        t0 = time.perf_counter()
        doc = read_document(path)
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        refs = extract_text(doc.text, cat, context_from(cat, doc.text))
        t_extract = time.perf_counter() - t0
    print(f"file: {mb:.2f} MB, {len(refs):,} references found")
    print(f"read + decode      : {t_read:7.3f} s  ({mb / t_read:8.1f} MB/s)")
    print(f"extract (no read)  : {t_extract:7.3f} s  ({mb / t_extract:8.2f} MB/s)  target >= 1 MB/s")
    print(f"extract / read time: {t_extract / t_read:7.1f}x")


if __name__ == "__main__":
    main()
