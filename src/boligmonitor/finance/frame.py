"""Landsbyggefonden's national frame: the sum of the plans' LBF shares checked per year.

Parallelsamfundsaftalen (2018) cut Landsbyggefonden's annual frame for boligsociale
helhedsplaner from 240 to 140 million kr. (seed ``000_c5cb5aa8f1cc18d8``). The check adds up
Landsbyggefonden's part of every plan with a budget, phased by year, and compares it with the
frame of that year. A catalogue usually holds only some of the country's plans, so the check
tells how much of the frame they take and whether they alone would exceed it.
"""

from __future__ import annotations

from dataclasses import dataclass

from boligmonitor.finance.allocation import format_thousand, thousand_to_ore
from boligmonitor.finance.financing import LANDSBYGGEFONDEN, PlanFinance, plan_finance
from boligmonitor.finance.model import PlanCatalogue

__all__ = ["FrameCheck", "check_catalogue_frame", "check_lbf_frame"]


@dataclass(frozen=True)
class FrameCheck:
    """One year of the frame check, amounts in øre."""

    year: int
    frame: int | None
    plans: dict[str, int]

    @property
    def used(self) -> int:
        """Landsbyggefonden's part of the plans in the year."""
        return sum(self.plans.values())

    @property
    def remaining(self) -> int | None:
        """Frame minus the plans' part (negative when exceeded); ``None`` without a frame."""
        return None if self.frame is None else self.frame - self.used

    @property
    def exceeded(self) -> bool | None:
        """Whether the plans take more than the frame; ``None`` without a frame."""
        return None if self.remaining is None else self.remaining < 0

    def as_record(self) -> dict[str, object]:
        """JSON shape: thousand kr. as decimal strings."""
        return {
            "year": self.year,
            "frame": _text(self.frame),
            "used": _text(self.used),
            "remaining": _text(self.remaining),
            "exceeded": self.exceeded,
            "plans": {plan: _text(amount) for plan, amount in self.plans.items()},
        }


def _text(ore: int | None) -> str | None:
    return None if ore is None else format_thousand(ore, 5)


def check_lbf_frame(catalogue: PlanCatalogue, finances: list[PlanFinance]) -> list[FrameCheck]:
    """Compare Landsbyggefonden's yearly part of the plans with the national frame.

    Parameters
    ----------
    catalogue
        Holds the frame (``lbf_frame``, million kr. per year).
    finances
        The financing of the plans to count.

    Returns
    -------
    list of FrameCheck
        One per year with a frame or a plan, in year order.
    """
    frames = {f.year: thousand_to_ore(f.amount_mio * 1000) for f in catalogue.lbf_frame}
    used: dict[int, dict[str, int]] = {}
    for finance in finances:
        for year, amount in finance.by_year.get(LANDSBYGGEFONDEN, {}).items():
            used.setdefault(year, {})[finance.plan.id] = amount
    years = sorted(set(frames) | set(used))
    return [FrameCheck(year, frames.get(year), used.get(year, {})) for year in years]


def check_catalogue_frame(catalogue: PlanCatalogue) -> list[FrameCheck]:
    """The frame check for every plan in a catalogue that has a budget."""
    finances = [plan_finance(catalogue, plan.id) for plan in catalogue.plans if plan.budget]
    return check_lbf_frame(catalogue, finances)
