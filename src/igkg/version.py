"""igkg's version, one place for the package, the provenance it writes, and the CHANGELOG test."""

__version__ = "0.2.0"
