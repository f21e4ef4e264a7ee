"""Both themes meet WCAG AA (4.5:1) for the text people press and read most: primary buttons,
body text, links, muted text and search highlights, computed from the stylesheet itself."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "yoake.css").read_text()

PAIRS = [
    ("--on-accent", "--accent"),  # primary buttons
    ("--text", "--bg"),
    ("--text", "--surface"),
    ("--muted", "--surface"),
    ("--link", "--surface"),
    ("--mark-text", "--mark-bg"),  # search highlights
    ("--help-text", "--help-bg"),
]


def theme(name: str) -> dict[str, str]:
    block = re.search(r'\[data-theme="' + name + r'"\]\s*\{(.*?)\}', CSS, re.S).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", block))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", ["night", "day"])
@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_on_its_background_reaches_four_and_a_half_to_one(name, text, background):
    colours = theme(name)
    assert contrast(colours[text], colours[background]) >= 4.5, (name, text, background)


def test_primary_buttons_take_their_text_colour_from_the_theme():
    assert "color: #1b1204" not in CSS
    assert re.search(r"button\.primary \{[^}]*color: var\(--on-accent\)", CSS)
