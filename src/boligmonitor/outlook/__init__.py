"""Outlook: the probability of each area's designation on the next 1 December, and backtests."""

from __future__ import annotations

from boligmonitor.outlook.facet import OutlookFacet, watch_list
from boligmonitor.outlook.simulate import OUTLOOK_COLUMNS, outlook

__all__ = ["OUTLOOK_COLUMNS", "OutlookFacet", "outlook", "watch_list"]
