"""The admin's list rows, labelled for narrow screens (templates/admin/change_list_results.html)."""

from __future__ import annotations

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def labelled(cells, headers) -> list:
    """Each cell of a row with `data-label` set to its column's header.

    On a phone the stylesheet (forum/moderation.css) stacks a row's cells and shows the label
    before each, as the header row is hidden there. Cells come from the admin as finished HTML
    (`<td …>` or `<th …>`), so the attribute goes in right after the tag name.
    """
    labelled_cells = []
    for cell, header in zip(cells, headers, strict=False):
        label = "" if "action-checkbox" in header["class_attrib"] else strip_tags(header["text"])
        tag, rest = cell[:3], cell[3:]  # the admin's own HTML; the label is escaped here
        labelled_cells.append(mark_safe(f'{tag} data-label="{escape(label.strip())}"{rest}'))  # noqa: S308
    return labelled_cells
