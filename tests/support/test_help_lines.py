"""Help lines: open now from their hours, grouped by country, the reader's country first."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import translation

from support import views
from support.helplines import display_phone, lines_for, short_list
from support.models import HelpLine, validate_hours

TOKYO = ZoneInfo("Asia/Tokyo")
# A Tuesday.
NIGHT_IN_JAPAN = datetime(2026, 3, 10, 23, 0, tzinfo=TOKYO)
NOON_IN_JAPAN = datetime(2026, 3, 10, 12, 0, tzinfo=TOKYO)


def test_a_24_7_line_is_always_open(make_help_line):
    line = make_help_line(hours="24/7")
    assert line.is_open_at(NIGHT_IN_JAPAN)
    assert line.is_open_at(NOON_IN_JAPAN)


def test_a_line_is_open_inside_its_window_and_closed_at_its_end(make_help_line):
    line = make_help_line(hours=[{"days": [0, 1, 2, 3, 4, 5, 6], "start": "10:00", "end": "22:00"}])
    assert line.is_open_at(datetime(2026, 3, 10, 10, 0, tzinfo=TOKYO))
    assert line.is_open_at(datetime(2026, 3, 10, 21, 59, tzinfo=TOKYO))
    assert not line.is_open_at(datetime(2026, 3, 10, 22, 0, tzinfo=TOKYO))
    assert not line.is_open_at(datetime(2026, 3, 10, 9, 59, tzinfo=TOKYO))


def test_hours_are_read_on_the_lines_own_clock(make_help_line):
    line = make_help_line(hours=[{"days": [1], "start": "10:00", "end": "22:00"}])
    # 03:00 UTC on Tuesday is 12:00 in Tokyo.
    assert line.is_open_at(datetime(2026, 3, 10, 3, 0, tzinfo=ZoneInfo("UTC")))
    # 20:00 in London on Tuesday is 05:00 on Wednesday in Tokyo.
    assert not line.is_open_at(datetime(2026, 3, 10, 20, 0, tzinfo=ZoneInfo("Europe/London")))


def test_weekday_windows_are_closed_at_the_weekend(make_help_line):
    line = make_help_line(hours=[{"days": [0, 1, 2, 3, 4], "start": "18:30", "end": "22:30"}])
    assert line.is_open_at(datetime(2026, 3, 13, 19, 0, tzinfo=TOKYO))  # Friday
    assert not line.is_open_at(datetime(2026, 3, 14, 19, 0, tzinfo=TOKYO))  # Saturday


def test_a_window_past_midnight_stays_open_into_the_next_day(make_help_line):
    line = make_help_line(hours=[{"days": [4], "start": "22:00", "end": "06:00"}])  # Fri night
    assert line.is_open_at(datetime(2026, 3, 13, 23, 0, tzinfo=TOKYO))
    assert line.is_open_at(datetime(2026, 3, 14, 5, 59, tzinfo=TOKYO))
    assert not line.is_open_at(datetime(2026, 3, 14, 6, 0, tzinfo=TOKYO))
    assert not line.is_open_at(datetime(2026, 3, 12, 23, 0, tzinfo=TOKYO))  # Thursday


def test_a_window_until_24_00_closes_at_midnight(make_help_line):
    line = make_help_line(hours=[{"days": [1], "start": "20:00", "end": "24:00"}])
    assert line.is_open_at(datetime(2026, 3, 10, 23, 59, tzinfo=TOKYO))
    assert not line.is_open_at(datetime(2026, 3, 11, 0, 0, tzinfo=TOKYO))


def test_unknown_hours_never_claim_to_be_open(make_help_line):
    line = make_help_line(hours=[])
    assert not line.is_open_at(NOON_IN_JAPAN)
    assert not line.has_known_hours


@pytest.mark.parametrize(
    "hours",
    [
        "always",
        [{"days": [7], "start": "10:00", "end": "12:00"}],
        [{"days": [1], "start": "25:00", "end": "26:00"}],
        [{"days": [1], "start": "10:00"}],
        [{"days": [], "start": "10:00", "end": "12:00"}],
        [{"days": [1], "start": "24:00", "end": "02:00"}],
    ],
)
def test_malformed_hours_are_rejected(hours):
    with pytest.raises(ValidationError):
        validate_hours(hours)


def _names(group):
    return [line.name_en for line in group.lines]


def test_japan_comes_first_for_japan_and_international_directories_last(seeded):
    groups = lines_for("JP", NIGHT_IN_JAPAN)
    codes = [group.code for group in groups]
    assert codes[0] == "JP"
    assert codes[-1] == "INTL"
    assert groups[0].is_readers


def test_the_uk_comes_first_for_a_reader_in_london(seeded):
    codes = [group.code for group in lines_for("GB", NIGHT_IN_JAPAN)]
    assert codes[0] == "GB"
    assert codes[1] == "JP"
    assert codes[-1] == "INTL"


def test_emergency_numbers_head_every_country(seeded):
    for group in lines_for("JP", NOON_IN_JAPAN):
        kinds = [line.kind for line in group.lines]
        emergencies = kinds.count("emergency")
        assert kinds[:emergencies] == ["emergency"] * emergencies, group.code


def test_at_23_00_in_japan_yorisoi_is_open_and_inochi_no_denwa_is_closed(seeded):
    japan = lines_for("JP", NIGHT_IN_JAPAN)[0]
    state = {line.name_en: line.open_now for line in japan.lines}
    assert state["Yorisoi Hotline"] is True
    assert state["Inochi no Denwa (navi-dial)"] is False
    assert state["Inochi no Denwa (free-dial)"] is False
    assert state["TELL Lifeline"] is False
    assert state["Police (110)"] is True


def test_at_noon_in_japan_inochi_no_denwa_and_tell_are_open(seeded):
    japan = lines_for("JP", NOON_IN_JAPAN)[0]
    state = {line.name_en: line.open_now for line in japan.lines}
    assert state["Inochi no Denwa (navi-dial)"] is True
    assert state["TELL Lifeline"] is True
    assert state["Yorisoi Hotline"] is True


def test_open_crisis_lines_come_before_closed_ones(seeded):
    japan = lines_for("JP", NIGHT_IN_JAPAN)[0]
    crisis = [line for line in japan.lines if line.kind == "crisis_line"]
    opened = [line.open_now for line in crisis]
    assert opened == sorted(opened, reverse=True)


def test_lines_for_takes_one_query(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        lines_for("JP", NIGHT_IN_JAPAN)


def test_short_list_has_at_most_three_lines_with_emergency_first(seeded):
    lines = short_list("JP", NIGHT_IN_JAPAN)
    assert 1 <= len(lines) <= 3
    kinds = [line.kind for line in lines]
    assert kinds[0] == "emergency"
    assert kinds == sorted(kinds, key=lambda kind: kind != "emergency")


def test_short_list_at_night_in_japan_still_offers_a_line_that_is_open(seeded):
    lines = short_list("JP", NIGHT_IN_JAPAN)
    talk = [line for line in lines if line.kind == "crisis_line"]
    assert [line.name_en for line in talk] == ["Yorisoi Hotline"]
    assert all(line.open_now for line in lines)


def test_short_list_leaves_out_closed_and_unconfirmed_lines(seeded):
    for now in (NIGHT_IN_JAPAN, NOON_IN_JAPAN):
        for line in short_list("JP", now):
            assert line.open_now
            assert not line.unconfirmed


def test_short_list_respects_a_smaller_limit(seeded):
    assert len(short_list("JP", NOON_IN_JAPAN, limit=1)) == 1
    assert short_list("JP", NOON_IN_JAPAN, limit=0) == []


def test_short_list_for_a_country_we_do_not_cover_points_to_the_directory(seeded):
    lines = short_list("INTL", NIGHT_IN_JAPAN)
    assert [line.country for line in lines] == ["INTL"]
    assert lines[0].url


def test_short_list_takes_one_query(seeded, django_assert_num_queries):
    with django_assert_num_queries(1):
        short_list("GB", NIGHT_IN_JAPAN)


def test_phone_numbers_are_grouped_for_reading(make_help_line):
    assert display_phone(make_help_line(country="JP", phone="0120279338")) == "0120-279-338"
    assert display_phone(make_help_line(country="JP", phone="0357740992")) == "03-5774-0992"
    assert display_phone(make_help_line(country="GB", phone="116123")) == "116 123"
    assert display_phone(make_help_line(country="AU", phone="131114")) == "13 11 14"
    assert display_phone(make_help_line(country="JP", phone="#7119")) == "#7119"


def _render_help_now(*, language, now, cookies=None, query=""):
    request = RequestFactory().get(f"/support/help-now/{query}")
    request.COOKIES.update(cookies or {})
    with translation.override(language):
        return views.help_now(request, now=now).content.decode()


def _line_items(html):
    return re.findall(r'<li class="help-line card.*?</li>', html, flags=re.S)


def _marking(html, name):
    item = next(item for item in _line_items(html) if name in item)
    if "Open now" in item or "受付中" in item:
        return "open"
    return "closed"


def test_help_now_page_marks_lines_open_or_closed_at_23_00_japan_time(seeded):
    html = _render_help_now(language="en", now=NIGHT_IN_JAPAN)
    assert _marking(html, "Yorisoi Hotline<") == "open"
    assert _marking(html, "Inochi no Denwa (navi-dial)") == "closed"
    assert _marking(html, "TELL Lifeline") == "closed"


def test_help_now_page_marks_inochi_no_denwa_open_at_noon(seeded):
    html = _render_help_now(language="en", now=NOON_IN_JAPAN)
    assert _marking(html, "Inochi no Denwa (navi-dial)") == "open"
    assert _marking(html, "TELL Lifeline") == "open"


def test_help_now_page_in_japanese_marks_lines_too(seeded):
    html = _render_help_now(language="ja", now=NIGHT_IN_JAPAN)
    assert _marking(html, "よりそいホットライン<") == "open"
    assert _marking(html, "いのちの電話（ナビダイヤル）") == "closed"


def _country_order(html):
    return re.findall(r'<details class="country-group" id="country-(\w+)"', html)


def test_help_now_puts_japan_first_for_a_japanese_reader(seeded):
    order = _country_order(_render_help_now(language="ja", now=NIGHT_IN_JAPAN))
    assert order[0] == "JP"
    assert order[-1] == "INTL"


def test_help_now_puts_japan_first_for_a_browser_in_tokyo(seeded):
    html = _render_help_now(language="en", now=NIGHT_IN_JAPAN, cookies={"yoake_tz": "Asia/Tokyo"})
    assert _country_order(html)[0] == "JP"


def test_help_now_puts_the_uk_first_for_a_browser_in_london(seeded):
    html = _render_help_now(language="en", now=NIGHT_IN_JAPAN, query="?tz=Europe/London")
    order = _country_order(html)
    assert order[0] == "GB"
    assert order[-1] == "INTL"


def test_help_now_lets_the_reader_choose_the_country(seeded):
    html = _render_help_now(language="ja", now=NIGHT_IN_JAPAN, query="?country=AU")
    assert _country_order(html)[0] == "AU"


def test_help_now_links_phone_numbers_with_tel(seeded):
    html = _render_help_now(language="en", now=NIGHT_IN_JAPAN)
    assert 'href="tel:0120279338"' in html
    assert 'href="tel:110"' in html


def test_a_text_only_line_gets_an_sms_link(make_help_line):
    make_help_line(country="GB", name_en="Texting line", phone="85258", text_only=True)
    html = _render_help_now(language="en", now=NIGHT_IN_JAPAN)
    assert 'href="sms:85258"' in html
    assert 'href="tel:85258"' not in html


def test_inactive_lines_are_not_shown(make_help_line):
    make_help_line(name_en="Switched off line", active=False)
    assert "Switched off line" not in _render_help_now(language="en", now=NIGHT_IN_JAPAN)


def test_the_short_partial_renders_the_lines_and_a_link_to_all(seeded):
    from django.template.loader import render_to_string

    with translation.override("en"):
        html = render_to_string(
            "support/_help_short.html", {"help_lines": short_list("JP", NIGHT_IN_JAPAN)}
        )
    assert 'href="tel:119"' in html
    assert 'href="tel:0120279338"' in html
    assert 'href="/support/help-now/"' in html
    assert html.count("<li>") <= 3


def test_help_line_names_follow_the_reader_language(make_help_line):
    line = make_help_line(name_en="Yorisoi Hotline", name_ja="よりそいホットライン")
    with translation.override("ja"):
        assert line.name == "よりそいホットライン"
    with translation.override("en"):
        assert line.name == "Yorisoi Hotline"


def test_admin_lists_help_lines_oldest_verified_first(admin_client, make_help_line):
    from datetime import date

    make_help_line(name_en="Checked recently", last_verified=date(2026, 3, 1))
    make_help_line(name_en="Checked long ago", last_verified=date(2015, 1, 1))
    html = admin_client.get("/admin/support/helpline/").content.decode()
    assert html.index("Checked long ago") < html.index("Checked recently")


def test_every_seeded_help_line_passes_validation(seeded):
    for line in HelpLine.objects.all():
        line.full_clean()


def test_a_number_with_a_hash_is_dialable(make_help_line):
    make_help_line(name_en="Advice line", phone="#7119", kind="emergency")
    html = _render_help_now(language="en", now=NIGHT_IN_JAPAN)
    assert 'href="tel:%237119"' in html
