"""igkg: the knowledge graph of Internet governance instruments.

The public verbs::

    kg = igkg.open_graph()
    igkg.lineage(kg, "Tunis Agenda para 69", direction="down")
    igkg.query(kg, "citing", params={"target": "Tunis Agenda para 69"})
"""

from .api import (
    build,
    citation_graph,
    export,
    extract,
    extract_text,
    ingest,
    lineage,
    open_graph,
    outline,
    paths,
    picture,
    query,
    remove_ingested,
    resolve,
    revisions,
    show,
    stats,
    validate,
)
from .errors import (
    AmbiguousRef,
    DocumentError,
    EndpointError,
    IgkgError,
    ParameterError,
    QueryError,
    QueryNotFound,
    QueryTimeout,
    RefNotFound,
    SourceFileError,
    ToolMissing,
)
from .graph import KnowledgeGraph
from .version import __version__ as __version__

__all__ = [
    "AmbiguousRef", "DocumentError", "EndpointError", "IgkgError", "KnowledgeGraph", "ParameterError", "QueryError",
    "QueryNotFound", "QueryTimeout", "RefNotFound", "SourceFileError", "ToolMissing", "build", "citation_graph", "export", "extract", "extract_text",
    "ingest", "lineage", "open_graph", "outline", "paths", "picture", "query", "remove_ingested", "resolve", "revisions", "show", "stats",
    "validate",
]
