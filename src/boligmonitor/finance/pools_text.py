"""Words and tables for pools and agreements, shared by the CLI and the dashboard.

Every text goes through the one gettext catalogue (:func:`boligmonitor.i18n.translate`);
amounts are shown in kr. (exact, from øre) and in mio. kr. with three decimals, Danish style.
"""

from __future__ import annotations

from decimal import Decimal

from boligmonitor.finance.pools import AgreementFinance, PoolShare
from boligmonitor.finance.pools_facet import ListGoal
from boligmonitor.finance.pools_model import Agreement, Pool
from boligmonitor.i18n import Language, fmt_number, fmt_pct, translate

__all__ = [
    "agreement_lines",
    "finance_rows",
    "goal_rows",
    "kroner",
    "million",
    "pool_lines",
    "share_rows",
]

VERDICT_MSGID = "Verdict {year}: {verdict} ({reason}); baseline {base}, now {now}, target {target}"
Rows = tuple[list[str], list[list[str]]]


def kroner(ore: int) -> Decimal:
    """Øre as kr. (exact, two decimals)."""
    return Decimal(ore).scaleb(-2)


def million(ore: int, lang: Language, decimals: int = 3) -> str:
    """Øre shown in mio. kr.: ``24,201``."""
    return fmt_number(Decimal(ore).scaleb(-8), decimals, lang)


def _key_text(pool: Pool, lang: Language) -> str:
    key = pool.key
    if key.kind == "residents_of_list":
        return translate(
            "residents of the areas on the {designation} list of {year}",
            lang,
            designation=key.designation,
            year=key.list_year,
        )
    if key.kind == "fixed_shares":
        return translate("fixed shares", lang)
    return translate("applications", lang)


def pool_lines(pool: Pool, lang: Language) -> list[str]:
    """A pool described in a few lines."""
    lines = [
        f"{pool.name} ({pool.id})",
        translate("Total: {amount} mio. kr.", lang, amount=fmt_number(pool.total / 1000, 3, lang)),
        translate("Period: {start}–{end}", lang, start=pool.start_year, end=pool.end_year),
        translate("Allocation key: {key}", lang, key=_key_text(pool, lang)),
        translate(
            "Municipal co-financing: {rate}",
            lang,
            rate=fmt_pct(float(pool.cofinancing_rate) * 100, 0, lang),
        ),
    ]
    if pool.note:
        lines.append(pool.note)
    return lines


