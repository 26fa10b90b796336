"""Where the bundled ontology, shapes, checks, data and named queries live.

A source checkout keeps them at the repository top; a wheel carries them in
``igkg/_bundled``. ``IGKG_HOME`` points at another tree with the same layout.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def home() -> Path:
    """The folder holding ontology/, data/ and queries/."""
    env = os.environ.get("IGKG_HOME")
    if env:
        return Path(env)
    bundled = _PACKAGE / "_bundled"
    if (bundled / "ontology").is_dir():
        return bundled
    return _PACKAGE.parent.parent


def ontology_file() -> Path:
    return home() / "ontology" / "igkg.ttl"


def shapes_file() -> Path:
    return home() / "ontology" / "shapes.ttl"


def checks_dir() -> Path:
    return home() / "ontology" / "checks"


def rules_dir() -> Path:
    return home() / "ontology" / "rules"


def data_files() -> list[Path]:
    """Every bundled data file, sorted so that loading order is stable."""
    root = home() / "data"
    return sorted(p for p in root.rglob("*") if p.suffix in RDF_SUFFIXES)


def queries_dir() -> Path:
    return home() / "queries"


def cache_dir() -> Path:
    """Where compiled graphs are cached: IGKG_CACHE_DIR, else the XDG cache folder."""
    env = os.environ.get("IGKG_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "igkg"


def user_data_dir() -> Path:
    """The user's own RDF files, loaded beside the bundled data: IGKG_USER_DATA or XDG data."""
    env = os.environ.get("IGKG_USER_DATA")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "igkg" / "user"


RDF_SUFFIXES = {".ttl": "turtle", ".nt": "nt"}


def setting(variable: str, choices: tuple[str, ...]) -> str:
    """The environment ``variable``'s value, one of ``choices``; the first when it is unset."""
    from .errors import IgkgError

    name = os.environ.get(variable, choices[0])
    if name not in choices:
        raise IgkgError(f"{variable}={name!r}: use one of {', '.join(choices)}")
    return name
