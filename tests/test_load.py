from pathlib import Path

import pytest

from igkg.errors import SourceFileError
from igkg.pipeline.load import parse_file

# (file content, the line the error must name)
MALFORMED = [
    ("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e \"open .\nex:f ex:g ex:h .\n", 3),
    ("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\n\nex:d ex:e ex:f ex:g .\n", 4),
    ("ex:a ex:b ex:c .\n", 1),
    ("@prefix ex: <http://e/> .\n\n\n\nex:a ex:b [ ex:c ex:d .\n", 5),
]


@pytest.mark.parametrize(("content", "line"), MALFORMED)
def test_malformed_turtle_names_file_and_line(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text(content)
    with pytest.raises(SourceFileError) as err:
        parse_file(path)
    assert err.value.line == line
    assert str(err.value).startswith(f"{path}:{line}: bad syntax")
    assert "\n" not in str(err.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match=r"nope\.ttl: No such file"):
        parse_file(tmp_path / "nope.ttl")


def test_unknown_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<rdf/>")
    with pytest.raises(SourceFileError, match=r"unknown RDF file type '\.xml'"):
        parse_file(path)


def test_broken_ntriples_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_text("<http://a> <http://b> .\n")
    with pytest.raises(SourceFileError, match=r"bad\.nt: "):
        parse_file(path)
