"""Which boards and chat rooms are in a surge, in the header of every admin page
(templates/admin/base_site.html), so a moderator sees it wherever they are."""

from __future__ import annotations

from django import template
from django.apps import apps
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from forum.admin.surge import surge_state_text
from forum.models import SurgeState

register = template.Library()


def places_in_surge(now=None):
    now = now or timezone.now()
    running = Q(surge_switch=SurgeState.Switch.ON) | Q(
        surge_switch=SurgeState.Switch.AUTOMATIC, surge_until__gt=now
    )
    for label in ("forum.Board", "chat.Room"):
        for place in apps.get_model(label).objects.filter(running):
            if place.in_surge(now):  # YOAKE_SURGE=0 ends automatic ones
                yield place


@register.simple_tag
def surge_notice():
    rows = [
        (
            reverse(f"admin:{place._meta.app_label}_{place._meta.model_name}_changelist"),
            f"{place.slug}: {surge_state_text(place)}",
        )
        for place in places_in_surge()
    ]
    if not rows:
        return ""
    return format_html(
        '<p class="surge-notice" id="surge-notice">{} {}</p>',
        _("Surge:"),
        format_html_join(" · ", '<a href="{}">{}</a>', rows),
    )
