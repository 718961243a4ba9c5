"""Municipal budget notes: totals by budget type and year, recomputed and checked.

A budget note (budgetnotat) states amounts by municipal budget type (anlæg, service) and year.
Its total rows are recomputed from the lines, never copied; total rows printed in the source are
compared with the recomputed ones and every mismatch is reported. Seed
``001_de2ba99353aea5a3`` (TM021, budget 2026) prints "Serviceudgifter i alt" as 2.282 / 3.734 /
3.734 / 3.734 = 12.544, which are the totals of *all* expenses; the service lines sum to 182 /
1.654 / 1.654 / 1.654 = 5.144.

A line that ``includes_risk_margin`` holds the note's risk margin (5 % in TM021) on top of the
expected amount: amount = base × (1 + margin); the margin part is reported separately.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from boligmonitor.errors import InputError
from boligmonitor.finance.allocation import (
    ORE_PER_THOUSAND,
    format_thousand,
    largest_remainder,
    ore_to_thousand,
    thousand_to_ore,
)
from boligmonitor.finance.model import BudgetNote, BudgetType, PlanCatalogue, PublishedTotal
from boligmonitor.i18n import N_, Language, fmt_number, translate

__all__ = [
    "BUDGET_TYPES",
    "BudgetNoteSummary",
    "Inconsistency",
    "budget_type_heading",
    "summarise_budget_note",
]

BUDGET_TYPES: tuple[BudgetType, ...] = ("anlæg", "service")
#: The msgid of each budget type's heading (Anlægsudgifter, Serviceudgifter).
_TYPE_HEADINGS: dict[BudgetType, str] = {
    "anlæg": N_("Capital expenses"),
    "service": N_("Operating expenses"),
}


def budget_type_heading(budget_type: BudgetType, lang: Language = "da") -> str:
    """A budget type's heading as a budget note prints it: *Anlægsudgifter*, *Serviceudgifter*."""
    return translate(_TYPE_HEADINGS[budget_type], lang)


@dataclass(frozen=True)
class Inconsistency:
    """A total row printed in the source that differs from the sum of its lines (øre)."""

    label: str
    budget_type: BudgetType | None
    printed: dict[int, int]
    printed_total: int
    computed: dict[int, int]
    repeats_overall: bool

    def text(self, lang: Language = "da") -> str:
        """The finding in words, figures in the language's number format."""
        printed = _row(self.printed, self.printed_total, lang)
        computed = _row(self.computed, sum(self.computed.values()), lang)
        scope = self.budget_type or translate("all budget types", lang)
        parts = [
            translate(
                "'{label}' in the source: {printed}; the lines ({scope}) give {computed}",
                lang,
                label=self.label,
                printed=printed,
                scope=scope,
                computed=computed,
            )
        ]
        if sum(self.printed.values()) != self.printed_total:
            years_sum = _figure(sum(self.printed.values()), lang)
            parts.append(translate("the source's own years sum to {sum}", lang, sum=years_sum))
        if self.repeats_overall:
            parts.append(translate("the row repeats the source's total of all expenses", lang))
        return "; ".join(parts)

    def as_record(self) -> dict[str, object]:
        """JSON shape."""
        return {
            "label": self.label,
            "budget_type": self.budget_type,
            "printed": _by_year(self.printed),
            "printed_total": _text(self.printed_total),
            "printed_years_sum": _text(sum(self.printed.values())),
            "computed": _by_year(self.computed),
            "computed_total": _text(sum(self.computed.values())),
            "repeats_overall_total": self.repeats_overall,
            "text_da": self.text("da"),
            "text_en": self.text("en"),
        }


