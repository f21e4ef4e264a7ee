"""The HTML of posts, for whole pages and for live updates alike.

A thread page can hold a thousand posts, so the post partial is a Jinja2 template: several times
faster than the Django template language for a loop this long, and faster again without
autoescape, which would escape some twenty values per post of which only three were typed by
a poster. Those three are escaped explicitly in the template, the body is cooked HTML, and
every other value is made here (see the template's header). Everything else on the site stays
in Django templates. Labels are translated here, in Python, so makemessages finds them.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import jinja2
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from forum.models import Board, Thread
from forum.reading import PostView

_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "jinja2"),
    autoescape=False,  # noqa: S701 (see the docstring: the template escapes what posters typed)
    auto_reload=False,
    trim_blocks=False,
)


def _labels() -> dict[str, str]:
    return {
        key: escape(label)
        for key, label in {
            "moderator": _("Moderator"),
            "deleted_by_poster": _("This post was deleted by the poster."),
            "deleted_by_moderator": _("あぼーん — this post was deleted by a moderator."),
            "hidden": _("This post is hidden until a moderator has looked at it."),
            "replies": _("Replies:"),
            "report": _("Report"),
            "delete": _("Delete my post"),
        }.items()
    }


def render_posts(views: list[PostView], *, board: Board, thread: Thread) -> SafeString:
    """The markup of `views` in order, exactly as a thread page shows them."""
    template = _environment.get_template("forum/_post.html")
    html = template.render(
        posts=views, actions=f"/post/{board.slug}/{thread.key}/", labels=_labels()
    )
    return mark_safe(html)  # noqa: S308 (autoescape is off: the template escapes what posters typed)
