"""Shared fixtures: an isolated cache and user-data folder, and the compiled shipped graph."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from igkg import resources
from igkg.graph import KnowledgeGraph
from igkg.pipeline.compile import compile_graph
from igkg.pipeline.load import SourceSet

from .servers import Server, start_oxigraph, start_virtuoso

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A stand-in, in our own words, for the WTPF-13 backgrounder on enhanced cooperation (the seed):
# it cites the same instruments in the same forms; gold/seed-backgrounder.gold.json lists them.
SEED = Path(__file__).resolve().parent / "gold" / "seed-backgrounder.txt"

# Turtle prefixes for inline test data.
PREFIXES = """\
@prefix igkg: <https://w3id.org/igkg/ontology#> .
@prefix igr:  <https://w3id.org/igkg/id/> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix ex:   <https://example.org/> .
"""


@pytest.fixture(scope="session", autouse=True)
def isolated_environment(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep tests away from the developer's cache and own data."""
    os.environ["IGKG_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["IGKG_USER_DATA"] = str(tmp_path_factory.mktemp("userdata"))
    os.environ.pop("IGKG_HOME", None)


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    """The rdflib (memory) backend: the reference the Oxigraph default is compared with."""
    return compile_graph(backend="memory")


@pytest.fixture(scope="session")
def oxkg() -> KnowledgeGraph:
    """The Oxigraph store, the default: what users run."""
    return compile_graph(backend="oxigraph")


def write_ttl(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def ontology_plus(*files: Path) -> SourceSet:
    """The ontology and the given files only: small graphs reason in about a second."""
    return SourceSet(ontology=(resources.ontology_file(),), data=tuple(files))


@contextmanager
def igkg_home(path: Path) -> Iterator[None]:
    """Point igkg at another tree with ontology/, data/ and queries/."""
    before = os.environ.get("IGKG_HOME")
    os.environ["IGKG_HOME"] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("IGKG_HOME", None)
        else:
            os.environ["IGKG_HOME"] = before


@pytest.fixture(scope="session")
def mini_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real ontology and queries with the fixed test network of fixtures/mini.ttl as the only data."""
    home = tmp_path_factory.mktemp("mini-home")
    shutil.copytree(resources.home() / "ontology", home / "ontology")
    shutil.copytree(resources.home() / "queries", home / "queries")
    (home / "data").mkdir()
    shutil.copy(FIXTURES / "mini.ttl", home / "data" / "mini.ttl")
    return home


@pytest.fixture(scope="session")
def mini(mini_home: Path) -> KnowledgeGraph:
    with igkg_home(mini_home):
        return compile_graph()



@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Oxigraph's SPARQL server on 127.0.0.1, for the whole session."""
    srv = start_oxigraph(tmp_path_factory.mktemp("oxigraph"))
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso 7 on 127.0.0.1, for the whole session, with the row limit of Debian's own
    configuration (10,000), so that answers longer than that are read as a user's store gives them."""
    srv = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), max_rows=10_000)
    yield srv
    srv.stop()
