"""Reading references out of texts, in five stages, each a module with one public function:

read (a file → text) → clean (repair noise, keep offsets) → find (spot references, their
pinpoints and verbs) → resolve (match to the graph) → identify (the text itself: its title
block and mentions of itself are not citations) → annotate (records with offsets).
"""

from __future__ import annotations

from pathlib import Path

from ..models import ExtractedReference
from .annotate import annotate
from .catalog import Catalog, tokens
from .clean import Speller, clean
from .find import find
from .identify import identify
from .read import Document, read_document
from .resolve import Context, one_per_mention, resolve

__all__ = ["Catalog", "Context", "Document", "ExtractedReference", "context_from", "extract_file", "extract_text", "read_document"]

def extract_text(text: str, catalog: Catalog, context: Context | None = None, *, correct: bool = True) -> list[ExtractedReference]:
    """Every reference to an instrument in ``text``, in order of appearance; ``correct=False``
    leaves misspelt words as they are (a name typed by a person gets suggestions instead)."""
    speller = catalog.derived.get("speller")
    if speller is None and correct:
        speller = catalog.derived["speller"] = Speller(catalog.vocabulary)
    ct = clean(text, speller if correct else None)
    _text_itself, refs = identify(ct, resolve(find(ct, catalog), catalog, context), catalog)
    return annotate(one_per_mention(ct, refs), ct, catalog)


def extract_file(
    path: str | Path, catalog: Catalog, *, encoding: str | None = None, body: str | None = None, date: str | None = None
) -> tuple[Document, list[ExtractedReference]]:
    """Read ``path`` and extract its references; ``body`` and ``date`` say what "this conference" is."""
    doc = read_document(path, encoding=encoding)
    return doc, extract_text(doc.text, catalog, context_from(catalog, doc.text, body, date[:4] if date else None))


def context_from(catalog: Catalog, text: str, body: str | None = None, year: str | None = None) -> Context:
    """The document's own meeting, for "this conference": from --body/--date, else the first meeting its opening names."""
    words = tokens(body) if body else frozenset()
    if not words:
        head = text[:2000].casefold()
        for name, _body, meeting_year in catalog.meetings:
            if len(name) >= 5 and name.casefold() in head:
                words = tokens(name)
                year = year or meeting_year
                break
    return Context(words=words, year=year)
