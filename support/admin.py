from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from support.models import Article, HelpLine, RiskPhrase


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


@admin.register(HelpLine)
class HelpLineAdmin(admin.ModelAdmin):
    list_display = [
        "name_en",
        "country",
        "kind",
        "phone",
        "last_verified",
        "unconfirmed",
        "active",
    ]
    list_filter = ["country", "kind", "unconfirmed", "active"]
    search_fields = ["name_en", "name_ja", "phone", "source"]
    # Oldest checks first: numbers and hours go out of date, and a wrong number at 3 a.m. is
    # worse than none.
    ordering = ["last_verified", "country", "order"]
    date_hierarchy = "last_verified"
    fieldsets = [
        (None, {"fields": ["country", "kind", "name_en", "name_ja", "phone", "text_only", "url"]}),
        (
            _("Hours"),
            {"fields": ["timezone", "hours", "hours_note_en", "hours_note_ja", "languages"]},
        ),
        (_("Description"), {"fields": ["description_en", "description_ja"]}),
        (
            _("Checking"),
            {"fields": ["source", "last_verified", "unconfirmed", "active", "order"]},
        ),
    ]


@admin.register(RiskPhrase)
class RiskPhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "language", "active"]
    list_editable = ["active"]
    list_filter = ["language", "active"]
    search_fields = ["phrase"]
