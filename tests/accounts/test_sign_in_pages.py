"""Sign-up and sign-in look like the rest of Yoake, and each error stands by its own field."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    page = response.content.decode()
    return page[page.index('<main id="main">') : page.index("</main>")]


def test_a_short_password_is_said_under_the_password_not_after_the_email(client):
    main = _main(
        client.post(
            "/accounts/signup/",
            {
                "username": "owl",
                "email": "owl@example.com",
                "password1": "short",
                "password2": "short",
            },
        )
    )
    error = main.index("This password is too short")
    assert main.index('id="id_email"') < main.index('<label for="id_password1"') < error
    assert main.index('id="id_password1"') < error < main.index('<label for="id_password2"')
    # The input names its error, which screen readers read with it.
    field = re.search(r'<input type="password" name="password1"[^>]*>', main).group(0)
    assert 'aria-invalid="true"' in field and "id_password1_error" in field
    assert 'id="id_password1_error"' in main


def test_passwords_that_differ_are_said_under_the_second_one(client):
    main = _main(
        client.post(
            "/accounts/signup/",
            {"username": "owl", "password1": "a-long-passphrase", "password2": "another-one-x"},
        )
    )
    error = main.index("You must type the same password each time.")
    assert main.index('id="id_password2"') < error


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/"])
def test_the_forms_look_like_yoakes_own(client, path):
    main = _main(client.get(path))
    assert '<form class="card account-form"' in main
    assert re.search(r'<div class="form-actions">\s*<button class="primary" type="submit">', main)
    # Every field has a visible label, not only a placeholder.
    for field_id in re.findall(r'<input [^>]*type="(?:text|password|email)"[^>]*id="(\w+)"', main):
        assert f'<label for="{field_id}">' in main


def test_a_wrong_password_is_said_once_above_the_form_or_by_its_field(client, make_user):
    user = make_user()
    main = _main(client.post("/accounts/login/", {"login": user.username, "password": "wrong"}))
    assert main.count("not correct") == 1
