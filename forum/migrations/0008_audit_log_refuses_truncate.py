"""The audit log refuses TRUNCATE as it refuses UPDATE and DELETE, and names its new actions.

Row triggers (0004) never see TRUNCATE, and `TRUNCATE auth_user CASCADE` would empty the log as
well; a statement trigger fires for every table a TRUNCATE empties, cascaded ones included.

Roles other than the table's owner keep only INSERT and SELECT on the log, whatever default
privileges gave them when 0003 created it (README, "The audit log's database roles").
"""

from django.db import migrations, models

REFUSE_TRUNCATE = """
CREATE FUNCTION forum_auditlog_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forum_auditlog_refuse_truncate
    BEFORE TRUNCATE ON forum_auditlog
    FOR EACH STATEMENT EXECUTE FUNCTION forum_auditlog_refuse_truncate();
"""

DROP_REFUSE_TRUNCATE = """
DROP TRIGGER IF EXISTS forum_auditlog_refuse_truncate ON forum_auditlog;
DROP FUNCTION IF EXISTS forum_auditlog_refuse_truncate();
"""

# PUBLIC (grantee 0) included; the owner keeps its rights, and the triggers still hold it.
INSERT_AND_SELECT_ONLY = """
DO $$
DECLARE
    grantee text;
BEGIN
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON forum_auditlog FROM PUBLIC;
    FOR grantee IN
        SELECT DISTINCT acl.grantee::regrole::text
          FROM pg_class AS c, aclexplode(c.relacl) AS acl
         WHERE c.oid = 'forum_auditlog'::regclass
           AND acl.grantee NOT IN (0, c.relowner)
    LOOP
        EXECUTE format(
            'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON forum_auditlog FROM %s',
            grantee
        );
    END LOOP;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0007_sealed_addresses"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditlog",
            name="action",
            field=models.CharField(
                choices=[
                    ("delete_post", "deleted a post"),
                    ("restore_post", "restored a post"),
                    ("ban", "banned a poster"),
                    ("change_ban", "changed a ban"),
                    ("lift_ban", "lifted a ban"),
                    ("lock_thread", "locked a thread"),
                    ("unlock_thread", "unlocked a thread"),
                    ("pin_thread", "pinned a thread"),
                    ("unpin_thread", "unpinned a thread"),
                    ("archive_thread", "archived a thread"),
                    ("move_thread", "moved a thread"),
                    ("retitle_thread", "retitled a thread"),
                    ("resolve_report", "resolved reports"),
                    ("dismiss_report", "dismissed reports"),
                    ("add_word_filter", "added a word filter"),
                    ("change_word_filter", "changed a word filter"),
                    ("delete_word_filter", "deleted a word filter"),
                    ("delete_chat_message", "deleted a chat message"),
                    ("restore_chat_message", "restored a chat message"),
                    ("capcode_post", "posted as Moderator ★"),
                    ("add_help_line", "added a help line"),
                    ("change_help_line", "changed a help line"),
                    ("delete_help_line", "deleted a help line"),
                    ("add_risk_phrase", "added a risk phrase"),
                    ("change_risk_phrase", "changed a risk phrase"),
                    ("delete_risk_phrase", "deleted a risk phrase"),
                ],
                max_length=32,
                verbose_name="action",
            ),
        ),
        migrations.RunSQL(REFUSE_TRUNCATE, DROP_REFUSE_TRUNCATE),
        migrations.RunSQL(INSERT_AND_SELECT_ONLY, migrations.RunSQL.noop),
    ]
