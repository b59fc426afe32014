"""Shared fixtures: real files, real servers, one spaCy model per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEMO_SITE = ROOT / "data" / "demo-site"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a fresh archive file."""
    return tmp_path / "archive.db"


@pytest.fixture
def store(db_path: Path):
    """A real archive on disk, closed after the test."""
    from newsarchive.archive.store import Store

    with Store(db_path) as s:
        yield s


@pytest.fixture(scope="session")
def nlp():
    """The spaCy pipeline with our components, loaded once."""
    from newsarchive.nlp.entities.extract import load_nlp

    return load_nlp()


@pytest.fixture
def pipeline_failing_on_xyzzy(nlp):
    """The real pipeline (as every loader gets it) with one more component, which raises on
    a text holding ``XYZZY``: a stand-in for a bug that one article's text sets off."""
    from spacy.language import Language

    if "test_fails_on_xyzzy" not in Language.factories:
        @Language.component("test_fails_on_xyzzy")
        def fails_on_xyzzy(doc):
            if "XYZZY" in doc.text:
                raise RuntimeError("this component cannot read XYZZY")
            return doc

    nlp.add_pipe("test_fails_on_xyzzy", last=True)
    try:
        yield nlp
    finally:
        nlp.remove_pipe("test_fails_on_xyzzy")


@pytest.fixture
def demo_site():
    """The bundled demo site served on 127.0.0.1, one port per outlet."""
    from newsarchive.app.demosite import start_demo_site

    with start_demo_site(DEMO_SITE) as site:
        yield site


def load_expected() -> list[dict]:
    """Ground truth of the demo site's articles (``data/demo-site/expected.yml``)."""
    import yaml

    data = yaml.safe_load((DEMO_SITE / "expected.yml").read_text(encoding="utf-8"))
    return data["articles"] if isinstance(data, dict) else data


@pytest.fixture(scope="session")
def demo_archive(tmp_path_factory):
    """The demo site crawled over HTTP into a real archive, entities included.

    Yields ``(db_path, site)``; the site keeps serving for the session, so
    tests can crawl it again.
    """
    from click.testing import CliRunner

    from newsarchive.app.cli import cli
    from newsarchive.app.demosite import start_demo_site

    workdir = tmp_path_factory.mktemp("demo")
    db = workdir / "archive.db"
    with start_demo_site(DEMO_SITE) as site:
        sources = site.write_sources(workdir / "sources.yml")
        result = CliRunner().invoke(cli, crawl_args(sources, db))
        assert result.exit_code == 0, result.output
        yield db, site


def crawl_args(sources: Path, db: Path) -> list[str]:
    """``newsarchive crawl`` arguments for a fast crawl of a local site."""
    return [
        "crawl", "--sources", str(sources), "--db", str(db), "--allow-private",
        "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
    ]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent() -> None:
    """In a child process: get SIGTERM when the test process dies, however it dies
    (Linux), so no server outlives an interrupted test run."""
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class RunningDatasette:
    """``newsarchive serve`` as a real process on a free port (its last 200 log lines in
    ``output``)."""

    def __init__(self, db: Path, *extra: str) -> None:
        import collections
        import subprocess
        import sys
        import threading

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "newsarchive.app", "serve", "--db", str(db), "--port", str(self.port), *extra]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, preexec_fn=die_with_parent)
        # Read its log as it comes: a pipe nobody reads fills up (64 kB, some 600 logged
        # requests) and the server then blocks on its next log line, every request hanging.
        self.output: collections.deque[str] = collections.deque(maxlen=200)
        threading.Thread(target=self._drain, daemon=True).start()
        self._wait()

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)

    def _wait(self) -> None:
        import time

        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                time.sleep(0.2)  # the last lines reach the drain
                raise RuntimeError(f"datasette exited: {''.join(self.output)}")
            try:
                if httpx.get(self.url + "/-/versions.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("datasette did not start within 60 s")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="session")
def demo_datasette(demo_archive):
    """Datasette serving the demo archive over HTTP."""
    db, site = demo_archive
    server = RunningDatasette(db)
    yield server
    server.stop()
