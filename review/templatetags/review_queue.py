"""The open-risk count in the header of every admin page (templates/admin/base_site.html)."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from review.queue import open_risk_count

register = template.Library()


@register.simple_tag
def open_risk_link():
    count = open_risk_count()
    url = reverse("admin:review_reviewitem_changelist")
    if not count:
        return format_html(
            '<a class="open-risk none" id="open-risk" href="{}">{}</a>',
            url,
            _("Review queue: no risk items waiting"),
        )
    label = ngettext("⚠ %(count)d risk item waiting", "⚠ %(count)d risk items waiting", count) % {
        "count": count
    }
    return format_html(
        '<a class="open-risk" id="open-risk" href="{}?is_risk__exact=1">{}</a>', url, label
    )
