"""Co-financing of a helhedsplan: who pays what, and in which year.

Landsbyggefonden pays its share (default 75 %) of the budget; the local rest is split between
the municipality and the housing side (default equally), and the housing side between the
housing organisations by their departments' leases. Every split is a largest-remainder split in
øre, so the parts always add up to the whole. With ``rounding="whole-percent"`` the
organisations' shares are first rounded to whole percent, the convention of seed
``000_c5cb5aa8f1cc18d8`` (VIBO 64 %, AAB 29 %, 3B 7 % of 500 = 320 / 145 / 35).

The budget is phased over the years jointly by the months of its lines (:func:`budget_by_year`),
and the payer × year table is a controlled rounding with both margins fixed
(:func:`~boligmonitor.finance.allocation.split_table`): each payer's years add up to its
amount and each year's payers to the budget of that year, exactly, in øre. Shown at a coarser
precision (whole thousand kr. by default), the figures are rounded again the same way so that
the shown parts add up to the shown totals: each payer's years add up to its shown amount, and
the shown year totals are the sums of the shown figures.

Reference: LBF, *Regulativ om tilskud til boligsociale indsatser* (75 % / 25 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.finance.allocation import (
    display_unit,
    format_thousand,
    largest_remainder,
    round_for_display,
    round_table_for_display,
    split_table,
    thousand_to_ore,
)
from boligmonitor.finance.catalogue import find_plan
from boligmonitor.finance.changes import line_period, months_by_year
from boligmonitor.finance.model import MINIMUM_LOCAL_SHARE, Financing, Plan, PlanCatalogue

__all__ = [
    "ROUNDINGS",
    "PayerShare",
    "PlanFinance",
    "Rounding",
    "budget_by_year",
    "cofinancing_split",
    "plan_finance",
]

Rounding = Literal["largest-remainder", "whole-percent"]
ROUNDINGS: tuple[Rounding, ...] = ("largest-remainder", "whole-percent")
PayerKind = Literal["landsbyggefonden", "kommune", "boligorganisation"]
LANDSBYGGEFONDEN = "Landsbyggefonden"


@dataclass(frozen=True)
class PayerShare:
    """One payer's part of a plan: amount in øre and its share of its group.

    ``group_share`` is the share of the whole for Landsbyggefonden, of the local part for the
    municipality and of the housing side for an organisation.
    """

    payer: str
    kind: PayerKind
    amount: int
    group_share: Fraction
    leases: int | None = None


def cofinancing_split(
    total: int,
    financing: Financing,
    leases: Mapping[str, int],
    rounding: Rounding = "largest-remainder",
) -> list[PayerShare]:
    """Split a plan's budget (øre) between Landsbyggefonden, municipality and organisations.

    Parameters
    ----------
    total
        The budget in øre.
    financing
        The shares (Landsbyggefonden, municipality's part of the local share).
    leases
        Leases per housing organisation.
    rounding
        ``"largest-remainder"`` (exact) or ``"whole-percent"`` (organisations' shares rounded
        to whole percent first, as in the seed).

    Returns
    -------
    list of PayerShare
        Landsbyggefonden, the municipality, then organisations by leases (most first); the
        amounts add up to ``total`` exactly.
    """
    lbf = Fraction(financing.lbf_share)
    top = largest_remainder(total, {"lbf": lbf, "local": 1 - lbf})
    municipality = Fraction(financing.municipality_share_of_local)
    local = largest_remainder(top["local"], {"a": municipality, "b": 1 - municipality})
    if local["b"] > 0 and sum(leases.values()) == 0:
        raise ValueError("the housing side pays, but no organisation has any leases")
    organisations = sorted(leases, key=lambda org: (-leases[org], org))
    if rounding == "whole-percent":
        percent = largest_remainder(100, leases)
        housing = largest_remainder(local["b"], percent)
        shares = {org: Fraction(percent[org], 100) for org in organisations}
    else:
        housing = largest_remainder(local["b"], leases)
        lease_sum = sum(leases.values()) or 1
        shares = {org: Fraction(leases[org], lease_sum) for org in organisations}
    return [
        PayerShare(LANDSBYGGEFONDEN, "landsbyggefonden", top["lbf"], lbf),
        PayerShare(financing.municipality, "kommune", local["a"], municipality),
        *(
            PayerShare(org, "boligorganisation", housing[org], shares[org], leases[org])
            for org in organisations
        ),
    ]


@dataclass(frozen=True)
class PlanFinance:
    """The financing of one plan: budget lines, payers and yearly phasing, all in øre."""

    plan: Plan
    rounding: Rounding
    decimals: int
    lines: list[tuple[str, int]]
    payers: list[PayerShare]
    months: dict[int, int]
    by_year: dict[str, dict[int, int]]

    @property
    def total(self) -> int:
        """The budget in øre."""
        return sum(amount for _, amount in self.lines)

    @property
    def years(self) -> list[int]:
        """The calendar years the budget covers."""
        return sorted(self.months)

    @property
    def local_share(self) -> Decimal:
        """The share not paid by Landsbyggefonden."""
        return 1 - self.plan.financing.lbf_share

    @property
    def valid(self) -> bool:
        """Whether local co-financing reaches the required 25 %."""
        return self.local_share >= MINIMUM_LOCAL_SHARE

    def shown_payers(self) -> dict[str, int]:
        """Payers' amounts in shown units; they add up to the shown total."""
        return round_for_display({p.payer: p.amount for p in self.payers}, self._unit)

    def shown_shares(self) -> dict[str, int]:
        """Payers' shares of the total in tenths of a percent; they add up to 100.0 %.

        A largest-remainder split of 1 000 by the payers' amounts (Mimerskvarter: 75.0 / 12.5 /
        8.0 / 3.6 / 0.9 %, where rounding each on its own would give 99.9 %).
        """
        amounts = {p.payer: p.amount for p in self.payers}
        return largest_remainder(1000, amounts) if self.total else dict.fromkeys(amounts, 0)

    def shown_housing_shares(self) -> dict[str, int]:
        """The organisations' shares of the housing side (their ``group_share``) in tenths of a
        percent, adding up to 100.0 %; empty when no organisation pays."""
        shares = {p.payer: p.group_share for p in self.payers if p.kind == "boligorganisation"}
        return largest_remainder(1000, shares) if any(shares.values()) else {}

    def shown_lines(self) -> list[int]:
        """Budget lines in shown units; they add up to the shown total."""
        keys = {f"{i:06d}": amount for i, (_, amount) in enumerate(self.lines)}
        return list(round_for_display(keys, self._unit).values())

    def shown_by_year(self) -> dict[str, dict[int, int]]:
        """Payers by year in shown units: rows add up to the shown payer amounts and, but in
        degenerate cases, columns to the year totals rounded from their exact values."""
        table = {
            payer: {str(y): v for y, v in cells.items()} for payer, cells in self.by_year.items()
        }
        shown = round_table_for_display(table, self.shown_payers(), self._unit)
        return {payer: {int(y): v for y, v in cells.items()} for payer, cells in shown.items()}

    @property
    def _unit(self) -> int:
        return display_unit(self.decimals)

    def _shown(self, units: int) -> str:
        return format_thousand(units, self.decimals)

    def as_record(self) -> dict[str, object]:
        """The documented JSON shape (amounts in thousand kr. as decimal strings)."""
        shown_payers = self.shown_payers()
        shown_years = self.shown_by_year()
        return {
            "plan": self.plan.id,
            "name": self.plan.name,
            "extends": self.plan.extends,
            "start": self.plan.start.isoformat(),
            "end": self.plan.last_day.isoformat(),
            "unit": "1000 DKK",
            "decimals": self.decimals,
            "rounding": self.rounding,
            "valid": self.valid,
            "local_share": str(self.local_share),
            "total": self._shown(sum(shown_payers.values())),
            "total_exact": format_thousand(self.total, 5),
            "budget": [
                {"label": label, "amount": self._shown(shown), "amount_exact": _exact(amount)}
                for (label, amount), shown in zip(self.lines, self.shown_lines(), strict=True)
            ],
            "payers": [self._payer_record(p, shown_payers[p.payer]) for p in self.payers],
            "by_year": [self._year_record(year, shown_years) for year in self.years],
        }

    def _payer_record(self, payer: PayerShare, shown: int) -> dict[str, object]:
        share = Fraction(payer.amount, self.total) if self.total else Fraction(0)
        return {
            "payer": payer.payer,
            "kind": payer.kind,
            "share": _fraction_text(share),
            "group_share": _fraction_text(payer.group_share),
            "leases": payer.leases,
            "amount": self._shown(shown),
            "amount_exact": _exact(payer.amount),
        }

    def _year_record(self, year: int, shown: dict[str, dict[int, int]]) -> dict[str, object]:
        return {
            "year": year,
            "months": self.months[year],
            "total": self._shown(sum(cells[year] for cells in shown.values())),
            "total_exact": _exact(sum(cells[year] for cells in self.by_year.values())),
            "payers": [
                {
                    "payer": p.payer,
                    "amount": self._shown(shown[p.payer][year]),
                    "amount_exact": _exact(self.by_year[p.payer][year]),
                }
                for p in self.payers
            ],
        }

    def frame(self) -> pd.DataFrame:
        """One row per payer (and a total row): shown amounts, share and the years."""
        shown = self.shown_payers()
        years = self.shown_by_year()
        rows: list[dict[str, object]] = [
            {
                "payer": p.payer,
                "kind": p.kind,
                "leases": p.leases,
                "share": _fraction_text(Fraction(p.amount, self.total or 1)),
                "group_share": _fraction_text(p.group_share),
                "amount": self._shown(shown[p.payer]),
                "amount_exact": _exact(p.amount),
                **{str(y): self._shown(years[p.payer][y]) for y in self.years},
            }
            for p in self.payers
        ]
        rows.append(
            {
                "payer": "I alt",
                "kind": "total",
                "amount": self._shown(sum(shown.values())),
                "amount_exact": _exact(self.total),
                **{str(y): self._shown(sum(c[y] for c in years.values())) for y in self.years},
            }
        )
        frame = pd.DataFrame(rows)
        frame["leases"] = frame["leases"].astype("Int64")
        return frame


def _exact(ore: int) -> str:
    return format_thousand(ore, 5)


def _fraction_text(value: Fraction) -> str:
    """A share as a decimal string with at most six decimals: ``0.64``, ``0.640252``."""
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.6f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def plan_finance(
    catalogue: PlanCatalogue,
    plan_id: str,
    rounding: Rounding = "largest-remainder",
    decimals: int = 0,
) -> PlanFinance:
    """Compute a plan's financing from its budget lines, departments and financing rule.

    Raises
    ------
    InputError
        When the plan is unknown, has no budget, or a paying department lacks leases.
    """
    plan = find_plan(catalogue, plan_id)
    if rounding not in ROUNDINGS:
        raise InputError.single("--rounding", "unknown rounding '{rounding}'", rounding=rounding)
    lines = [(line.label, thousand_to_ore(line.amount)) for line in plan.budget]
    if not lines:
        raise InputError.single(
            catalogue.source, "plan '{plan_id}' has no budget lines", plan_id=plan_id
        )
    leases = _leases_by_organisation(catalogue, plan)
    try:
        payers = cofinancing_split(sum(a for _, a in lines), plan.financing, leases, rounding)
    except ValueError as exc:
        raise InputError.single(
            catalogue.source, "plan '{plan_id}': {exc}", plan_id=plan_id, exc=exc
        ) from exc
    budget_years = budget_by_year(plan)
    table = split_table(
        {p.payer: p.amount for p in payers}, {str(y): v for y, v in budget_years.items()}
    )
    by_year = {p.payer: {int(y): v for y, v in table[p.payer].items()} for p in payers}
    months = {
        year: n
        for year, n in months_by_year(plan.start, plan.last_day).items()
        if year in budget_years
    }
    return PlanFinance(plan, rounding, decimals, lines, payers, months, by_year)


def _leases_by_organisation(catalogue: PlanCatalogue, plan: Plan) -> dict[str, int]:
    leases: dict[str, int] = {}
    missing = []
    for member in plan.departments:
        department = catalogue.department(member.department)
        if department is None or department.organisation is None or department.leases is None:
            missing.append(member.department)
            continue
        organisation = department.organisation
        leases[organisation] = leases.get(organisation, 0) + department.leases
    if missing and plan.financing.municipality_share_of_local < 1:
        raise InputError.single(
            catalogue.source,
            "plan '{id}': departments without organisation or leases: {value}",
            id=plan.id,
            value=", ".join(missing),
        )
    return leases


def budget_by_year(plan: Plan) -> dict[int, int]:
    """A plan's budget (øre) by calendar year: the plan total phased jointly by months.

    Each line's exact share of each year (its amount × the line's months in the year / all
    its months) is added up without rounding, and the plan total is then split over the years
    by these exact quotas with the largest-remainder rule, so the years add up to the total
    and, when the lines share one period, two years with the same months differ by at most one
    øre (rounding each line on its own added up its rounding errors).

    Examples
    --------
    4 000 thousand kr. for 1 March 2022 - 31 December 2024 (10, 12 and 12 of 34 months) gives
    117 647 059, 141 176 471 and 141 176 470 øre, however it is divided into lines covering
    that period.
    """
    quotas: dict[str, Fraction] = {}
    total = 0
    for line in plan.budget:
        amount = thousand_to_ore(line.amount)
        total += amount
        months = months_by_year(*line_period(plan, line))
        line_months = sum(months.values())
        for year, n in months.items():
            quotas[str(year)] = quotas.get(str(year), Fraction(0)) + Fraction(
                amount * n, line_months
            )
    years = largest_remainder(total, quotas)
    return {int(year): years[year] for year in sorted(quotas)}
