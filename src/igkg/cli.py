"""The igkg command line: each command opens the graph, calls one library verb, and renders the result.

Exit codes: 0 success, 1 the graph does not conform (validate, build), 2 usage
or input error, 3 not found (REF or query name), 4 endpoint error, 5 a document
given to extract or ingest cannot be read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

import typer
from typer.core import TyperGroup

from . import api, pictures, render
from .analysis.queries import named_queries
from .errors import EXIT_INTERRUPTED, EXIT_NOT_CONFORMING, EXIT_USAGE, IgkgError
from .files import check_writable, write_atomic
from .graph import KnowledgeGraph
from .progress import Progress, for_terminal


class _Commands(TyperGroup):
    """igkg's commands: a usage error is one line on stderr, as every other error is (exit 2), and
    Ctrl-C stops with one line and exit 130."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except Exception as e:
            if type(e).__name__ == "NoArgsIsHelpError":  # `igkg` alone: the help, as asked
                e.show()  # type: ignore[attr-defined]
                sys.exit(e.exit_code)  # type: ignore[attr-defined]
            if hasattr(e, "format_message") and isinstance(getattr(e, "exit_code", None), int):  # click's usage errors
                sys.stderr.write(f"igkg: error: {' '.join(e.format_message().split())}\n")
                sys.exit(e.exit_code)  # type: ignore[attr-defined]
            if not isinstance(e, typer.Abort):  # end of input at a prompt
                raise
            code = EXIT_INTERRUPTED
        if code == EXIT_INTERRUPTED:  # typer's answer to Ctrl-C
            sys.stderr.write("igkg: interrupted\n")
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=_Commands,
    help="igkg: the knowledge graph of Internet governance instruments.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

T = TypeVar("T")


class State:
    """Global options, set by the callback before any command runs."""

    extra: ClassVar[list[Path]] = []
    quiet: ClassVar[bool] = False
    backend: ClassVar[str | None] = None


class Backend(StrEnum):
    memory = "memory"
    oxigraph = "oxigraph"


def _progress() -> Progress:
    """Stages on stderr while a long command runs, unless --quiet or stderr is not a terminal."""
    return for_terminal(State.quiet, sys.stderr)


def _fail(message: str, code: int) -> typer.Exit:
    # One line, whatever the message quotes (a parser quotes the token it stopped at, line breaks and all).
    one_line = message.replace("\r", "\\r").replace("\n", "\\n")
    typer.echo(f"igkg: error: {one_line}", err=True)
    return typer.Exit(code)


def _guard(fn: Callable[[], T]) -> T:
    """Run a command body; named errors become one line on stderr and their exit code."""
    try:
        return fn()
    except IgkgError as exc:
        raise _fail(str(exc), exc.exit_code) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise _fail(f"{where}{exc.strerror or exc}", EXIT_USAGE) from None


def _graph(endpoint: str | None = None, *, recount: bool = False) -> KnowledgeGraph:
    if endpoint:
        return api.open_remote(api.endpoint(endpoint), recount=recount)
    kg = api.open_graph(State.extra, backend=State.backend)
    if kg.report.repaired:
        typer.echo(f"igkg: note: {kg.report.repaired}", err=True)
    return kg


EndpointOption = Annotated[
    str | None,
    typer.Option("--endpoint", help="Read from this SPARQL 1.1 store (after 'igkg push') instead of the embedded graph."),
]


def _out(text: str) -> None:
    sys.stdout.write(text)


@app.callback()
def main(
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", "-d", help="Extra RDF file (.ttl, .nt) loaded beside the bundled data; repeatable."),
    ] = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress on stderr for build, push and ingest (also off when stderr is not a terminal)."),
    ] = False,
    backend: Annotated[
        Backend | None,
        typer.Option("--backend", help="oxigraph (default, or IGKG_BACKEND): an on-disk Oxigraph store; memory: an rdflib graph."),
    ] = None,
) -> None:
    """Lineage, queries, validation and export over the igkg graph."""
    library = logging.getLogger("rdflib")
    library.handlers, library.propagate = [_LibraryNotes()], False
    State.extra = list(data or [])
    State.quiet = quiet
    State.backend = backend.value if backend else None


