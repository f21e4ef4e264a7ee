"""Bodies are plain text: escaped, with anchors, quotes and links added by Yoake only."""

from forum.text import anchor_numbers, render_body, reply_targets


def test_anchors_link_to_posts_in_the_page():
    html = render_body(">>12 and >>3-5 and >>7,9")
    assert '<a class="anchor" href="#p12" data-anchor="12">&gt;&gt;12</a>' in html
    assert '<a class="anchor" href="#p3" data-anchor="3-5">&gt;&gt;3-5</a>' in html
    assert '<a class="anchor" href="#p7" data-anchor="7,9">&gt;&gt;7,9</a>' in html


def test_full_width_anchors_work_too():
    html = render_body("＞＞１２")
    assert 'href="#p12"' in html


def test_reply_targets_expand_ranges_without_running_away():
    assert reply_targets(">>2 >>4-6, >>8,10") == [2, 4, 5, 6, 8, 10]
    assert len(anchor_numbers("1-1000")) == 50


def test_lines_starting_with_a_quote_mark_are_shown_as_quotes():
    html = render_body("> what you said\nmy answer\n>>3 not a quote")
    lines = html.split("\n")
    assert lines[0] == '<span class="quote">&gt; what you said</span>'
    assert lines[1] == "my answer"
    assert not lines[2].startswith('<span class="quote">')


def test_urls_become_safe_links():
    html = render_body("see https://example.org/a?b=1&c=2. ok")
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer">'
        "https://example.org/a?b=1&amp;c=2</a>." in html
    )


def test_javascript_urls_and_markup_never_become_live():
    html = render_body(
        '<script>alert(1)</script> javascript:alert(1) <img src=x onerror=alert(1)> "'
    )
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_a_url_cannot_break_out_of_its_attribute():
    html = render_body('http://x.org/"onmouseover=alert(1)" http://y.org/<b>')
    assert 'href="http://x.org/"' in html
    assert "onmouseover=alert(1)" not in html.split("</a>")[0].split(">")[0]
    assert "<b>" not in html


def test_spaces_and_line_breaks_are_kept_for_ascii_art():
    art = "  ∧＿∧\n （　´∀｀）  <  hello\n"
    assert render_body(art) == "  ∧＿∧\n （　´∀｀）  &lt;  hello\n"
