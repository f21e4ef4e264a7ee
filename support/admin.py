from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from support.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "language", "category", "audience", "published", "updated"]
    list_filter = ["language", "category", "audience", "published"]
    search_fields = ["title", "slug", "summary", "body"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["updated"]
    ordering = ["category", "order", "slug", "language"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "summary", "body"]}),
        (_("Where it appears"), {"fields": ["category", "audience", "order", "published"]}),
        (_("Sources"), {"fields": ["sources", "updated"]}),
    ]


# Help lines and risk phrases are edited as moderator actions, with their audit row:
# forum/admin/support_lists.py.