class _LibraryNotes(logging.Handler):
    """What rdflib logs, as one note line each, once, never with a traceback: chiefly a literal its
    datatype does not allow ("2015-99-99"^^xsd:date), which rdflib logs with its own traceback."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        why = record.exc_info[1] if record.exc_info else None
        text = " ".join(record.getMessage().split())
        datatype = re.search(r"lexical form .*Datatype=([^\s,]+)", text)
        if datatype:
            note = f"a literal is not a valid <{datatype[1]}>{f' ({why})' if why else ''}; 'igkg validate' names its node"
        else:
            note = "rdflib: " + text
        if note not in self.said:
            self.said.add(note)
            sys.stderr.write(f"igkg: note: {note}\n")


class Direction(StrEnum):
    up = "up"
    down = "down"
    both = "both"


class LineageFormat(StrEnum):
    tree = "tree"
    json = "json"
    dot = "dot"
    svg = "svg"


class TextFormat(StrEnum):
    text = "text"
    json = "json"


class TableFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"


class Reasoner(StrEnum):
    fast = "fast"
    owlrl = "owlrl"


class ExtractFormat(StrEnum):
    table = "table"
    json = "json"
    turtle = "turtle"


class ExportFormat(StrEnum):
    turtle = "turtle"
    nt = "nt"
    jsonld = "jsonld"
    trig = "trig"
    nquads = "nquads"


@app.command()
def build(
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Rebuild even if the cache is fresh.")] = False,
    reasoner: Annotated[Reasoner | None, typer.Option("--reasoner", help="fast (default) or owlrl, the reference; same closure.")] = None,
) -> None:
    """Load, reason (OWL RL) and validate the graph; write the cache; report counts and timings."""

    def body() -> None:
        report = api.build(
            State.extra, rebuild=no_cache, reasoner=reasoner.value if reasoner else None, backend=State.backend, progress=_progress()
        )
        _out(render.build_report(report))
        if report.validation is not None and not report.validation.conforms:
            raise typer.Exit(EXIT_NOT_CONFORMING)

    _guard(body)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="Instrument, paragraph or other node: symbol, name with pinpoint, IRI.")],
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="Output format.")] = TextFormat.text,
    endpoint: EndpointOption = None,
) -> None:
    """An instrument or paragraph with its facts, parts, and references in and out."""
    _guard(lambda: _out(render.description(api.show(_graph(endpoint), ref), format.value)))


@app.command()
def lineage(
    ref: Annotated[str, typer.Argument(help="Where to start: symbol, name with pinpoint, IRI.")],
    direction: Annotated[Direction, typer.Option("--direction", help="up: what REF builds on; down: what builds on REF.")] = Direction.down,
    depth: Annotated[int | None, typer.Option("--depth", min=1, help="Stop after this many hops.")] = None,
    relation: Annotated[list[str] | None, typer.Option("--relation", "-r", help="Follow only this verb (and narrower ones); repeatable.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Print the reference paths between REF and this instrument.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="With --to: print only the N shortest paths.")] = None,
    revisions: Annotated[bool, typer.Option("--revisions", help="Print the revision series of REF in order.")] = False,
    format: Annotated[LineageFormat, typer.Option("--format", "-f", help="tree, json; dot or svg (a picture, Graphviz).")] = LineageFormat.tree,
    endpoint: EndpointOption = None,
) -> None:
    """What REF builds on (up), what builds on it (down), or both."""

    def body() -> None:
        kg = _graph(endpoint)
        fmt = "json" if format is LineageFormat.json else "text"
        drawn = format in (LineageFormat.dot, LineageFormat.svg)
        if revisions:
            series, revs = api.revisions(kg, ref)
            if series is None:
                raise _fail(f"{ref!r} is not a revision series nor a revision of one", EXIT_USAGE)
            if drawn:
                _out(api.picture(kg, pictures.of_revisions(series, revs), format.value))
            else:
                _out(render.revision_list(series, revs, fmt))
        elif to is not None:
            a, b = api.resolve(kg, ref), api.resolve(kg, to)
            if a.iri == b.iri:
                raise _fail(f"{ref!r} and --to {to!r} are the same node ({a.label}, {a.curie})", EXIT_USAGE)
            found = api.paths(kg, ref, to, depth)
            shown = found[:limit] if limit else found
            if drawn:
                _out(api.picture(kg, pictures.of_paths(shown, a, b), format.value))
            else:
                _out(render.paths(shown, a, b, fmt, total=len(found)))
        else:
            lin = api.lineage(kg, ref, direction.value, depth, relation or None)
            if format is LineageFormat.json:
                _out(render.lineage_json(lin))
            elif drawn:
                _out(api.picture(kg, pictures.of_lineage(lin), format.value))
            else:
                _out(render.lineage_tree(lin))

    _guard(body)


@app.command()
def query(
    name: Annotated[str | None, typer.Argument(help="A named query (see 'igkg queries') or a .rq file.")] = None,
    expression: Annotated[str | None, typer.Option("--expression", "-e", help="SPARQL text to run instead of a named query.")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p", help="key=value, bound as an RDF term; repeatable.")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, csv, tsv or json.")] = TableFormat.table,
    endpoint: EndpointOption = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Stop after this many seconds (exit 6); 0: no limit. "
                                                  "Default: 60 for -e and .rq files, none for the named queries.")] = None,
) -> None:
    """Run a named query, a .rq file, or SPARQL text over the graph (or on a remote store)."""

    def body() -> None:
        if (name is None) == (expression is None):
            raise _fail("give a query NAME or FILE, or -e 'SPARQL', but not both", EXIT_USAGE)
        params: dict[str, str] = {}
        for item in param or []:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise _fail(f"--param {item!r} is not key=value", EXIT_USAGE)
            params[key.strip()] = value
        if endpoint:
            result = api.remote_query(api.endpoint(endpoint), name, text=expression, params=params, timeout=timeout)
        else:
            result = api.query(_graph(), name, text=expression, params=params, timeout=timeout)
        _out(render.query_result(result, format.value))
        for note in result.notes:
            sys.stderr.write(f"igkg: note: {note}\n")

    _guard(body)


@app.command()
def queries() -> None:
    """List the named queries with their descriptions and parameters."""

    def body() -> None:
        lines = []
        for q in named_queries():
            lines.append(f"{q.name}: {q.title}")
            if q.description:
                lines.append(f"    {q.description}")
            for p in q.params:
                need = "required" if p.required else "optional"
                lines.append(f"    --param {p.name}=…  ({p.type}, {need}) {p.description}")
        _out("\n".join(lines) + "\n")

    _guard(body)


@app.command()
def export(
    format: Annotated[ExportFormat, typer.Option("--format", "-f", help="turtle, nt, jsonld, trig or nquads.")] = ExportFormat.turtle,
    inferred: Annotated[bool, typer.Option("--inferred/--no-inferred", help="Include the inferred triples.")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")] = None,
    endpoint: EndpointOption = None,
) -> None:
    """Serialise the graph; the same graph always gives the same bytes."""

    def body() -> None:
        # Checked before the export, which takes seconds on a large graph; a folder that is not
        # there is refused rather than made, as a mistyped path would be.
        if output is not None:
            check_writable(output, make_folder=False)
        data = api.export(_graph(endpoint), format.value, inferred)
        if output is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            write_atomic(output, data, make_folder=False)

    _guard(body)


@app.command()
def validate(
    files: Annotated[list[Path] | None, typer.Argument(help="RDF files to validate together with the bundled graph.")] = None,
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text or json.")] = TextFormat.text,
) -> None:
    """Check the graph against the SHACL shapes and hygiene checks: exit 0 conforms, 1 not, 2 error."""

    def body() -> None:
        report = api.validate([*State.extra, *(files or [])], backend=State.backend)
        _out(render.validation(report, format.value))
        if not report.conforms:
            raise typer.Exit(EXIT_NOT_CONFORMING)

    _guard(body)


@app.command()
def stats(
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text or json.")] = TextFormat.text,
    endpoint: EndpointOption = None,
) -> None:
    """Counts: triples per graph, instances per class, references per verb, verification status. With
    --endpoint, the store's graphs are counted against its manifest every time."""
    _guard(lambda: _out(render.stats(api.stats(_graph(endpoint, recount=True)), format.value)))


