"""Keep Thread.post_count and Post.number in step inside PostgreSQL itself.

A post may only be inserted as number N right after its thread's count became N (the posting
function does both in one transaction), numbers never change, and counts never go down.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION forum_post_number_matches_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.number <> OLD.number OR NEW.thread_id <> OLD.thread_id THEN
            RAISE EXCEPTION 'post numbers never change' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.number <> (SELECT post_count FROM forum_thread WHERE id = NEW.thread_id) THEN
        RAISE EXCEPTION 'post % does not match the thread''s post count', NEW.number
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forum_post_number_matches_count
    BEFORE INSERT OR UPDATE OF number, thread_id ON forum_post
    FOR EACH ROW EXECUTE FUNCTION forum_post_number_matches_count();

CREATE FUNCTION forum_thread_count_never_decreases() RETURNS trigger AS $$
BEGIN
    IF NEW.post_count < OLD.post_count THEN
        RAISE EXCEPTION 'a thread''s post count never goes down'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER forum_thread_count_never_decreases
    BEFORE UPDATE OF post_count ON forum_thread
    FOR EACH ROW EXECUTE FUNCTION forum_thread_count_never_decreases();
"""

DROP = """
DROP TRIGGER IF EXISTS forum_thread_count_never_decreases ON forum_thread;
DROP FUNCTION IF EXISTS forum_thread_count_never_decreases();
DROP TRIGGER IF EXISTS forum_post_number_matches_count ON forum_post;
DROP FUNCTION IF EXISTS forum_post_number_matches_count();
"""


class Migration(migrations.Migration):
    dependencies = [("forum", "0001_initial")]

    operations = [migrations.RunSQL(CREATE, DROP)]
