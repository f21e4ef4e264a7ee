"""The raid bench, short: `make bench` runs it for a minute with 300 bot addresses; here for five
seconds with 20 bots and 2 regulars, against a live server on the test database."""

from __future__ import annotations

import pytest

from bench.raid import run
from bench.raid_board import Plan
from bench.raid_http import told_wait
from tests.realtime.servers import asgi_servers

SHORT = Plan(
    seconds=5,
    baseline_seconds=3,
    ipv4_bots=10,
    ipv6_bots=10,
    ipv6_networks=2,
    regulars=2,
    regular_pace=(3.0, 5.0),
    # Room for every raid thread, so the regulars' threads stay live whatever the bots do.
    capacity=300,
    pre_existing=20,
    # Shorter than the regulars' pace, so flood control refuses bots but never a regular.
    flood_interval=2,
)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_short_raid_meets_flood_control_lets_the_regulars_through_and_prints_its_table(
    tmp_path,
):
    lines: list[str] = []
    with asgi_servers(1, tmp_path, TRUSTED_PROXY_COUNT="1") as (base,):
        result = run(base, SHORT, report=lines.append)
    table = "\n".join(lines)

    assert result.bot_waits >= 1, table
    assert sum(t.threads_posted for t in result.tallies.values()) >= 1, table
    attempts = result.attempts(during_raid=False) + result.attempts(during_raid=True)
    assert result.attempts(during_raid=True), table
    assert all(attempt.accepted for attempt in attempts), table
    for label in (
        "raid threads tried",
        "raid threads created (stored",
        "raid threads visible to readers without review",
        "pre-existing threads pushed to the archive",
        "regular posts accepted",
        "regular posts' added wait p50 / p99",
        "done when (issue 12):",
    ):
        assert label in table
    assert table.count("PASS") + table.count("FAIL") == 4, table


@pytest.mark.parametrize(
    ("page", "seconds"),
    [
        ('<ul class="errors"><li>書き込みの間隔が短すぎます。９秒ほど待ってから</li></ul>', 9),
        ('<ul class="errors"><li>You can start another in 57 minutes.</li></ul>', 57 * 60),
        ("<b>ERROR: Samba24:Caution 10 秒たたないと書けません。<br>Please wait ６ seconds</b>", 6),
        ("<b>ERROR: Samba24:Caution 10 秒たたないと書けません。</b>", 10),
        ("<p>Your post is held. Send it again in 30 seconds.</p>", 30),
        ("<p>30秒後にもう一度送ってください</p>", 30),
        ("<p>Trying to move it by 15 minutes a day.</p><b>名無し</b>", None),
    ],
)
def test_a_bot_waits_the_time_a_page_names_and_takes_no_other_number_for_it(page, seconds):
    assert told_wait(page) == seconds
