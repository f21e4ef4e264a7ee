"""Moderators also keep the help lines and the risk phrases (forum's migration 0004 made the group).

Their admin saves each edit through forum.moderation, with its audit row. It lives here, beside
0002, because support imports no other app (see STYLE.md).
"""

from django.db import migrations

PERMISSIONS = [
    f"{verb}_{model}"
    for model in ("helpline", "riskphrase")
    for verb in ("view", "add", "change", "delete")
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    support = apps.get_app_config("support")
    previous = getattr(support, "models_module", None)
    support.models_module = previous or True
    create_permissions(support, apps=apps, verbosity=0)
    support.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="support", codename__in=PERMISSIONS)
    )
    if len(permissions) != len(PERMISSIONS):
        raise RuntimeError("help line and risk phrase permissions not found for the Moderators")
    Group.objects.get(name="Moderators").permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="support", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_moderators_may_moderate_chat"),
        ("support", "0001_initial"),
        ("forum", "0004_moderators_group_and_append_only_audit_log"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
