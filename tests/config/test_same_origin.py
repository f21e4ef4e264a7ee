"""No page makes the reader's browser talk to another server, or run anything inline.

Every page is checked: each URL pattern that takes no parameters, plus every page linked from the
home page (the boards), rendered from a seeded database. Whatever the browser would fetch by itself
(scripts, styles, images, icons, form targets, CSS url()) must come from this site. Links a reader
may choose to follow to another site (a help line's website, a source under an article, a URL in a
post) are allowed, but must not pass the page along (rel="noopener noreferrer").
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern

from tests.config.markup import CSS_URL, Page, parse

# Not pages for readers: JSON for probes, POST-only endpoints, and the staff-only admin.
SKIPPED_PREFIXES = ("/healthz", "/theme/", "/i18n/", "/admin/")
REGEX_SYNTAX = re.compile(r"[()\[\]?*+|{}\\^$]")
# Attributes whose URL the browser requests without the reader clicking anything.
FETCHED = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "audio": ["src"],
    "video": ["src", "poster"],
    "track": ["src"],
    "iframe": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "input": ["src", "formaction"],
    "button": ["formaction"],
    "form": ["action"],
    "link": ["href"],
    "image": ["href", "xlink:href"],
    "use": ["href", "xlink:href"],
}
NAVIGATION = {"a": ["href"], "area": ["href"]}
# Schemes that never start a network request to another server.
LOCAL_SCHEMES = {"data", "mailto", "tel", "sms"}


def parameterless_paths(patterns=None, prefix: str = "") -> list[str]:
    """Every URL the site answers without a parameter, read from the URL configuration."""
    paths = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        part = str(entry.pattern)
        if isinstance(entry.pattern, RegexPattern):
            part = part.removeprefix("^").removesuffix("$").removesuffix(r"\Z")
            if entry.pattern.regex.groups or REGEX_SYNTAX.search(part):
                continue
        elif entry.pattern.converters:
            continue
        if isinstance(entry, URLResolver):
            paths += parameterless_paths(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + part)
    return sorted({path for path in paths if not path.startswith(SKIPPED_PREFIXES)})


def urls_in(page: Page, attributes: dict[str, list[str]]) -> list[tuple[str, str, str]]:
    found = []
    for element in page.elements:
        for name in attributes.get(element.tag, []):
            value = element.attrs.get(name, "").strip()
            if not value:
                continue
            if name == "srcset":
                found += [(element.tag, name, c.split()[0]) for c in value.split(",") if c.strip()]
            else:
                found.append((element.tag, name, value))
    return found


def css_urls(page: Page) -> list[str]:
    styles = [element.attrs.get("style", "") for element in page.elements]
    styles += [element.text for element in page.find_all("style")]
    return [match.group(2) for css in styles for match in CSS_URL.finditer(css)]


def is_same_origin(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    if url.startswith("//"):
        return False  # protocol-relative: another host in disguise
    if parts.scheme or parts.netloc:
        return parts.scheme in {"http", "https", "ws", "wss"} and parts.netloc == "testserver"
    return True


def inline_code(page: Page) -> list[str]:
    """Everything the CSP would block: inline scripts, handlers, style attributes and blocks."""
    problems = []
    for element in page.elements:
        is_data = element.attrs.get("type", "") in {"application/json", "application/ld+json"}
        if element.tag == "script" and "src" not in element.attrs and not is_data:
            problems.append(f"inline <script>: {element.text.strip()[:60]!r}")
        if element.tag == "style":
            problems.append("a <style> block")
        if "style" in element.attrs:
            problems.append(f'style="" on <{element.tag}>')
        for name in element.attrs:
            if name.startswith("on"):
                problems.append(f"{name}= handler on <{element.tag}>")
    for _tag, _name, url in urls_in(page, {**FETCHED, **NAVIGATION}):
        if url.lower().startswith("javascript:"):
            problems.append(f"javascript: URL {url!r}")
    return sorted(set(problems))


def html_page(client, path: str) -> Page | None:
    response = client.get(path)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        # Most pages are UTF-8; bbsmenu.html, for 2channel browsers, is Shift_JIS.
        return parse(response.content.decode(response.charset or "utf-8"))
    return None


@pytest.fixture
def reachable_pages(client, db, django_user_model):
    """{path: Page} for every parameterless page (signed out, then signed in for the account
    pages) and every same-site link on the home page."""
    call_command("seed", verbosity=0)
    pages = {}
    for path in parameterless_paths():
        if page := html_page(client, path):
            pages[path] = page
    client.force_login(django_user_model.objects.create_user("sameorigin", password="x" * 20))
    for path in parameterless_paths():
        if path not in pages and path != "/accounts/logout/" and (page := html_page(client, path)):
            pages[f"{path} (signed in)"] = page
    client.logout()
    for _tag, _name, url in urls_in(pages["/"], NAVIGATION):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or parts.path in pages or not parts.path:
            continue
        if not parts.path.startswith(SKIPPED_PREFIXES) and (page := html_page(client, parts.path)):
            pages[parts.path] = page
    return pages


def test_every_page_of_the_site_is_checked(reachable_pages):
    # If this shrinks, pages have stopped rendering and the checks below prove less.
    for path in ["/", "/privacy/", "/support/", "/support/help-now/", "/chat/", "/accounts/login/"]:
        assert path in reachable_pages
    assert any(path.startswith("/night/") for path in reachable_pages), "no board was reached"
    assert "/accounts/email/ (signed in)" in reachable_pages


def test_pages_load_nothing_from_another_origin(reachable_pages):
    offending = {}
    for path, page in reachable_pages.items():
        fetched = [(f"<{tag} {name}>", url) for tag, name, url in urls_in(page, FETCHED)]
        fetched += [("css url()", url) for url in css_urls(page)]
        for where, url in fetched:
            if not is_same_origin(url):
                offending.setdefault(path, []).append(f"{where}: {url}")
    assert offending == {}


def test_links_to_other_sites_pass_nothing_along(reachable_pages):
    offending = {}
    for path, page in reachable_pages.items():
        for element in page.elements:
            href = element.attrs.get("href", "") if element.tag in NAVIGATION else ""
            if not href or is_same_origin(href):
                continue
            rel = set(element.attrs.get("rel", "").split())
            if not {"noopener", "noreferrer"} <= rel:
                offending.setdefault(path, []).append(href)
    assert offending == {}


def test_pages_contain_no_inline_scripts_or_styles(reachable_pages):
    offending = {path: inline_code(page) for path, page in reachable_pages.items()}
    assert {path: problems for path, problems in offending.items() if problems} == {}
