"""Datasette plugin: the introspection pages show no paths of the machine.

``/-/databases`` listed each database with its absolute path (the archive's,
and the folders of the installed packages); a published archive should not
tell the world where its files live. These routes replace Datasette's own
``/-/databases`` and ``/-/versions`` (plugin routes are matched first) with
the same data, every absolute path cut to its file name.
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl

#: an absolute path (two or more parts), to be cut to its last part
ABSOLUTE = re.compile(r"(?<![\w.:/])/(?:[^\s/\"'<>]+/)+([^\s/\"'<>]+)")


def scrub(value: Any) -> Any:
    """``value`` with every absolute path in its strings cut to the file name."""
    if isinstance(value, str):
        return ABSOLUTE.sub(r"\1", value)
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item) for item in value]
    return value


@hookimpl
def register_routes(datasette):
    from datasette.views.special import JsonDataView

    return [
        (r"^/-/databases(\.(?P<format>json))?$",
         JsonDataView.as_view(datasette, "databases.json", lambda: scrub(datasette._connected_databases()))),
        (r"^/-/versions(\.(?P<format>json))?$",
         JsonDataView.as_view(datasette, "versions.json", lambda: scrub(datasette._versions()))),
    ]