def share_rows(shares: list[PoolShare], lang: Language) -> Rows:
    """Municipalities' shares with the printed share and the difference, and a total row."""
    headings = [
        translate("Municipality", lang),
        translate("Weight", lang),
        translate("Share (mio. kr.)", lang),
        translate("Published (mio. kr.)", lang),
        translate("Difference (kr.)", lang),
    ]
    rows = [
        [
            s.municipality,
            fmt_number(s.weight.numerator // s.weight.denominator, 0, lang)
            if s.weight.denominator == 1
            else fmt_number(float(s.weight), 4, lang),
            million(s.amount, lang),
            "" if s.published is None else million(s.published, lang),
            "" if s.difference is None else fmt_number(kroner(s.difference), 2, lang),
        ]
        for s in shares
    ]
    total = sum(s.amount for s in shares)
    rows.append([translate("Total", lang), "", million(total, lang), "", ""])
    return headings, rows


def agreement_lines(agreement: Agreement, lang: Language) -> list[str]:
    """An agreement: its areas, initiatives with areas and pools, and other efforts."""
    covered = {a for i in agreement.initiatives for a in i.areas}
    lines = [
        f"{agreement.name} ({agreement.id})",
        translate(
            "Period: {start}–{end}", lang, start=agreement.start_year, end=agreement.end_year
        ),
        translate(
            "Initiatives in {covered} of {areas} areas",
            lang,
            covered=sum(a in covered for a in agreement.areas),
            areas=len(agreement.areas),
        ),
    ]
    for initiative in agreement.initiatives:
        lines.append(f"- {initiative.name} [{initiative.pool}]: {', '.join(initiative.areas)}")
    for area, effort in agreement.other_efforts.items():
        lines.append(
            translate(
                "{area}: covered by another effort ({effort})", lang, area=area, effort=effort
            )
        )
    return lines


def finance_rows(
    finance: AgreementFinance, lang: Language
) -> tuple[list[str], list[list[str]], list[str]]:
    """Initiatives by year (applied; municipal part), totals, and the checks as notes."""
    years = sorted({y for i in finance.initiatives for y in i.applied})
    headings = [
        translate("Initiative", lang),
        *map(str, years),
        translate("Applied (mio. kr.)", lang),
        translate("Municipal (mio. kr.)", lang),
    ]
    rows = [
        [
            item.initiative.name,
            *(million(item.applied[y], lang) if y in item.applied else "" for y in years),
            million(item.applied_total, lang),
            million(item.municipal_total, lang),
        ]
        for item in finance.initiatives
    ]
    notes = [_check_text(check, lang) for check in finance.checks]
    for source, (cost, municipal) in finance.by_cofinancing_source().items():
        notes.append(
            translate(
                "{source}: cost {cost} mio. kr., municipal part {municipal} mio. kr.",
                lang,
                source=source,
                cost=million(cost, lang, 2),
                municipal=million(municipal, lang, 2),
            )
        )
    return headings, rows, notes


def _check_text(check: object, lang: Language) -> str:
    from boligmonitor.finance.pools import PoolCheck

    assert isinstance(check, PoolCheck)
    text = translate(
        "{pool}: applied {applied} of {limit} mio. kr. ({verdict})",
        lang,
        pool=check.pool.name,
        applied=million(check.applied, lang),
        limit=million(check.limit, lang),
        verdict=translate("within" if check.within else "exceeded", lang),
    )
    if check.published_limit is not None:
        text += " " + translate(
            "Published share {limit} mio. kr. ({verdict}, {difference} kr.)",
            lang,
            limit=million(check.published_limit, lang),
            verdict=translate("within" if check.within_published else "exceeded", lang),
            difference=fmt_number(kroner(check.applied - check.published_limit), 2, lang),
        )
    return text


def goal_rows(result: ListGoal, lang: Language) -> tuple[list[str], list[list[str]], list[str]]:
    """The count on every list (with rule changes) and the verdicts as notes."""
    headings = [
        translate("List", lang),
        translate("Rules", lang),
        translate("Areas", lang),
        translate("On the list", lang),
    ]
    rows = [
        [
            row.list_date,
            row.rules + (" ⚠" if row.data_break else ""),
            str(row.count),
            ", ".join(row.areas),
        ]
        for counted in result.counts.values()
        for row in counted
    ]
    notes = []
    for goal in result.evaluation.goals:
        for item in goal.indicators:
            notes.append(
                translate(
                    VERDICT_MSGID,
                    lang,
                    year=result.evaluation.year,
                    verdict=_verdict_text(item.verdict.value, lang),
                    reason=_reason_text(item.reason, lang),
                    base=fmt_number(item.baseline_area, 0, lang),
                    now=fmt_number(item.area, 0, lang),
                    target=fmt_number(item.target_value, 0, lang),
                )
            )
            if item.break_years:
                notes.append(
                    translate(
                        "Data breaks (rule changes): {years}",
                        lang,
                        years=", ".join(map(str, item.break_years)),
                    )
                )
    return headings, rows, notes


def _verdict_text(verdict: str, lang: Language) -> str:
    texts = {
        "progress": translate("list goal verdict: progress", lang),
        "no_clear_change": translate("list goal verdict: no clear change", lang),
        "regress": translate("list goal verdict: regress", lang),
        "uncertain": translate("list goal verdict: uncertain", lang),
    }
    return texts.get(verdict, verdict)


def _reason_text(reason: str, lang: Language) -> str:
    texts = {
        "data_break": translate("the rules of the lists changed between baseline and status", lang),
        "improved": translate("fewer areas on the list", lang),
        "worsened": translate("more areas on the list", lang),
        "within_rounding": translate("as many areas on the list", lang),
        "no_data": translate("no list for the baseline or status year", lang),
    }
    return texts.get(reason, reason)