@app.command()
def push(
    endpoint: Annotated[str, typer.Option("--endpoint", help="The SPARQL 1.1 store, e.g. http://127.0.0.1:7878 (Oxigraph), "
                                                            "http://127.0.0.1:8890/sparql (Virtuoso) or …/ds (Fuseki).")],
) -> None:
    """Replace the ontology, data, user and inferred graphs on a SPARQL 1.1 store, with the names index and a
    manifest, as one release: the previous graphs stand until every new one is on the server and counted."""

    def body() -> None:
        report = api.push(_graph(), api.endpoint(endpoint), progress=_progress())
        lines = [f"pushed by {report.method} in {report.seconds:.2f} s, release {report.release}:"]
        lines += [f"  {iri}  {n} triples" for iri, n in report.graphs]
        _out("\n".join(lines) + "\n")
        if report.left:
            typer.echo(f"igkg: note: {report.left}; the next push tries again", err=True)

    _guard(body)


@app.command()
def extract(
    files: Annotated[list[Path], typer.Argument(help="Text, Markdown, HTML or PDF files.")],
    format: Annotated[ExtractFormat, typer.Option("--format", "-f", help="table; json (one object per line); turtle.")] = ExtractFormat.table,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Decode with this encoding instead of detecting it.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="The body or meeting the document comes from, for 'this conference'.")] = None,
    date: Annotated[str | None, typer.Option("--date", help="The document's date (YYYY-MM-DD), for 'this conference'.")] = None,
) -> None:
    """List the references to instruments that FILES make, resolved against the graph."""

    def body_() -> None:
        kg = _graph()
        chunks = []
        for f in files:
            doc, refs = api.extract_file(kg, f, encoding=encoding, body=body, date=date)
            if format is ExtractFormat.json:
                chunks.append(render.extracted_json(refs))
            elif format is ExtractFormat.turtle:
                chunks.append(render.extracted_turtle(kg, doc, refs))
            else:
                chunks.append(render.extracted_table(str(f), refs, with_file=len(files) > 1))
        _out("".join(chunks))

    _guard(body_)


