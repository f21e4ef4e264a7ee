"""The "Moderators" group with exactly what moderators need, and an audit log nobody can rewrite.

Moderators read and act on posts, threads and reports (actions go through forum.moderation),
add and change bans, keep the word filters, and read the audit log. They get nothing on
accounts or groups, and nothing that changes or deletes the audit log.

The trigger makes the audit log append-only for everyone, superusers and raw SQL included; the
one change it lets through is emptying `actor_id`, which deleting a moderator's account does.
"""

from django.db import migrations

GROUP = "Moderators"
PERMISSIONS = [
    "view_post",
    "change_post",
    "view_thread",
    "change_thread",
    "view_report",
    "change_report",
    "view_reportedpost",
    "change_reportedpost",
    "view_ban",
    "add_ban",
    "change_ban",
    "view_wordfilter",
    "add_wordfilter",
    "change_wordfilter",
    "delete_wordfilter",
    "view_auditlog",
]

APPEND_ONLY = """
CREATE FUNCTION forum_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF (to_jsonb(NEW) - 'actor_id') IS DISTINCT FROM (to_jsonb(OLD) - 'actor_id')
       OR (NEW.actor_id IS NOT NULL AND NEW.actor_id IS DISTINCT FROM OLD.actor_id) THEN
        RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forum_auditlog_append_only
    BEFORE UPDATE OR DELETE ON forum_auditlog
    FOR EACH ROW EXECUTE FUNCTION forum_auditlog_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS forum_auditlog_append_only ON forum_auditlog;
DROP FUNCTION IF EXISTS forum_auditlog_append_only();
"""


def create_moderators(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations (post_migrate); make forum's now.
    forum = apps.get_app_config("forum")
    previous = getattr(forum, "models_module", None)
    forum.models_module = previous or True
    create_permissions(forum, apps=apps, verbosity=0)
    forum.models_module = previous

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label="forum", codename__in=PERMISSIONS)
    )
    missing = set(PERMISSIONS) - {p.codename for p in permissions}
    if missing:
        raise RuntimeError(f"permissions not found for the Moderators group: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(permissions)


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0003_post_cooking_search_and_audit_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
        migrations.RunPython(create_moderators, remove_moderators),
    ]
