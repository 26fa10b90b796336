"""Stage 4, annotate: turn resolved references into records with offsets into the original text."""

from __future__ import annotations

from ..analysis.nodes import label
from ..models import ExtractedReference
from ..vocab import IGKG
from .catalog import Catalog
from .clean import CleanText
from .resolve import Resolved


def annotate(resolved: list[Resolved], ct: CleanText, catalog: Catalog) -> list[ExtractedReference]:
    g = catalog.graph
    looked_up: dict[tuple, tuple[str, str | None]] = {}  # a long text names the same node again and again
    out = []
    for r in resolved:
        f = r.found
        start, end = ct.span(f.start, f.end)
        # A word the cleaner had to correct makes the match less certain.
        conf = r.confidence - (0.1 if ct.has_correction(f.start, f.end) else 0.0)
        revision = f"{f.place} {f.year}" if f.place and f.year else None
        if r.entry is not None and r.target is not None:
            target: str | None = str(r.target)
            symbol = r.entry.symbol
            key = (r.target, r.entry.iri)
            if key not in looked_up:
                place, year = g.value(r.entry.iri, IGKG.revisionPlace), g.value(r.entry.iri, IGKG.revisionYear)
                looked_up[key] = (label(g, r.target), f"{place} {str(year)[:4]}" if place is not None and year is not None else None)
            lab, graph_revision = looked_up[key]
            revision = graph_revision or revision
        else:
            target, lab, symbol = None, r.normalized, None
            if r.note and f.pinpoint:
                lab = f"{r.normalized}, {f.pinpoint}"
        out.append(ExtractedReference(
            start=start, end=end, surface=ct.original[start:end],
            instrument=target, label=lab, symbol=symbol, revision=revision,
            pinpoint=str(f.pinpoint) if f.pinpoint else None,
            relation=f.verb, confidence=round(max(conf, 0.05), 2), note=r.note, draft=f.draft,
        ))
    return out
