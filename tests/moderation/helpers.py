"""Readers as the site sees them: a browser with the poster cookie, from one address."""

from django.test import Client


def reader(address: str = "203.0.113.50") -> Client:
    browser = Client(REMOTE_ADDR=address)
    browser.cookies["yoake_poster"] = f"delete-key-{address}"
    return browser


def reply(browser: Client, thread, body: str, **fields):
    return browser.post(thread.get_absolute_url(), {"body": body, **fields})
