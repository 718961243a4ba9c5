"""The explicit registry of indicators (no discovery): id → :class:`Indicator`.

Statutory ids are prefixed ``dk_`` and Copenhagen's ``kk_`` so the two families never clash.
"""

from __future__ import annotations

from types import MappingProxyType

from boligmonitor.errors import InputError
from boligmonitor.indicators.base import Indicator
from boligmonitor.indicators.copenhagen import CITY_INDICATORS, LIVING_AREA
from boligmonitor.indicators.statutory import STATUTORY_INDICATORS

__all__ = ["REGISTRY", "indicator"]

REGISTRY: MappingProxyType[str, Indicator] = MappingProxyType(
    {
        **{f"dk_{i.id}": i for i in STATUTORY_INDICATORS},
        **{f"kk_{i.id}": i for i in (LIVING_AREA, *CITY_INDICATORS)},
    }
)


def indicator(id: str) -> Indicator:
    """The registered indicator ``id``, e.g. ``dk_labour`` or ``kk_low_income``.

    Raises
    ------
    InputError
        When no indicator has that id.
    """
    try:
        return REGISTRY[id]
    except KeyError:
        known = ", ".join(REGISTRY)
        raise InputError.single(
            "indicator", "unknown indicator '{id}'; known: {known}", id=id, known=known
        ) from None
