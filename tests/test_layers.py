"""The layers only point down, and the code is imported only as ``newsarchive.*``."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("app", "crawler", "stages", "archive", "nlp")
BARE = re.compile(r"^\s*(?:from|import)\s+(?:%s)(?:[.\s]|$)" % "|".join(LAYERS), re.M)


def test_import_linter_contracts_hold():
    """import-linter sees every import, those inside functions too, so an upward
    import made lazy to dodge a cycle breaks the contract like any other."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_module_is_imported_under_its_folder_name():
    """``import nlp`` would work from a checkout (the folder is on the path) and fail
    once installed, where only ``newsarchive.nlp`` exists."""
    offenders = []
    for folder in (*LAYERS, "bench", "tests", "plugins", "tools"):
        for path in (ROOT / folder).rglob("*.py"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if BARE.match(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_wheel_installs_one_import_name():
    """Every package the build installs lives under ``newsarchive``."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["setuptools"]["packages"]
    assert packages and all(name.startswith("newsarchive.") for name in packages)
    for name, folder in config["tool"]["setuptools"]["package-dir"].items():
        assert (ROOT / folder / "__init__.py").exists(), name
