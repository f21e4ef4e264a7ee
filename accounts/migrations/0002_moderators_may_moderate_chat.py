"""Moderators also read and remove chat messages (forum's migration 0004 made the group).

It lives here, beside the accounts, because forum must not depend on chat (see STYLE.md).
"""

from django.db import migrations

PERMISSIONS = ["view_message", "change_message"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    chat = apps.get_app_config("chat")
    previous = getattr(chat, "models_module", None)
    chat.models_module = previous or True
    create_permissions(chat, apps=apps, verbosity=0)
    chat.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="chat", codename__in=PERMISSIONS)
    )
    if len(permissions) != len(PERMISSIONS):
        raise RuntimeError("chat message permissions not found for the Moderators group")
    Group.objects.get(name="Moderators").permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="chat", codename__in=PERMISSIONS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("chat", "0001_initial"),
        ("forum", "0004_moderators_group_and_append_only_audit_log"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
