"""Exports checked by Apache Jena's RIOT parser, a second implementation in another language.

Jena comes from Debian's libapache-jena-java, which .ci/run installs. Its packaged
command-line tools need the xerces message files put back on the class path, done here.
"""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from igkg import api
from igkg.graph import KnowledgeGraph

JARS = Path("/usr/share/java")
DEPENDENCIES = [
    "slf4j-api", "slf4j-simple", "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io",
    "commons-lang3", "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core", "jackson-databind",
    "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf", "thrift", "titanium-json-ld", "commons-logging",
]

pytestmark = [
    pytest.mark.slow,  # a JVM start (about a second) per check
    pytest.mark.skipif(
        shutil.which("java") is None or not (JARS / "jena-core.jar").exists(),
        reason="Apache Jena (Debian libapache-jena-java) is not installed; .ci/run installs it",
    ),
]


@pytest.fixture(scope="module")
def classpath(tmp_path_factory: pytest.TempPathFactory) -> str:
    fix = tmp_path_factory.mktemp("jena") / "jena-msgfix.jar"
    with zipfile.ZipFile(JARS / "jena-core.jar") as core, zipfile.ZipFile(fix, "w") as out:
        for name in core.namelist():
            if name.startswith("org/apache/jena/ext/xerces/impl/") and name.endswith(".properties"):
                out.writestr(name.removeprefix("org/apache/jena/ext/"), core.read(name))
    jena = sorted(str(p) for p in JARS.glob("jena-*.jar") if not p.name.endswith("-4.5.0.jar"))
    deps = [str(JARS / f"{d}.jar") for d in DEPENDENCIES]
    return ":".join([*jena, *deps, str(fix)])


# JSON-LD is left out: Debian's Jena 4.5 cannot read even a one-triple JSON-LD file
# (a missing httpclient-cache class); pyoxigraph checks our JSON-LD instead.
@pytest.mark.parametrize(("fmt", "suffix"), [("turtle", "ttl"), ("nt", "nt"), ("trig", "trig"), ("nquads", "nq")])
def test_jena_accepts_export(kg: KnowledgeGraph, classpath: str, tmp_path: Path, fmt: str, suffix: str) -> None:
    path = tmp_path / f"export.{suffix}"
    path.write_bytes(api.export(kg, fmt, inferred=True))
    done = subprocess.run(["java", "-cp", classpath, "riotcmd.riot", "--count", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    expected = len(kg.asserted()) + len(kg.full().inferred())  # --inferred exports the full closure
    assert f"= {expected:,}" in (done.stdout + done.stderr)


def test_jena_rejects_broken_turtle(classpath: str, tmp_path: Path) -> None:
    """The check can fail: Jena must refuse what is not Turtle."""
    path = tmp_path / "broken.ttl"
    path.write_text("<http://a> <http://b> .\n")
    done = subprocess.run(["java", "-cp", classpath, "riotcmd.riot", "--validate", str(path)], capture_output=True, text=True)
    assert done.returncode != 0
