"""Telling moderators: the open admin pages at once (a staff-only socket), and optionally an
on-call address by e-mail. Runs after commit; never raises into the poster's request."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from realtime.broadcast import broadcast

logger = logging.getLogger(__name__)

# The group every open review-queue page of every process listens to (review.consumers).
STAFF_GROUP = "review-queue"


def queue_changed() -> None:
    broadcast(STAFF_GROUP, {"type": "review.changed", "risk": False})


def item_opened(item, *, newly_risky: bool) -> None:
    broadcast(STAFF_GROUP, {"type": "review.changed", "risk": bool(item.is_risk)})
    if newly_risky and settings.YOAKE_ONCALL_EMAIL:
        try:
            send_risk_mail(item)
        except Exception as error:  # broad on purpose: the post is in; the queue still shows it
            logger.warning("on-call e-mail for review item %s not sent: %r", item.pk, error)


def send_risk_mail(item) -> None:
    """The link and the board (or room) only: no text of the post, no ID, no hash."""
    link = settings.YOAKE_SITE_URL + reverse("admin:review_reviewitem_change", args=[item.pk])
    if item.post_id:
        where = f"/{item.post.thread.board.slug}/"
    else:
        where = _("chat room %(room)s") % {"room": item.message.room.slug}
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            subject=_("Yoake: a post with risk language on %(where)s") % {"where": where},
            message=_(
                "A post on %(where)s matched risk language and was posted anyway.\n"
                "Please look at it in the review queue:\n%(link)s\n"
            )
            % {"where": where, "link": link},
            from_email=None,
            recipient_list=[settings.YOAKE_ONCALL_EMAIL],
        )
