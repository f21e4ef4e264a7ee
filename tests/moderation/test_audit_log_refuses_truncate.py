"""TRUNCATE cannot empty the audit log, asked directly or through a table it points at."""

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction

from forum import moderation
from forum.models import AuditLog

# Committed rows, as in production; the flush after each test is the one TRUNCATE let through
# (tests/conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE forum_auditlog",
        "TRUNCATE forum_auditlog CASCADE",
        "TRUNCATE forum_auditlog RESTART IDENTITY",
        # The log's actor points at auth_user: CASCADE would empty the log along with it.
        "TRUNCATE auth_user CASCADE",
    ],
)
def test_truncate_is_refused_even_for_the_superuser_the_tests_run_as(
    make_moderator, make_thread, statement
):
    moderator = make_moderator(username="keeper")
    moderation.lock_thread(make_thread(), by=moderator, reason="heated")

    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)

    entry = AuditLog.objects.get()
    assert (entry.actor, entry.action, entry.reason) == (moderator, "lock_thread", "heated")
    assert User.objects.filter(pk=moderator.pk).exists()
