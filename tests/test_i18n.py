"""Danish-first number formatting: exact outputs, and the parsed locale and pattern reused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import Locale, numbers

from boligmonitor.i18n import Language, fmt_number, fmt_pct, fmt_pp


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234.5, 1, "da", "1.234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (11.85, 1, "da", "11,9"),  # half up, as the published tables round (half-even: 11,8)
        (0.125, 2, "da", "0,13"),  # half-even would give 0,12
        (2.5, 0, "da", "3"),  # half-even would give 2
        (-1234.55, 1, "da", "-1.234,6"),  # half away from zero
        (1234567.891, 2, "da", "1.234.567,89"),
        (1234567.891, 2, "en", "1,234,567.89"),
        (10_000_000, 0, "en", "10,000,000"),
        (3, 2, "da", "3,00"),
        (Decimal("69.55"), 1, "da", "69,6"),
        (None, 1, "da", "–"),
        (None, 0, "en", "–"),
    ],
)
def test_fmt_number_outputs(
    value: float | int | Decimal | None, decimals: int, lang: Language, expected: str
) -> None:
    assert fmt_number(value, decimals, lang) == expected


def test_percentages_and_points_use_the_same_rounding() -> None:
    assert fmt_pct(69.55) == "69,6 %"
    assert fmt_pct(None) == "–"
    assert fmt_pp(1.25, 1, "en") == "1.3 pp"
    assert fmt_pp(-2.35, 1, "da") == "-2,4 procentpoint"


def test_locale_and_pattern_are_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Formatting reuses the parsed locale and pattern (Babel's parsing dominated the cost)."""
    fmt_number(1.0, 3, "en")  # parse and cache

    parse_locale = Locale.parse

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pattern parsed again")

    def parsed_only(identifier: object, *args: object, **kwargs: object) -> object:
        # Babel passes a parsed Locale through Locale.parse, which returns it as it is.
        assert isinstance(identifier, Locale), f"locale {identifier!r} parsed again"
        return parse_locale(identifier, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(numbers, "parse_pattern", refuse)  # i18n imports Babel on first use
    monkeypatch.setattr(Locale, "parse", parsed_only)
    assert [fmt_number(x, 3, "en") for x in (1.0, 2222.0005, -1234.5678)] == [
        "1.000",
        "2,222.001",
        "-1,234.568",
    ]
