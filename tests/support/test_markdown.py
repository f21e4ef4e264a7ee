"""Article bodies are Markdown written by moderators; whatever they contain renders inert."""

from html.parser import HTMLParser

import pytest

from support.markdown import plain_text, render_markdown

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<img src="x" onerror="alert(1)">',
    "![pic](https://evil.example/track.png)",
    '![pic](x" onerror="alert(1))',
    "<iframe src='https://evil.example/'></iframe>",
    "<style>body { display: none }</style>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<p onmouseover="alert(1)">hover</p>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data='evil.swf'></object><embed src='evil.swf'>",
    "<form action='https://evil.example'><input name=x></form>",
    "<meta http-equiv='refresh' content='0;url=https://evil.example'>",
    "<base href='https://evil.example/'>",
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<!-- <script>alert(1)</script> -->",
    "<img src=x onerror=alert(1)//",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "details", "dl", "dt", "em", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "ruby", "rp", "rt", "strong",
    "summary", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "title", "rel", "start", "align"}


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def assert_inert(html):
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        assert set(attrs) <= SAFE_ATTRIBUTES, f"{attrs} survived in {html!r}"
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("https:", "http:", "mailto:", "tel:", "/", "#")), href


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_article_markdown_renders_xss_payloads_inert(payload):
    html = render_markdown(f"Before\n\n{payload}\n\nAfter")
    assert_inert(html)
    assert "Before" in html


def test_the_whole_corpus_in_one_body_renders_inert():
    assert_inert(render_markdown("\n\n".join(XSS_CORPUS)))


def test_text_after_a_closed_payload_is_kept():
    assert "After" in render_markdown("<script>alert(1)</script>\n\nAfter")


def test_ordinary_markdown_survives_sanitising():
    html = render_markdown(
        "## Heading\n\nSome **bold** and *soft* words.\n\n- one\n- two\n\n> a quote\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    for tag in ("<h2>", "<strong>", "<em>", "<ul>", "<li>", "<blockquote>", "<table>", "<td>"):
        assert tag in html


def test_links_get_nofollow_noopener_noreferrer():
    html = render_markdown("[KHJ](https://www.khj-h.com/) and [call](tel:0120279338)")
    assert html.count('rel="nofollow noopener noreferrer"') == 2
    assert 'href="https://www.khj-h.com/"' in html
    assert 'href="tel:0120279338"' in html


def test_images_are_dropped_even_from_our_own_origin():
    html = render_markdown("![a](/static/favicon.svg) ![b](https://elsewhere.example/b.png)")
    assert "<img" not in html


def test_plain_text_keeps_words_and_drops_markup():
    text = plain_text(
        "## Title\n\nOne **two**\n\n- three\n- four &amp; five\n\n<script>x()</script>"
    )
    assert text == "Title One two three four & five"
