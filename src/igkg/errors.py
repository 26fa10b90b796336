"""Named exceptions. The CLI turns each into one line on stderr and its exit code."""

from __future__ import annotations

# Exit codes, documented in the README and kept stable.
EXIT_OK = 0
EXIT_NOT_CONFORMING = 1
EXIT_USAGE = 2
EXIT_NOT_FOUND = 3
EXIT_ENDPOINT = 4
EXIT_DOCUMENT = 5
EXIT_TIMEOUT = 6
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells count it (128 + SIGINT)


class IgkgError(Exception):
    """Base of every error igkg raises on purpose."""

    exit_code = EXIT_USAGE


class SourceFileError(IgkgError):
    """An input RDF file cannot be read or parsed; the message names the file and line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class RefNotFound(IgkgError):
    """A human reference (name, symbol, IRI) matches nothing in the graph."""

    exit_code = EXIT_NOT_FOUND

    def __init__(self, ref: str, suggestions: list[tuple[str, str]], reason: str | None = None) -> None:
        self.ref = ref
        self.suggestions = suggestions
        self.reason = reason
        hint = "; ".join(f"{label} ({curie})" for label, curie in suggestions)
        msg = f"no instrument, paragraph or other node matches {ref!r}" + (f": {reason}" if reason else "")
        super().__init__(msg + (f". Did you mean: {hint}?" if hint else ""))


class AmbiguousRef(IgkgError):
    """A human reference matches several nodes equally well."""

    exit_code = EXIT_NOT_FOUND

    def __init__(self, ref: str, candidates: list[tuple[str, str]]) -> None:
        self.ref = ref
        self.candidates = candidates
        listed = "; ".join(f"{label} ({curie})" for label, curie in candidates)
        super().__init__(f"{ref!r} is ambiguous; it matches: {listed}")


class QueryNotFound(IgkgError):
    """No named query has that name and no such file exists."""

    exit_code = EXIT_NOT_FOUND


class QueryError(IgkgError):
    """A SPARQL query cannot be parsed or evaluated."""


class QueryTimeout(QueryError):
    """A query ran past its time limit."""

    exit_code = EXIT_TIMEOUT


class ParameterError(IgkgError):
    """A --param is malformed, unknown to the query, or missing."""


class EndpointError(IgkgError):
    """A remote SPARQL endpoint cannot be reached or answers with an error."""

    exit_code = EXIT_ENDPOINT


class ToolMissing(IgkgError):
    """A program igkg runs for one job (Graphviz's dot, for SVG) is missing or failed."""


class DocumentError(IgkgError):
    """A document given to extract or ingest cannot be read: missing, binary, empty, undecodable, too large."""

    exit_code = EXIT_DOCUMENT

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")