@app.command()
def outline(
    file: Annotated[Path, typer.Argument(help="Text, Markdown, HTML or PDF file of an instrument.")],
    format: Annotated[TextFormat, typer.Option("--format", "-f", help="text (a table) or json (one object per line).")] = TextFormat.text,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Decode with this encoding instead of detecting it.")] = None,
) -> None:
    """The structure of an instrument's text: title block, paragraphs, items, blocks, annexes, with locators."""
    _guard(lambda: _out(render.outline(api.outline(file, encoding=encoding), format.value)))


@app.command()
def ingest(
    file: Annotated[Path | None, typer.Argument(help="The document to add (text, Markdown, HTML or PDF).")] = None,
    id: Annotated[str, typer.Option("--id", help="Its symbol or short name; names the document in the graph.")] = "",
    title: Annotated[str | None, typer.Option("--title", help="Its title (label).")] = None,
    date: Annotated[str | None, typer.Option("--date", help="Its date of adoption or issue, YYYY-MM-DD.")] = None,
    body: Annotated[str | None, typer.Option("--body", help="The body that adopted or issued it (name, alias or IRI).")] = None,
    encoding: Annotated[str | None, typer.Option("--encoding", help="Decode with this encoding instead of detecting it.")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Take the document with this --id out of the user graph again.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the document already ingested under this --id by another file.")] = False,
) -> None:
    """Add a document and the references read from it to your own graph (the user data folder)."""

    def body_() -> None:
        if not id.strip():
            raise _fail("give the document a name with --id", EXIT_USAGE)
        if remove:
            report = api.remove_ingested(id)
        else:
            if file is None:
                raise _fail("give the FILE to ingest (or --remove)", EXIT_USAGE)
            report = api.ingest(file, id, title=title, date=date, body=body, encoding=encoding, replace=replace, progress=_progress())
        _out(render.ingest_report(report))

    _guard(body_)


def run() -> None:
    """The installed ``igkg`` command: the app, then an exit without the interpreter's teardown,
    which would free the graph's objects one by one (kept because a cold lookup misses its target
    without it: bench/README.md). Every file a command writes is complete and closed before it
    returns, and the output is flushed here."""
    try:
        app()
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a reader gone away, a closed stream: nothing more to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
