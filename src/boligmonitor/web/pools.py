"""State pools and initiative agreements on the dashboard, next to the plans.

One page (``/pools``): each pool with its shares per municipality, each agreement with its
money by initiative and year and the checks against the pools, and the goal counted from the
lists. Everything comes from :class:`~boligmonitor.finance.pools_facet.PoolsFacet`; texts from
the one gettext catalogue.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from boligmonitor.finance.pools import AreaFunding
from boligmonitor.finance.pools import area_funding as funding_of
from boligmonitor.finance.pools_facet import PoolsFacet
from boligmonitor.finance.pools_text import (
    agreement_lines,
    finance_rows,
    goal_rows,
    pool_lines,
    share_rows,
)
from boligmonitor.i18n import Language, localized, translate
from boligmonitor.web.deps import cached_response, web_state
from boligmonitor.web.state import WebState
from boligmonitor.web.templating import render
from boligmonitor.web.text import request_language

__all__ = ["area_funding", "pools_facet", "router"]

router = APIRouter()


def pools_facet(state: WebState) -> PoolsFacet:
    """The workspace's pools facet (stored pools, or the shipped example when none are)."""
    return state.workspace.pools


def area_funding(state: WebState, area_name: str) -> list[AreaFunding]:
    """The agreements, initiatives and pools that fund an area, for the area page."""
    catalogue = state.call("pool_catalogue", pools_facet(state).catalogue)
    return state.memo(("area_funding", area_name), lambda: funding_of(catalogue, area_name))


def _context(facet: PoolsFacet, lang: Language) -> dict[str, Any]:
    catalogue = facet.catalogue()
    pools = [
        {
            "lines": pool_lines(pool, lang),
            "shares": share_rows(facet.allocation(pool.id), lang)
            if pool.key.kind != "applications"
            else None,
        }
        for pool in catalogue.pools
    ]
    agreements = [
        {
            "lines": agreement_lines(agreement, lang),
            "finance": finance_rows(facet.agreement_finance(agreement.id), lang),
        }
        for agreement in catalogue.agreements
    ]
    goal = facet.list_goal()
    return {
        "pools": pools,
        "agreements": agreements,
        "goal": goal_rows(goal, lang),
        "goal_title": localized(
            goal.evaluation.catalogue.title_da, goal.evaluation.catalogue.title_en, lang
        ),
        "tr": lambda msgid, **params: translate(msgid, lang, **params),
    }


@router.get("/pools", response_class=HTMLResponse, include_in_schema=False)
def pools_page(request: Request, state: Annotated[WebState, Depends(web_state)]) -> Response:
    """Pools with their shares, agreements with their money, and the goal counted from lists."""
    lang = request_language(request)

    def build() -> Response:
        context = state.call(("pools_page", lang), lambda: _context(pools_facet(state), lang))
        return render(request, "pools.html", context)

    return cached_response(request, build)
