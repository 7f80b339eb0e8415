"""What changed between two versions of an agenda, for the people whose sessions moved."""

from __future__ import annotations

from dataclasses import dataclass

from catalogue.model import Catalogue, Session


@dataclass(frozen=True, slots=True)
class Change:
    before: Session
    after: Session


@dataclass(frozen=True, slots=True)
class CatalogueDiff:
    added: tuple[Session, ...] = ()
    removed: tuple[Session, ...] = ()
    moved_time: tuple[Change, ...] = ()
    moved_room: tuple[Change, ...] = ()
    retitled: tuple[Change, ...] = ()

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.removed or self.moved_time or self.moved_room or self.retitled
        )

    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "moved_time": len(self.moved_time),
            "moved_room": len(self.moved_room),
            "retitled": len(self.retitled),
        }


def diff(old: Catalogue, new: Catalogue) -> CatalogueDiff:
    """Sessions are matched by id; a session may appear in several change lists."""
    added = tuple(s for s in new.sessions if old.get(s.id) is None)
    removed = tuple(s for s in old.sessions if new.get(s.id) is None)
    pairs = [(before, after) for after in new.sessions if (before := old.get(after.id))]
    return CatalogueDiff(
        added=added,
        removed=removed,
        moved_time=tuple(Change(b, a) for b, a in pairs if (b.start, b.end) != (a.start, a.end)),
        moved_room=tuple(Change(b, a) for b, a in pairs if b.room != a.room),
        retitled=tuple(Change(b, a) for b, a in pairs if b.title != a.title),
    )
