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

#: a cell holding more than this many characters of shown text is a column of the page, not a datum
MAX_DATUM_CHARS = 400
#: the elements of a table that become plain blocks
TABLE_PARTS = ("table", "thead", "tbody", "tfoot", "tr", "td", "th")


def shown_chars(element: Any) -> int:
    """Characters of an element's text outside scripts and styles (spaces at the ends of text runs left out).

    :param element: any element
    """
    return sum(len(text.strip()) for text in element.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def is_layout_table(table: Any) -> bool:
    """Whether a ``<table>`` lays out the page (see the module doc) rather than holding data.

    :param table: a table element
    """
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return True
    if table.get("summary") or next(table.iterdescendants("caption", "thead", "th"), None) is not None:
        return False
    # text_content() first: cheap, and never less than the shown text
    return any(len(cell.text_content()) > MAX_DATUM_CHARS and shown_chars(cell) > MAX_DATUM_CHARS
               for cell in table.iter("td"))


def own_parts(table: Any) -> list[Any]:
    """The table and its row groups, rows and cells, without those of the tables nested in it.

    :param table: a table element
    """
    parts = [table]
    for element in table.iterdescendants(*TABLE_PARTS):
        if element.tag != "table" and next(element.iterancestors("table"), None) is table:
            parts.append(element)
    return parts


def unwrap_layout_tables(tree: Any) -> None:
    """Make every layout table (:func:`is_layout_table`) and its row groups, rows and cells ``<div>`` blocks, in place.

    All tables are judged before any changes, so a table nested in a layout table is
    judged on its own: a table of data inside a layout stays a table.

    :param tree: the parsed page, changed in place
    """
    layout = [table for table in tree.iter("table") if is_layout_table(table)]
    for table in layout:
        for part in own_parts(table):
            if part.tag in ("td", "th"):
                wrap_loose_text(part)
            part.tag = "div"


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
