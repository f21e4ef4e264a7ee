"""The moderators' admin: posts, the reports queue, threads, bans, word filters, help lines, risk
phrases and the audit log.

Every change goes through forum.moderation (one transaction, one audit entry each); the admin's
own edit forms are read-only for posts, threads and reports. Moderators see an address only as
the first characters of its keyed hash, and daily IDs, which is enough to connect posts.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Each module registers its models.
from forum.admin import audit, posts, reports, safety, support_lists, threads  # noqa: F401

admin.site.site_header = _("Yoake moderation")
admin.site.site_title = _("Yoake moderation")
admin.site.index_title = _("Moderation")
admin.site.index_template = "admin/forum/index.html"
