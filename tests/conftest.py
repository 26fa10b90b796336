"""Shared fixtures: an isolated cache and user-data folder, and the compiled shipped graph."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from igkg import resources
from igkg.build import KnowledgeGraph, compile_graph
from igkg.load import SourceSet

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "wtpf13-enhanced-cooperation-backgrounder.txt"

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
    return compile_graph()


def write_ttl(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


def ontology_plus(*files: Path) -> SourceSet:
    """The ontology and the given files only: small graphs reason in about a second."""
    return SourceSet(ontology=(resources.ontology_file(),), data=tuple(files))
