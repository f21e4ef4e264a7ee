"""Hidden threads (accounts) and watched threads (accounts and visitors) with new-post counts."""

import pytest
from django.urls import reverse

from accounts.models import HiddenThread, WatchedThread

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def name(thread) -> str:
    return f"{thread.board.slug}/{thread.key}"


def test_a_signed_in_reader_hides_a_thread_and_shows_it_again(client, make_user, make_thread):
    user = make_user()
    thread = make_thread(title="not for me")
    client.force_login(user)

    response = client.post(reverse("hidden_threads"), {"thread": name(thread)}, **JSON)
    assert response.json() == {"ok": True}
    assert HiddenThread.objects.filter(user=user, thread=thread).exists()
    assert "not for me" in client.get(reverse("hidden_threads")).content.decode()

    client.post(reverse("hidden_threads"), {"thread": name(thread), "action": "unhide"})
    assert not HiddenThread.objects.exists()


def test_a_visitor_cannot_hide_threads_on_the_server(client, make_thread):
    thread = make_thread()
    response = client.post(reverse("hidden_threads"), {"thread": name(thread)})
    assert response.status_code == 403
    assert "this browser keeps them" in response.content.decode()


def test_hiding_from_another_site_is_refused(client, make_user, make_thread):
    client.force_login(make_user())
    response = client.post(
        reverse("hidden_threads"),
        {"thread": name(make_thread())},
        HTTP_ORIGIN="https://elsewhere.example",
    )
    assert response.status_code == 403
    assert not HiddenThread.objects.exists()


def test_the_plain_hide_form_on_a_no_referrer_page_still_works(client, make_user, make_thread):
    # Thread pages send no referrer, so a browser posts their forms with "Origin: null".
    user = make_user()
    client.force_login(user)
    thread = make_thread()
    client.post(
        reverse("hidden_threads"),
        {"thread": name(thread)},
        HTTP_ORIGIN="null",
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert HiddenThread.objects.filter(user=user, thread=thread).exists()


def test_an_accounts_watched_page_counts_new_posts_since_the_last_visit(
    client, make_user, make_thread, make_post
):
    user = make_user()
    thread = make_thread(title="Morning walk club")
    client.force_login(user)
    client.post(reverse("watched"), {"thread": name(thread), "action": "watch"})
    assert WatchedThread.objects.get(user=user).seen_count == 1

    make_post(thread=thread)
    make_post(thread=thread)
    page = client.get(reverse("watched"))
    assert "Morning walk club" in page.content.decode()
    assert [w.new_count for w in page.context["watched"]] == [2]

    go = client.get(reverse("watched_go", kwargs={"board": thread.board.slug, "key": thread.key}))
    assert go["Location"] == f"{thread.get_absolute_url()}2-"
    assert [w.new_count for w in client.get(reverse("watched")).context["watched"]] == [0]


def test_a_visitor_watches_threads_with_a_cookie(client, make_thread, make_post):
    thread = make_thread(title="Night owls roll call")
    response = client.post(reverse("watched"), {"thread": name(thread), "action": "watch"})
    assert response.status_code == 302
    assert name(thread).replace("/", "-") in client.cookies["yoake_watched"].value
    assert client.cookies["yoake_watched"]["samesite"] == "Lax"

    make_post(thread=thread)
    page = client.get(reverse("watched"))
    assert [w.new_count for w in page.context["watched"]] == [1]
    assert "Night owls roll call" in page.content.decode()
    assert client.get(reverse("account_prefs")).json()["watched"] == [name(thread)]

    client.post(reverse("watched"), {"thread": name(thread), "action": "seen", "seen": "2"}, **JSON)
    assert [w.new_count for w in client.get(reverse("watched")).context["watched"]] == [0]

    client.post(reverse("watched"), {"thread": name(thread), "action": "unwatch"})
    assert client.get(reverse("watched")).context["watched"] == []


def test_a_visitors_cookie_ignores_anything_that_is_not_a_thread(client, make_thread):
    thread = make_thread()
    client.cookies["yoake_watched"] = f"{name(thread).replace('/', '-')}-1.<script>.x-y-z"
    watched = client.get(reverse("watched")).context["watched"]
    assert [w.thread.pk for w in watched] == [thread.pk]


def test_the_thread_page_has_a_watch_button_that_works_without_javascript(client, make_thread):
    thread = make_thread()
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "data-watch-form" in page
    assert f'value="{name(thread)}"' in page
    response = client.post(
        reverse("watched"),
        {"thread": name(thread), "action": "watch", "next": thread.get_absolute_url()},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == thread.get_absolute_url()
    assert "You are watching" in response.content.decode()


def test_watching_an_unknown_thread_is_a_404(client):
    assert client.post(reverse("watched"), {"thread": "nope/123"}).status_code == 404
    assert client.post(reverse("watched"), {"thread": "../etc"}).status_code == 404
