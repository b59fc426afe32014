"""Run Datasette's command line with our fixes: ``python -m newsarchive.app.serve serve ...``.

Datasette 0.65 prints every handled error (404s included) with ``rich`` when
``rich`` is importable, and current ``rich`` refuses to print a traceback
outside an ``except`` block, so every 404 became a 500. spaCy brings ``rich``
into our environment, so we switch that printing off; errors still reach
Datasette's own handler and log.

Datasette names a database after its file, and the archive's pages, stored
queries and metadata are written for the name ``archive``: an archive saved as
``news.db`` answered 500 on the home page and 404 for the stored queries.
:func:`archive_alias` gives any archive file the name ``archive.db`` (a
symbolic link; SQLite follows it, so the WAL stays beside the real file).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from newsarchive.archive.errors import ArchiveError

#: the name Datasette must see: metadata.yml, the templates and the plugin say ``archive``
SERVED_NAME = "archive.db"


def archive_alias(db_path: str | Path) -> Path:
    """A path to ``db_path`` whose file name is ``archive.db``: the file itself
    when so named, else a symbolic link in a private folder of the temporary
    directory (one per archive, reused)."""
    real = Path(os.path.realpath(db_path))
    if real.name == SERVED_NAME:
        return real
    digest = hashlib.sha256(str(real).encode()).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"newsarchive-serve-{os.getuid()}"
    folder = base / digest
    base.mkdir(exist_ok=True, mode=0o700)
    folder.mkdir(exist_ok=True, mode=0o700)
    for made in (base, folder):  # in a shared /tmp, another user may have made them first
        info = made.lstat()
        if made.is_symlink() or info.st_uid != os.getuid():
            raise ArchiveError(f"{made}: not a private folder of this user; refusing to serve through it")
        if info.st_mode & 0o077:
            made.chmod(0o700)
    link = folder / SERVED_NAME
    if not (link.is_symlink() and os.readlink(link) == str(real)):
        partial = folder / f".{SERVED_NAME}.{os.getpid()}"
        partial.unlink(missing_ok=True)
        partial.symlink_to(real)
        os.replace(partial, link)
    return link


def main() -> None:
    from datasette.cli import cli  # first: it registers the default plugins, handle_exception among them
    import datasette.handle_exception

    datasette.handle_exception.rich = None
    cli(prog_name="datasette")


if __name__ == "__main__":
    main()
