"""Moderators may see the boards and chat rooms and switch their surge mode by hand
(forum.surge.switch, audited); changing anything else about them stays with administrators."""

from django.db import migrations

PERMISSIONS = {
    "forum": ["view_board", "switch_surge"],
    "chat": ["view_room", "switch_surge"],
}


def _permissions(apps):
    from django.db.models import Q

    Permission = apps.get_model("auth", "Permission")
    wanted = Q()
    for app, codenames in PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app, codename__in=codenames)
    return list(Permission.objects.filter(wanted))


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app in PERMISSIONS:
        config = apps.get_app_config(app)
        previous = getattr(config, "models_module", None)
        config.models_module = previous or True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = previous
    permissions = _permissions(apps)
    if len(permissions) != sum(len(codenames) for codenames in PERMISSIONS.values()):
        raise RuntimeError("surge permissions not found for the Moderators group")
    apps.get_model("auth", "Group").objects.get(name="Moderators").permissions.add(*permissions)


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Moderators").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_moderators_may_keep_help_lines_and_risk_phrases"),
        ("forum", "0011_surge"),
        ("chat", "0004_surge"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
