"""Where igkg's graphs live: one interface (``GraphStore``), three engines.

- ``oxigraph``: the embedded store, on disk in the cache folder (the default);
- ``memory``: an rdflib Dataset, the reference the tests compare the others with;
- ``remote``: a SPARQL 1.1 store an institution runs (``RemoteStore``, see remote.py).

Code outside this package never asks which engine it talks to.
"""

from __future__ import annotations

from ..errors import IgkgError
from ..resources import setting
from .base import GraphStore, LocalStore

# The default first.
ENGINES = ("oxigraph", "memory")


def default_engine() -> str:
    """IGKG_BACKEND, or oxigraph."""
    return setting("IGKG_BACKEND", ENGINES)


def engine(name: str | None = None) -> type[LocalStore]:
    """The class of the local engine ``name`` (default: ``default_engine()``): it opens a compiled
    graph (``open``), compiles one (``compile``), and names its files (``suffix``, ``versions``)."""
    name = name or default_engine()
    if name == "memory":
        from .memory import MemoryStore

        return MemoryStore
    if name == "oxigraph":
        from .oxigraph import OxigraphStore

        return OxigraphStore
    raise IgkgError(f"no store engine {name!r}: use one of {', '.join(ENGINES)}")


__all__ = ["ENGINES", "GraphStore", "LocalStore", "default_engine", "engine"]
