"""The nudge planner as a plain function: shortlist + catalogue + settings + now -> nudges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.nudges import (
    DEFAULT_SPREAD_RATE,
    NudgeSettings,
    PlannedNudge,
    cohort_position,
    cohort_sizes,
    nudge_key,
    plan_for,
    spread,
)
from catalogue.model import Catalogue, Conference, Session
from catalogue.shortlist import Entry

TORONTO = ZoneInfo("America/Toronto")
CHANNEL, USER = "msteams", "29:alice"
NOW = datetime(2026, 6, 10, 8, 0, tzinfo=TORONTO)
TEN = timedelta(minutes=10)


def session(sid: str, start: datetime, minutes: int = 45, room: str = "Room 202") -> Session:
    return Session(sid, f"Talk {sid}", start, start + timedelta(minutes=minutes), room=room)


def catalogue(*sessions: Session) -> Catalogue:
    return Catalogue(Conference("Hallway Conf", TORONTO), sessions)


def at(hour: int, minute: int = 0, day: int = 10, month: int = 6) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TORONTO)


KEYNOTE = session("keynote", at(9))
CLOUD = session("cloud", at(11, 30))
LUNCH = session("lunch", at(12, 15))
AGENDA = catalogue(KEYNOTE, CLOUD, LUNCH)
SHORTLIST = [Entry.of(KEYNOTE), Entry.of(CLOUD), Entry.of(LUNCH)]


def plan(
    entries: list[Entry] = SHORTLIST,
    agenda: Catalogue = AGENDA,
    settings: NudgeSettings | None = None,
    now: datetime = NOW,
) -> list[PlannedNudge]:
    return plan_for(CHANNEL, USER, entries, agenda, settings or NudgeSettings(), now)


def test_one_nudge_per_shortlisted_session_lead_before_its_start() -> None:
    nudges = plan()
    assert [n.session_id for n in nudges] == ["keynote", "cloud", "lunch"]
    for nudge, source in zip(nudges, (KEYNOTE, CLOUD, LUNCH), strict=True):
        assert (nudge.channel_id, nudge.user_id) == (CHANNEL, USER)
        assert nudge.session_start == source.start
        assert nudge.due_at == source.start - TEN
        assert nudge.session_start.tzinfo is UTC and nudge.due_at.tzinfo is UTC
        start = source.start.astimezone(UTC).isoformat()
        assert nudge.key == f"msteams/29:alice/{source.id}/{start}"
        assert start.endswith("+00:00")


def test_custom_lead_time() -> None:
    nudges = plan(settings=NudgeSettings(lead=timedelta(minutes=15)))
    assert [n.due_at for n in nudges] == [
        s.start - timedelta(minutes=15) for s in (KEYNOTE, CLOUD, LUNCH)
    ]
    assert plan(settings=NudgeSettings(lead=timedelta(0)))[0].due_at == KEYNOTE.start


def test_disabled_plans_nothing() -> None:
    assert plan(settings=NudgeSettings(enabled=False)) == []


def test_muted_nudges_are_skipped_not_delayed() -> None:
    # The cloud nudge is due at 11:20; muted until exactly then it still goes, a minute later not.
    until_cloud = NudgeSettings(muted_until=at(11, 20))
    assert [n.session_id for n in plan(settings=until_cloud)] == ["cloud", "lunch"]
    assert plan(settings=until_cloud)[0].due_at == CLOUD.start - TEN
    past_cloud = NudgeSettings(muted_until=at(11, 21))
    assert [n.session_id for n in plan(settings=past_cloud)] == ["lunch"]
    expired_mute = NudgeSettings(muted_until=at(7))
    assert len(plan(settings=expired_mute)) == 3


def test_cancelled_and_started_sessions_get_none() -> None:
    without_cloud = catalogue(KEYNOTE, LUNCH)
    assert [n.session_id for n in plan(agenda=without_cloud)] == ["keynote", "lunch"]
    assert [n.session_id for n in plan(now=at(9))] == ["cloud", "lunch"]  # starts now: none
    assert [n.session_id for n in plan(now=at(9, 1))] == ["cloud", "lunch"]
    assert plan(now=at(13)) == []


def test_overdue_nudge_of_a_session_not_started_is_still_planned() -> None:
    # Five minutes before the keynote: its nudge was due at 08:50, it is still planned (due at
    # once), so a replan after a restart does not delete what the bot missed while down.
    nudges = plan(now=at(8, 55))
    assert nudges[0].session_id == "keynote"
    assert nudges[0].due_at == at(8, 50)


def test_a_moved_session_gets_a_new_key_and_the_catalogue_time() -> None:
    before = plan()
    moved = session("cloud", at(14))
    after = plan(agenda=catalogue(KEYNOTE, moved, LUNCH))  # the entry still has 11:30
    cloud_before = next(n for n in before if n.session_id == "cloud")
    cloud_after = next(n for n in after if n.session_id == "cloud")
    assert cloud_after.session_start == moved.start
    assert cloud_after.due_at == moved.start - TEN
    assert cloud_after.key != cloud_before.key
    assert {n.key for n in after} - {cloud_after.key} == {n.key for n in before} - {
        cloud_before.key
    }
    # A re-room keeps the key: the nudge is for a version of the start time.
    reroomed = plan(agenda=catalogue(KEYNOTE, session("cloud", at(11, 30), room="Hall B"), LUNCH))
    assert {n.key for n in reroomed} == {n.key for n in before}


def test_same_input_same_plan_and_duplicates_collapse() -> None:
    assert plan() == plan()
    assert plan([*SHORTLIST, Entry.of(CLOUD)]) == plan()


def test_everything_is_tz_aware() -> None:
    naive = datetime(2026, 6, 10, 8, 0)
    with pytest.raises(ValueError, match="tz-aware"):
        plan(now=naive)
    with pytest.raises(ValueError, match="tz-aware"):
        NudgeSettings(muted_until=naive)
    with pytest.raises(ValueError, match="tz-aware"):
        nudge_key(CHANNEL, USER, "x", naive)
    with pytest.raises(ValueError, match="negative"):
        NudgeSettings(lead=timedelta(minutes=-1))
    # The same instant in another zone plans the same nudges.
    assert plan(now=NOW.astimezone(ZoneInfo("Asia/Tokyo"))) == plan()


def test_dst_spring_forward_uses_elapsed_time() -> None:
    # Toronto, 8 March 2026: 02:00 EST jumps to 03:00 EDT.  A session at 03:05 EDT nudged ten
    # minutes before is due at 01:55 EST (06:55 UTC), not at a wall-clock "02:55" that does not
    # exist (which Python would read as 07:55 UTC, after the session starts).
    start = datetime(2026, 3, 8, 3, 5, tzinfo=TORONTO)
    agenda = catalogue(session("early", start))
    [nudge] = plan([Entry.of(agenda.sessions[0])], agenda, now=datetime(2026, 3, 8, tzinfo=TORONTO))
    assert nudge.session_start == datetime(2026, 3, 8, 7, 5, tzinfo=UTC)
    assert nudge.due_at == datetime(2026, 3, 8, 6, 55, tzinfo=UTC)
    assert nudge.due_at.astimezone(TORONTO).strftime("%H:%M %Z") == "01:55 EST"
    assert nudge.session_start - nudge.due_at == TEN


def test_dst_fall_back_keeps_the_two_one_oclocks_apart() -> None:
    # Toronto, 1 November 2026: 02:00 EDT falls back to 01:00 EST; 01:05 happens twice.
    first = datetime(2026, 11, 1, 1, 5, tzinfo=TORONTO)  # EDT, 05:05 UTC
    second = datetime(2026, 11, 1, 1, 5, fold=1, tzinfo=TORONTO)  # EST, 06:05 UTC
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    night = datetime(2026, 11, 1, tzinfo=TORONTO)
    [early] = plan([Entry.of(session("s", first))], catalogue(session("s", first)), now=night)
    [late] = plan([Entry.of(session("s", first))], catalogue(session("s", second)), now=night)
    assert early.due_at == datetime(2026, 11, 1, 4, 55, tzinfo=UTC)
    assert late.due_at == datetime(2026, 11, 1, 5, 55, tzinfo=UTC)
    assert late.due_at.astimezone(TORONTO).strftime("%H:%M %Z") == "01:55 EDT"
    assert early.key != late.key  # the same wall-clock time is a different version


def test_keys_are_unambiguous() -> None:
    start = KEYNOTE.start
    assert nudge_key("a/b", "c", "d", start) != nudge_key("a", "b/c", "d", start)
    assert nudge_key("a%2Fb", "c", "d", start) != nudge_key("a/b", "c", "d", start)
    assert nudge_key("a/b", "c", "d", start).startswith("a%2Fb/c/d/")


def test_planned_nudge_cannot_be_due_after_its_session_starts() -> None:
    with pytest.raises(ValueError, match="after its session starts"):
        PlannedNudge(CHANNEL, USER, "s", KEYNOTE.start, KEYNOTE.start + timedelta(seconds=1))


# -- spreading big cohorts -------------------------------------------------------------------


def test_spread_moves_earlier_by_position_over_rate_never_after_start() -> None:
    due = KEYNOTE.start - TEN
    assert spread(due, KEYNOTE.start, 0, 30) == due
    assert spread(due, KEYNOTE.start, 30, 30) == due - timedelta(seconds=1)
    assert spread(due, KEYNOTE.start, 1, 3) == due - timedelta(microseconds=333_334)
    # A due time after the start is clamped to the start.
    late = KEYNOTE.start + timedelta(minutes=5)
    assert spread(late, KEYNOTE.start, 0, 30) == KEYNOTE.start
    for bad_rate in (0.0, -1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="rate_per_second"):
            spread(due, KEYNOTE.start, 1, bad_rate)
    with pytest.raises(ValueError, match="position"):
        spread(due, KEYNOTE.start, -1, 30)


def test_a_big_cohort_is_spread_before_the_lead_time_deterministically() -> None:
    cohort = 5000
    agenda = catalogue(KEYNOTE)
    entries = [Entry.of(KEYNOTE)]
    window = timedelta(seconds=cohort / DEFAULT_SPREAD_RATE)  # 200 s
    lead_time = KEYNOTE.start - TEN

    def planned(user: str) -> PlannedNudge:
        [nudge] = plan_for(
            CHANNEL, user, entries, agenda, NudgeSettings(), NOW, cohorts={"keynote": cohort}
        )
        return nudge

    nudges = [planned(f"29:user-{i}") for i in range(cohort)]
    assert all(lead_time - window <= n.due_at <= lead_time for n in nudges)
    assert all(n.due_at < n.session_start for n in nudges)
    assert [planned(f"29:user-{i}").due_at for i in range(50)] == [n.due_at for n in nudges[:50]]
    # Evenly spread: each quarter of the window holds about a quarter of the cohort, so a
    # dispatcher sending at the planned rate never falls behind for long.
    quarters = [0, 0, 0, 0]
    for nudge in nudges:
        quarters[min(3, int((lead_time - nudge.due_at) / window * 4))] += 1
    assert all(abs(q - cohort / 4) < cohort * 0.05 for q in quarters), quarters
    # Positions in the cohort follow the key's hash.
    assert cohort_position(nudges[0].key, cohort) == cohort_position(nudges[0].key, cohort)
    assert cohort_position(nudges[0].key, 1) == 0
    assert len({cohort_position(n.key, cohort) for n in nudges}) > cohort * 0.6


def test_small_cohorts_and_other_sessions_are_not_moved() -> None:
    nudges = plan_for(
        CHANNEL, USER, SHORTLIST, AGENDA, NudgeSettings(), NOW, cohorts={"keynote": 1}
    )
    assert nudges == plan()


def test_spread_does_not_push_a_nudge_into_a_mute() -> None:
    settings = NudgeSettings(muted_until=KEYNOTE.start - TEN)
    for i in range(200):
        [nudge] = plan_for(
            CHANNEL,
            f"29:user-{i}",
            [Entry.of(KEYNOTE)],
            catalogue(KEYNOTE),
            settings,
            NOW,
            cohorts={"keynote": 10_000},
        )
        assert nudge.due_at == KEYNOTE.start - TEN


def test_cohort_sizes_add_up_sessions_starting_together() -> None:
    parallel = session("parallel", at(9), room="Hall B")
    agenda = catalogue(KEYNOTE, parallel, CLOUD)
    sizes = cohort_sizes({"keynote": 3000, "parallel": 500, "cloud": 40, "gone": 9}, agenda)
    assert sizes == {"keynote": 3500, "parallel": 3500, "cloud": 40}
