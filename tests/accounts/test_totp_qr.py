"""Setting up an authenticator at night: the QR code is dark on a white square with its quiet zone,
whichever theme the page is in, or a phone camera cannot read it."""

import base64
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def setup_page(client, make_user):
    user = make_user()
    client.force_login(user)
    client.cookies["yoake_theme"] = "night"
    # allauth asks for the password again before a new authenticator.
    client.post(
        reverse("account_reauthenticate"),
        {"password": TEST_PASSWORD, "next": reverse("mfa_activate_totp")},
    )
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    return response.content.decode()


def qr_svg(page: str) -> str:
    source = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"[^>]*>', page)
    assert source, "no QR code image on the page"
    return base64.b64decode(source.group(1)).decode()


def test_the_qr_code_is_drawn_on_white(setup_page):
    svg = qr_svg(setup_page)
    # A white rectangle covering the whole image, under the modules.
    assert re.search(r'<rect[^>]*fill="white"[^>]*width="100%"', svg) or re.search(
        r'<rect[^>]*width="100%"[^>]*fill="white"', svg
    )


def test_the_qr_code_keeps_a_quiet_zone_of_four_modules(setup_page):
    svg = qr_svg(setup_page)
    size = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    path = re.search(r'<path[^>]* d="([^"]+)"', svg).group(1)
    xs = [float(x) for x in re.findall(r"M([\d.]+),", path)]
    ys = [float(y) for y in re.findall(r"M[\d.]+,([\d.]+)", path)]
    module = min(b - a for a, b in zip(sorted(set(xs)), sorted(set(xs))[1:], strict=False))
    # The modules start 4 modules in from the edge, on every side (a QR code is square).
    assert min(xs) / module >= 4 and min(ys) / module >= 4
    assert (size - max(xs) - module) / module >= 4 - 1e-6


def test_the_qr_code_has_a_white_frame_in_both_themes(setup_page):
    image = re.search(r'<img src="data:image/svg[^>]*>', setup_page).group(0)
    assert 'class="qr-code"' in image
    css = (ROOT / "static/css/yoake.css").read_text()
    rule = re.search(r"^\.qr-code \{([^}]*)\}", css, re.MULTILINE)
    assert rule, ".qr-code must be a rule of its own, not inside one theme"
    assert "background: #fff" in rule.group(1)
    assert "padding:" in rule.group(1)