@dataclass(frozen=True)
class BudgetNoteSummary:
    """A budget note's lines and recomputed totals (øre), with the source's inconsistencies."""

    note: BudgetNote
    years: list[int]
    lines: list[dict[int, int]]
    risk_margins: list[dict[int, int]]
    inconsistencies: list[Inconsistency]

    def subtotal(self, budget_type: BudgetType | None) -> dict[int, int]:
        """Totals per year of one budget type (``None``: all lines)."""
        totals = dict.fromkeys(self.years, 0)
        for line, amounts in zip(self.note.lines, self.lines, strict=True):
            if budget_type is None or line.budget_type == budget_type:
                for year, amount in amounts.items():
                    totals[year] += amount
        return totals

    def as_record(self) -> dict[str, object]:
        """JSON shape: thousand kr. as decimal strings (exact to the øre)."""
        return {
            "budget_note": self.note.id,
            "title": self.note.title,
            "price_level": self.note.price_level,
            "unit": "1000 DKK",
            "years": self.years,
            "plans": self.note.plans,
            "risk_margin": str(self.note.risk_margin),
            "lines": [
                {
                    "label": line.label,
                    "budget_type": line.budget_type,
                    "amounts": _by_year(amounts),
                    "total": _text(sum(amounts.values())),
                    "risk_margin": _by_year(margin) if line.includes_risk_margin else None,
                }
                for line, amounts, margin in zip(
                    self.note.lines, self.lines, self.risk_margins, strict=True
                )
            ],
            "totals": [
                {
                    "budget_type": kind,
                    "amounts": _by_year(self.subtotal(kind)),
                    "total": _text(sum(self.subtotal(kind).values())),
                }
                for kind in (*BUDGET_TYPES, None)
            ],
            "inconsistencies": [i.as_record() for i in self.inconsistencies],
        }


def _text(ore: int) -> str:
    return format_thousand(ore, 5).rstrip("0").rstrip(".")


def _by_year(amounts: dict[int, int]) -> dict[str, str]:
    return {str(year): _text(amount) for year, amount in sorted(amounts.items())}


def summarise_budget_note(catalogue: PlanCatalogue, note_id: str) -> BudgetNoteSummary:
    """Recompute a budget note's totals and check the totals printed in the source.

    Raises
    ------
    InputError
        When the catalogue has no budget note with that id.
    """
    note = next((n for n in catalogue.budget_notes if n.id == note_id), None)
    if note is None:
        known = ", ".join(n.id for n in catalogue.budget_notes) or "none"
        raise InputError.single(
            catalogue.source,
            "unknown budget note '{note_id}'; known: {known}",
            note_id=note_id,
            known=known,
        )
    years = sorted({year for line in note.lines for year in line.amounts})
    lines = [
        {year: thousand_to_ore(line.amounts.get(year, ore_to_thousand(0))) for year in years}
        for line in note.lines
    ]
    margins = [
        _risk_margin(amounts, Fraction(note.risk_margin) if line.includes_risk_margin else None)
        for line, amounts in zip(note.lines, lines, strict=True)
    ]
    summary = BudgetNoteSummary(note, years, lines, margins, [])
    overall = [_printed(t) for t in note.published_totals if t.budget_type is None]
    overall.append(summary.subtotal(None))
    problems = [
        p for total in note.published_totals for p in _check_published(summary, total, overall)
    ]
    return BudgetNoteSummary(note, years, lines, margins, problems)


def _risk_margin(amounts: dict[int, int], margin: Fraction | None) -> dict[int, int]:
    """The margin part of amounts that include it: total − total / (1 + margin), by year."""
    if not margin:
        return dict.fromkeys(amounts, 0)
    total = sum(amounts.values())
    part = total - round(Fraction(total) / (1 + margin))
    split = largest_remainder(part, {str(y): a for y, a in amounts.items()})
    return {year: split[str(year)] for year in amounts}


def _check_published(
    summary: BudgetNoteSummary, published: PublishedTotal, overall: list[dict[int, int]]
) -> list[Inconsistency]:
    computed = summary.subtotal(published.budget_type)
    printed = _printed(published)
    printed_total = (
        thousand_to_ore(published.total) if published.total is not None else sum(printed.values())
    )
    if printed == computed and printed_total == sum(computed.values()):
        return []
    repeats = published.budget_type is not None and printed in overall
    return [
        Inconsistency(
            published.label, published.budget_type, printed, printed_total, computed, repeats
        )
    ]


def _printed(published: PublishedTotal) -> dict[int, int]:
    return {year: thousand_to_ore(amount) for year, amount in sorted(published.amounts.items())}


def _figure(ore: int, lang: Language) -> str:
    return fmt_number(ore_to_thousand(ore), 0 if ore % ORE_PER_THOUSAND == 0 else 2, lang)


def _row(amounts: dict[int, int], total: int, lang: Language) -> str:
    figures = " / ".join(_figure(amounts[year], lang) for year in sorted(amounts))
    return f"{figures} = {_figure(total, lang)}"
