"""Article Markdown to safe HTML: one renderer for every article, rules page and admin preview.

Markdown passes raw HTML through, so its output is untrusted until nh3 has cleaned it against a
small allow-list. Images are dropped entirely: a picture from another origin would be a
third-party request (and CSP would block it anyway).
"""

from __future__ import annotations

import html
import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "ruby",
    "rp",
    "rt",
    "strong",
    "summary",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Elements whose content is code or markup rather than text: removed together with the tag.
DROP_WITH_CONTENT = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "noscript",
    "template",
    "svg",
    "math",
    "textarea",
    "select",
    "title",
}
# Block boundaries become spaces in plain text, so "<p>a</p><p>b</p>" reads "a b", not "ab".
_BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|td|th|dd|dt|blockquote|pre|tr|table)>|<br\s*/?>", re.I)
LINK_REL = "nofollow noopener noreferrer"
EXTENSIONS = ["tables", "sane_lists", "fenced_code", "def_list", "abbr"]


def _to_html(text: str) -> str:
    return markdown_lib.markdown(text, extensions=EXTENSIONS, output_format="html")


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to put in a page as it is: no scripts, styles, event
    handlers, frames or images, links only to http(s)/mailto/tel with rel="nofollow noopener
    noreferrer"."""
    cleaned = nh3.clean(
        _to_html(text),
        tags=ALLOWED_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 (nh3 has just sanitised it)


def plain_text(text: str) -> str:
    """The words of a Markdown text without its markup, for search and snippets."""
    spaced = _BLOCK_END.sub(lambda match: match[0] + " ", _to_html(text))
    stripped = nh3.clean(spaced, tags=set(), clean_content_tags=DROP_WITH_CONTENT)
    return " ".join(html.unescape(stripped).split())
