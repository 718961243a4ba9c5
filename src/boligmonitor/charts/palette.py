"""The fixed colour of each designation, ordered by severity.

An area on several lists is drawn in the colour of the most severe one; an area on none is grey.
The colour belongs to the designation id, never to the order of labels on a page, so it is the
same in Danish and English, in every list year and in the reports. Severity follows the legal
consequences: omdannelsesområder (§ 61 a, stk. 4: udviklingsplan, § 168 a) and hårde
ghettoområder above parallelsamfund/ghettoområder, above udsatte boligområder (§ 61 a), above
forebyggelsesområder (§ 61 b) and the kombineret udlejning list (§ 51 b).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "DESIGNATION_COLOURS",
    "NONE_COLOUR",
    "UNKNOWN_COLOUR",
    "designation_colour",
    "leading_designation",
    "severity_order",
]

#: Designation id → colour, most severe first (the order is the severity).
DESIGNATION_COLOURS: dict[str, str] = {
    "omdannelsesomraade": "#67001f",
    "haardt_ghettoomraade": "#67001f",
    "parallelsamfund": "#b2182b",
    "ghettoomraade": "#b2182b",
    "udsat_boligomraade": "#e66101",
    "forebyggelsesomraade": "#e0a800",
    "kombineret_udlejning": "#5e3c99",
    "udsat_byomraade": "#d6604d",
}
#: Areas on no list.
NONE_COLOUR = "#c7cdd4"
#: Designation ids a rule set does not know (drawn, never hidden).
UNKNOWN_COLOUR = "#3b4d61"


def severity_order(designation_ids: Iterable[str]) -> list[str]:
    """The ids most severe first; ids without a fixed colour last, in their given order."""
    ids = list(dict.fromkeys(designation_ids))
    rank = {d: i for i, d in enumerate(DESIGNATION_COLOURS)}
    return sorted(ids, key=lambda d: rank.get(d, len(rank)))


def leading_designation(designation_ids: Iterable[str]) -> str | None:
    """The most severe designation an area holds, or ``None`` when it holds none."""
    ordered = severity_order(designation_ids)
    return ordered[0] if ordered else None


def designation_colour(designation_id: str | None) -> str:
    """The fixed colour of a designation (grey for ``None``: on no list).

    Examples
    --------
    >>> designation_colour("udsat_boligomraade"), designation_colour(None)
    ('#e66101', '#c7cdd4')
    """
    if designation_id is None:
        return NONE_COLOUR
    return DESIGNATION_COLOURS.get(designation_id, UNKNOWN_COLOUR)
