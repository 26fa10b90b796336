"""Stage 0, read: a file on disk → its decoded text, whatever the format and encoding.

Offsets reported by the extractor are offsets into the text this stage returns.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from ..errors import DocumentError, IgkgError

# Above this a file is refused rather than read whole into memory; IGKG_MAX_DOCUMENT_BYTES overrides.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024

_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    sha256: str
    media_type: str  # text/plain, text/markdown, text/html, application/pdf
    encoding: str | None  # None for PDF


def read_document(path: str | Path, *, encoding: str | None = None) -> Document:
    """Read and decode ``path``; DocumentError with one line saying why it cannot be read."""
    p = Path(path)
    raw = _read_bytes(p)
    digest = hashlib.sha256(raw).hexdigest()
    if raw.startswith(b"%PDF-"):
        return Document(str(p), _pdf_text(p, raw), digest, "application/pdf", None)
    text, used = _decode(p, raw, encoding)
    if _looks_like_html(p, text):
        return Document(str(p), _html_text(text), digest, "text/html", used)
    media = "text/markdown" if p.suffix.lower() in {".md", ".markdown"} else "text/plain"
    if not text.strip():
        raise DocumentError(str(p), "the file holds only white space; there is no text to read")
    return Document(str(p), text, digest, media, used)


def max_bytes() -> int:
    """The largest document read: IGKG_MAX_DOCUMENT_BYTES (a positive whole number), or 256 MB."""
    env = os.environ.get("IGKG_MAX_DOCUMENT_BYTES")
    if env is None or not env.strip():
        return DEFAULT_MAX_BYTES
    if not env.strip().isdigit() or int(env) == 0:
        raise IgkgError(f"IGKG_MAX_DOCUMENT_BYTES={env!r} is not a positive whole number of bytes")
    return int(env)


def _read_bytes(p: Path) -> bytes:
    """The file's bytes, read through a bounded reader: a device or a pipe reports no size, so the
    limit is checked on what is read, never on what the file says it holds."""
    limit = max_bytes()
    try:
        if p.is_dir():
            raise DocumentError(str(p), "is a directory, not a document")
        if str(p) == "-":
            raw = sys.stdin.buffer.read(limit + 1)
        else:
            if not stat.S_ISREG(p.stat().st_mode):
                raise DocumentError(str(p), "is not a regular file (a device, pipe or socket); give a file, or - for standard input")
            with p.open("rb") as f:
                raw = f.read(limit + 1)
    except FileNotFoundError:
        raise DocumentError(str(p), "no such file") from None
    except PermissionError:
        raise DocumentError(str(p), "permission denied") from None
    except MemoryError:
        raise DocumentError(str(p), "too large to read into memory") from None
    except OSError as e:
        raise DocumentError(str(p), e.strerror or str(e)) from None
    if len(raw) > limit:
        raise DocumentError(str(p), f"is over the limit of {limit:,} bytes (set IGKG_MAX_DOCUMENT_BYTES to raise it)")
    if not raw:
        raise DocumentError(str(p), "the file is empty")
    return raw


def _decode(p: Path, raw: bytes, encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except LookupError:
            raise DocumentError(str(p), f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise DocumentError(str(p), f"cannot be decoded as {encoding} (byte {e.start})") from None
    for bom, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as e:
                raise DocumentError(str(p), f"starts with a {name} byte-order mark but is not valid {name} (byte {e.start})") from None
    if _is_binary(raw):
        raise DocumentError(str(p), "looks like a binary file (it contains NUL or control bytes), not text, HTML or PDF")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Legacy single-byte files (Windows-1252 Word exports, Latin-1 web pages): let a detector choose.
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise DocumentError(str(p), "cannot be decoded: not UTF-8 and no other text encoding fits (give one with --encoding)")
    return str(best), best.encoding


def _is_binary(raw: bytes) -> bool:
    head = raw[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) // 100 + 2


def _looks_like_html(p: Path, text: str) -> bool:
    if p.suffix.lower() in _HTML_SUFFIXES:
        return True
    head = text[:1024].lstrip().lower()
    return head.startswith(("<!doctype html", "<html"))


def _html_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    # Block elements end a line, so a reference never runs across two table cells or paragraphs.
    return soup.get_text("\n")


def _pdf_text(p: Path, raw: bytes) -> str:
    import io
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception:
                raise DocumentError(str(p), "the PDF is encrypted") from None
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as e:
        raise DocumentError(str(p), f"not a readable PDF ({e})") from None
    except DocumentError:
        raise
    except Exception as e:  # pypdf raises assorted errors on damaged files
        raise DocumentError(str(p), f"not a readable PDF ({type(e).__name__}: {e})") from None
    text = "\n\f".join(pages)
    if not text.strip():
        raise DocumentError(str(p), f"the PDF has no text layer ({len(pages)} page(s) of images only?); run OCR on it first")
    return text
