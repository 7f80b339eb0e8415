"""Nudges before an attendee's next shortlisted session.

- `bot.nudges.planner`: which nudges each attendee should get and when (pure, no I/O);
- `bot.nudges.outbox`: the durable outbox they wait in until a dispatcher claims, sends and marks
  them (memory, SQLite and PostgreSQL backends, opened by `open_outbox(url)`).
"""

from bot.nudges.outbox import (
    ClaimedNudge,
    NudgeRecord,
    NudgeStatus,
    Outbox,
    OutboxClosedError,
    open_outbox,
)
from bot.nudges.planner import (
    DEFAULT_LEAD,
    DEFAULT_SPREAD_RATE,
    NudgeSettings,
    PlannedNudge,
    cohort_position,
    cohort_sizes,
    nudge_key,
    plan_for,
    spread,
)

__all__ = [
    "DEFAULT_LEAD",
    "DEFAULT_SPREAD_RATE",
    "ClaimedNudge",
    "NudgeRecord",
    "NudgeSettings",
    "NudgeStatus",
    "Outbox",
    "OutboxClosedError",
    "PlannedNudge",
    "cohort_position",
    "cohort_sizes",
    "nudge_key",
    "open_outbox",
    "plan_for",
    "spread",
]
