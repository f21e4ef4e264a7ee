"""Moderators work the review queue: they see its items and act on them (change)."""

from django.db import migrations

PERMISSIONS = [
    "view_reviewitem",
    "change_reviewitem",
    "view_signal",
    "view_staffnote",
    "add_staffnote",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    review = apps.get_app_config("review")
    previous = getattr(review, "models_module", None)
    review.models_module = previous or True
    create_permissions(review, apps=apps, verbosity=0)
    review.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="review", codename__in=PERMISSIONS)
    )
    if len(permissions) != len(PERMISSIONS):
        raise RuntimeError("review permissions not found for the Moderators group")
    Group.objects.get(name="Moderators").permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="review", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("forum", "0004_moderators_group_and_append_only_audit_log"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
