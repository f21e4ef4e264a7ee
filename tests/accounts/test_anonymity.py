"""Posting stays anonymous when signed in: nothing links a post to an account."""

import pytest

from forum.models import Post
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_a_post_made_while_signed_in_carries_nothing_of_the_account(client, make_user, make_thread):
    thread = make_thread()
    user = make_user(username="sleepless-in-sapporo")
    client.login(username=user.username, password=TEST_PASSWORD)
    client.cookies["yoake_poster"] = "key"

    client.post(thread.get_absolute_url(), {"body": "good night everyone"})

    post = Post.objects.get(thread=thread, number=2)
    assert not any(
        field.is_relation and field.related_model.__name__ == "User" for field in Post._meta.fields
    )
    stored = " ".join(
        str(value) for value in Post.objects.filter(pk=post.pk).values().get().values()
    )
    assert "sleepless" not in stored
    client.logout()
    assert "sleepless-in-sapporo" not in client.get(thread.get_absolute_url()).content.decode()
