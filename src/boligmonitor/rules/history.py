"""Published list history: which areas were on which list in earlier years, and how we know.

A consecutive-year designation (hårdt ghettoområde, omdannelsesområde: Almenboligloven § 61 a,
stk. 4-5) looks back five list years. Where a published membership exists for a past year it
decides, whatever the user's statistics would compute; where a list is known to be complete
(the record holds as many members as the ministry stated) an area missing from it was not on
it; a year with neither a published nor a computed result stays unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["ListHistory", "Membership"]


@dataclass(frozen=True)
class Membership:
    """One area's membership of one list in one year.

    Attributes
    ----------
    held
        Whether the area was on the list.
    origin
        ``published`` (named by a source), ``derived`` (inferred; never shown as published) or
        ``file`` (the user's history file).
    source
        Where it comes from: a source address or the user's file name.
    """

    area_id: str
    year: int
    designation: str
    held: bool
    origin: str
    source: str


@dataclass
class ListHistory:
    """Memberships by area and year, and the lists known to be complete.

    Parameters
    ----------
    memberships
        Every known membership (``held`` false rows say an area was not on a list).
    complete
        ``(year, designation) -> source`` for lists whose every member is known.
    """

    memberships: Iterable[Membership] = ()
    complete: dict[tuple[int, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.memberships = tuple(self.memberships)
        self._index: dict[tuple[str, int], dict[str, Membership]] = {}
        for m in self.memberships:
            self._index.setdefault((m.area_id, m.year), {})[m.designation] = m

    def years(self) -> list[int]:
        """The years the history knows about."""
        return sorted({y for _, y in self._index} | {y for y, _ in self.complete})

    def lookup(self, area_id: str, year: int, designations: Sequence[str]) -> Membership | None:
        """Whether the area held one of ``designations`` in ``year``, as published.

        Returns
        -------
        Membership or None
            A held membership if any; else a not-held one when a membership says so or a
            complete list lacks the area; ``None`` when the history does not know.
        """
        known = self._index.get((area_id, year), {})
        for designation in designations:
            found = known.get(designation)
            if found is not None and found.held:
                return found
        for designation in designations:
            found = known.get(designation)
            if found is not None:
                return found
            source = self.complete.get((year, designation))
            if source is not None:
                return Membership(area_id, year, designation, False, "published", source)
        return None
