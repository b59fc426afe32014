"""Layout tables: tables that frame a page rather than hold data.

Older pages (and some blogs and forums) lay out their columns with ``<table>``;
the story then sits in one cell, next to cells of menus. trafilatura keeps a
table it finds in the story as a table, one line per row with ``|`` between
the cells, so a layout table turns the whole page into one line and brings its
menus along. :func:`unwrap_layout_tables` makes such tables plain blocks before
extraction, so their paragraphs are judged one by one like any others.

A table is a layout table when it says so (``role="presentation"``) or when one
of its cells holds more text than a datum (:data:`MAX_DATUM_CHARS` characters
outside scripts and styles) and the table does not mark itself as data (a
caption, a header row or cell, a summary).
"""

from __future__ import annotations

from typing import Any

from lxml import etree

#: a cell holding more than this many characters of shown text is a column of the page, not a datum
MAX_DATUM_CHARS = 400
#: the elements of a table that become plain blocks
TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


def shown_chars(element: Any) -> int:
    """Characters of an element's text outside scripts and styles (spaces at the ends of text runs left out).

    :param element: any element
    """
    return _Survey(element).shown[element]


class _Survey:
    """What the layout test needs of every element below a root, in one pass from the leaves
    up, so that the cost stays linear in the size of the page however deep tables nest (a
    test per table that read every cell below it cost seconds on pages of nested tables):

    * ``shown``: characters of shown text (see :func:`shown_chars`);
    * ``longest_cell``: the most shown text of any ``<td>`` below;
    * ``marked``: whether a ``<caption>``, ``<thead>`` or ``<th>`` is below.
    """

    def __init__(self, root: Any) -> None:
        self.shown: dict[Any, int] = {}
        self.longest_cell: dict[Any, int] = {}
        self.marked: dict[Any, bool] = {}
        for element in reversed(list(root.iter())):  # children before their parents
            if not isinstance(element.tag, str):
                continue  # comments and processing instructions: only their tails count, in the parent
            tag = element.tag.lower()
            hidden = tag in ("script", "style")
            shown = 0 if hidden else len((element.text or "").strip())
            longest = 0
            marked = False
            for child in element:
                shown += len((child.tail or "").strip())
                if not isinstance(child.tag, str):
                    continue
                if not hidden:
                    shown += self.shown[child]
                child_tag = child.tag.lower()
                longest = max(longest, self.longest_cell[child], self.shown[child] if child_tag == "td" else 0)
                marked = marked or self.marked[child] or child_tag in ("caption", "thead", "th")
            self.shown[element] = shown
            self.longest_cell[element] = longest
            self.marked[element] = marked

    def is_layout(self, table: Any) -> bool:
        """:func:`is_layout_table` from the survey."""
        if (table.get("role") or "").lower() in ("presentation", "none"):
            return True
        if table.get("summary") or self.marked[table]:
            return False
        return self.longest_cell[table] > MAX_DATUM_CHARS


def is_layout_table(table: Any) -> bool:
    """Whether a ``<table>`` lays out the page (see the module doc) rather than holding data.

    :param table: a table element
    """
    return _Survey(table).is_layout(table)


def own_parts(table: Any) -> list[Any]:
    """The table and its row groups, rows and cells, without those of the tables nested in it.

    :param table: a table element
    """
    return [table, *(part for part, owner in _table_parts(table) if owner is table)]


def _table_parts(root: Any) -> list[tuple[Any, Any]]:
    """Each row group, row and cell below ``root`` with the table it belongs to (the nearest
    ``<table>`` above it), in one walk down the tree."""
    parts: list[tuple[Any, Any]] = []
    tables: list[Any] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if event == "start":
            if tag in TABLE_PARTS and tag != "table" and tables:
                parts.append((element, tables[-1]))
            if tag == "table":
                tables.append(element)
        elif tag == "table":
            tables.pop()
    return parts


def unwrap_layout_tables(tree: Any) -> None:
    """Make every layout table (:func:`is_layout_table`) and its row groups, rows and cells ``<div>`` blocks, in place.

    All tables are judged before any changes, so a table nested in a layout table is
    judged on its own: a table of data inside a layout stays a table. The page is read
    twice whatever the nesting: once for the text below each element, once for the table
    each row and cell belongs to.

    :param tree: the parsed page, changed in place
    """
    if next(tree.iter("table"), None) is None:
        return
    survey = _Survey(tree)
    layout = {table for table in tree.iter("table") if survey.is_layout(table)}
    if not layout:
        return
    parts = [(part, owner) for part, owner in _table_parts(tree) if owner in layout]
    for part, _ in parts:
        if part.tag in ("td", "th"):
            wrap_loose_text(part)
    for part, _ in parts:
        part.tag = "div"
    for table in layout:
        table.tag = "div"


#: elements that flow inside a line of text; any other element is a block of its own
INLINE_TAGS = {"a", "abbr", "b", "big", "br", "cite", "code", "em", "font", "i", "img", "kbd", "mark", "q", "s",
               "small", "span", "strong", "sub", "sup", "time", "tt", "u"}


def is_inline(node: Any) -> bool:
    """Whether a child node flows inside a line of text (an inline element, a comment).

    :param node: a child of an element
    """
    return not isinstance(node.tag, str) or node.tag.lower() in INLINE_TAGS


def wrap_loose_text(cell: Any) -> None:
    """Put each run of text written straight into a cell, between its blocks, into a ``<p>`` of its own, in place.

    A cell is a block, so its bare text reads as a paragraph; once the cell is a
    ``<div>``, bare text between its paragraphs would be lost in extraction.

    :param cell: a table cell
    """
    children = list(cell)
    if not (cell.text or "").strip() and not any(is_inline(c) or (c.tail or "").strip() for c in children):
        return
    lead, cell.text = cell.text, None
    for child in children:
        cell.remove(child)  # its tail goes with it
    paragraph = None
    if (lead or "").strip():
        paragraph = cell.makeelement("p")
        paragraph.text = lead
        cell.append(paragraph)
    for child in children:
        if is_inline(child):
            if paragraph is None:
                paragraph = cell.makeelement("p")
                cell.append(paragraph)
            paragraph.append(child)
            continue
        tail, child.tail = child.tail, None
        cell.append(child)
        paragraph = None
        if (tail or "").strip():
            paragraph = cell.makeelement("p")
            paragraph.text = tail
            cell.append(paragraph)
