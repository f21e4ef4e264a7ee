"""Yoake on a phone's home screen: the manifest and its icons, and the service worker that keeps
help-now (and only help-now) for when there is no network."""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.config.markup import parse

pytestmark = pytest.mark.django_db
CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "yoake.css").read_text()


def night(variable: str) -> str:
    block = re.search(r'\[data-theme="night"\]\s*\{(.*?)\}', CSS, re.S).group(1)
    return re.search(rf"{variable}:\s*(#[0-9a-fA-F]{{6}})", block).group(1)


def static_file(url: str) -> Path:
    found = finders.find(url.removeprefix("/static/"))
    assert found, f"{url} is not a static file"
    return Path(found)


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def manifest(client, **headers) -> dict:
    response = client.get("/manifest.webmanifest", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def test_the_manifest_names_yoake_and_starts_at_home_standalone(client):
    data = manifest(client)
    assert data["name"] == "Yoake 夜明け"
    assert data["short_name"] == "Yoake"
    assert data["start_url"] == "/"
    assert data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["lang"] == "en"
    assert {"name": "Need help now?", "url": "/support/help-now/"} in data["shortcuts"]


def test_the_manifest_is_in_japanese_for_a_japanese_phone(client):
    data = manifest(client, HTTP_ACCEPT_LANGUAGE="ja")
    assert data["name"] == "夜明け"
    assert data["lang"] == "ja"
    assert data["shortcuts"][0]["name"] == "いま助けが必要ですか？"


def test_the_manifest_colours_are_the_night_themes(client):
    data = manifest(client)
    assert data["theme_color"] == night("--surface")
    assert data["background_color"] == night("--bg")


def test_the_manifest_icons_exist_at_their_sizes_with_a_maskable_one(client):
    icons = manifest(client)["icons"]
    for icon in icons:
        path = static_file(icon["src"])
        if icon["type"] == "image/png":
            width, height = (int(n) for n in icon["sizes"].split("x"))
            assert png_size(path) == (width, height)
        else:
            assert icon["type"] == "image/svg+xml" and path.read_text().startswith("<svg")
    pngs = {(i["sizes"], i["purpose"]) for i in icons if i["type"] == "image/png"}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= pngs


def test_every_page_links_the_manifest_and_registers_the_worker(client):
    page = parse(client.get("/").content.decode())
    links = {(e.attrs.get("rel"), e.attrs.get("href")) for e in page.find_all("link")}
    assert ("manifest", "/manifest.webmanifest") in links
    scripts = [e.attrs for e in page.find_all("script")]
    assert {"type": "module", "src": "/static/js/offline.js"} in scripts
    assert "/sw.js" in static_file("/static/js/offline.js").read_text()


def kept_by_the_worker(client) -> dict:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    source = response.content.decode()
    return json.loads(re.search(r"^const KEPT = (\{.*\});$", source, re.M).group(1))


def test_the_worker_sits_at_the_root_so_it_may_answer_for_help_now(client):
    assert reverse("service_worker") == "/sw.js"
    assert client.get("/sw.js")["Service-Worker-Allowed"] == "/"


def test_the_worker_keeps_help_now_and_its_stylesheets_and_nothing_else(client):
    kept = kept_by_the_worker(client)
    assert set(kept) == {"page", "assets", "version"}
    assert kept["page"] == reverse("support:help_now") == "/support/help-now/"
    help_now = parse(client.get(kept["page"]).content.decode())
    stylesheets = {
        e.attrs["href"] for e in help_now.find_all("link") if e.attrs.get("rel") == "stylesheet"
    }
    assert stylesheets and set(kept["assets"]) == stylesheets
    assert all(url.endswith(".css") for url in kept["assets"])


def test_the_worker_and_the_manifest_answer_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/sw.js").status_code == 200
        assert client.get("/manifest.webmanifest").status_code == 200


def test_the_content_security_policy_lets_the_worker_run_from_this_site(client):
    policy = client.get("/sw.js")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    # worker-src falls back to script-src, then default-src: both must allow this site.
    allowed = directives.get("worker-src") or directives.get("script-src")
    assert "'self'" in allowed
