"""What the builders of ``corpora/extraction-sets/`` share: reading a copy of the source
repository (a working tree, or a git directory read at HEAD) and the dev / held-out split.

Used by ``tools/build_fundus_set.py`` and ``tools/build_magic_html_set.py`` (run as scripts
from the repository's top: ``python tools/build_fundus_set.py ...``).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

#: a page is held out when the first byte of sha1(page id) is below this (~30%)
HELD_OUT_BELOW = 77


def split_of(page_id: str) -> str:
    """``heldout`` when the first byte of sha1(page id) is below 77, else ``dev``."""
    return "heldout" if hashlib.sha1(page_id.encode("utf-8")).digest()[0] < HELD_OUT_BELOW else "dev"


class RepoSource:
    """Files of a copy of a repository: a working tree holding ``folder``, or a git directory.

    :param path: the working tree or the git directory
    :param folder: the folder the builder reads, relative to the repository
    """

    def __init__(self, path: Path, folder: str) -> None:
        self.path = path
        self.folder = folder
        self.tree = (path / folder).is_dir()

    def git(self, *args: str) -> bytes:
        """Output of a git command run on the copy."""
        return subprocess.run(["git", "--git-dir" if not self.tree else "-C", str(self.path), *args],
                              check=True, capture_output=True).stdout

    def commit(self) -> str:
        """The commit the copy is at (empty when it is not a git repository)."""
        try:
            return self.git("rev-parse", "HEAD").decode().strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            return ""

    def names(self) -> list[str]:
        """Paths of every file under ``folder``, relative to the repository."""
        if self.tree:
            return sorted(str(p.relative_to(self.path)) for p in (self.path / self.folder).rglob("*") if p.is_file())
        return sorted(self.git("ls-tree", "-r", "--name-only", "HEAD", self.folder).decode().split("\n")[:-1])

    def read(self, name: str) -> bytes:
        """The bytes of one file."""
        if self.tree:
            return (self.path / name).read_bytes()
        return self.git("show", f"HEAD:{name}")
