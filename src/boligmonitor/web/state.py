"""The workspace as the web app sees it: read-only, one query at a time, results cached.

A served workspace is opened read-only, so nothing can change it while the server runs and
every result may be cached for the server's lifetime. DuckDB connections are not safe for
concurrent use, so every database read is serialised by one lock; cached results are served
without touching the database. Identical requests in flight are coalesced: the first computes,
the others wait for its result (one future per key).

Designating every area is the expensive part, so the designations under the regimes in force
are computed once for every year — in a background thread at start-up — by the designation
facet, exactly as :meth:`Workspace.designate` does, with the statistics read under the database
lock and the rules evaluated outside it. Requests never wait for that: until it is done, a
request designates just its own year (or area), coalesced and cached.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd

from boligmonitor.errors import InputError
from boligmonitor.i18n import Language
from boligmonitor.rules.evaluate import AreaDesignation, evaluate
from boligmonitor.rules.evaluation import Evaluation
from boligmonitor.rules.explain import explain_text
from boligmonitor.rules.history import ListHistory
from boligmonitor.rules.model import RuleSet
from boligmonitor.web.charts import YearMeans
from boligmonitor.web.errors import BadParameter, NotFound, choices
from boligmonitor.web.maps import AreaGeometry, geojson_from_wkt
from boligmonitor.web.responses import CachedResponse, ResponseCache, StoredResponse
from boligmonitor.workspace import Workspace

__all__ = ["STATUTORY_FAMILY", "BadParameter", "NotFound", "WebState"]

#: The family of the § 61 a/§ 61 b regimes the overview shows by default.
STATUTORY_FAMILY = "almenboligloven-61a"
_CACHE_SIZE = 20_000

T = TypeVar("T")


@dataclass(frozen=True)
class _DefaultDesignations:
    """Every area-year under the regimes in force that year, indexed two ways."""

    by_year: dict[tuple[int, str], Evaluation]
    by_area: dict[str, Evaluation]

    @classmethod
    def of(cls, results: Evaluation) -> _DefaultDesignations:
        """Grouped without building the per-area objects: a group builds them when read."""
        by_year = {(int(y), str(r)): g for (y, r), g in results.groups("year", "rule_set").items()}
        by_area = {str(a): g for (a,), g in results.groups("area_id").items()}
        return cls(by_year, by_area)


@dataclass(frozen=True)
class _Failed:
    """A cached :class:`InputError`: raised again for every caller."""

    error: InputError


def _unless_failed(value: Any) -> Any:
    if isinstance(value, _Failed):
        raise value.error.with_traceback(None)
    return value


def _scalar(value: Any) -> Any:
    """Missing values as ``None`` (pandas gives NA or NaN)."""
    return None if value is None or value is pd.NA or value != value else value


class WebState:
    """Cached, serialised access to one workspace for the web app.

    Parameters
    ----------
    workspace
        An open workspace, preferably read-only (``Workspace.open(folder, read_only=True)``).
    """

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = threading.RLock()
        self._holding = threading.local()  # how deep this thread is in the database lock
        self._cache_lock = threading.Lock()
        self._in_flight: dict[Hashable, Future[Any]] = {}
        self._cache: OrderedDict[Hashable, Any] = OrderedDict()
        self._responses = ResponseCache()
        self._defaults: _DefaultDesignations | None = None
        self._defaults_lock = threading.Lock()

    def _database(self, compute: Callable[[], T]) -> T:
        """``compute()`` holding the database lock."""
        with self._lock:
            self._holding.depth = getattr(self._holding, "depth", 0) + 1
            try:
                return compute()
            finally:
                self._holding.depth -= 1

    def _cached(self, key: Hashable, compute: Callable[[], T], database: bool = True) -> T:
        """The cached value of ``key``, computed once (under the database lock if
        ``database``) however many requests ask for it at the same time."""
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                value: T = _unless_failed(self._cache[key])
                return value
        return self.coalesce(key, compute, database=database, keep=True)

    def coalesce(
        self,
        key: Hashable,
        compute: Callable[[], T],
        database: bool = False,
        keep: bool = False,
    ) -> T:
        """``compute()`` once for every caller asking for ``key`` while it runs.

        The first caller computes; callers arriving meanwhile wait for its result (or its
        exception). With ``keep`` the result is also cached, and so is an :class:`InputError`
        (what the read-only workspace lacks stays lacking). A caller that holds the database
        lock computes by itself rather than wait, since the computing thread may need that lock.
        """
        with self._cache_lock:
            if keep and key in self._cache:
                hit: T = _unless_failed(self._cache[key])
                return hit
            running = self._in_flight.get(key)
            if running is None:
                mine: Future[Any] = Future()
                self._in_flight[key] = mine
        if running is not None:
            if getattr(self._holding, "depth", 0) == 0:
                waited: T = running.result()
                return waited
            return self._database(compute) if database else compute()
        try:
            value = self._database(compute) if database else compute()
        except BaseException as error:
            with self._cache_lock:
                del self._in_flight[key]
                if keep and isinstance(error, InputError):
                    self._cache[key] = _Failed(error)
            mine.set_exception(error)
            raise
        with self._cache_lock:
            del self._in_flight[key]
            if keep:
                self._cache[key] = value
                if len(self._cache) > _CACHE_SIZE:
                    self._cache.popitem(last=False)
        mine.set_result(value)
        return value

    def call(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A workspace call made once under the database lock, then served from the cache.

        Page families for plans, goals and the city screening use this for the Workspace
        methods they show, so they stay thin adapters.
        """
        return self._cached(key, compute)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A computation that needs no database, made once and then served from the cache
        (identical calls in flight share one computation)."""
        return self._cached(key, compute, database=False)

    def cached_response(self, key: Hashable) -> StoredResponse | None:
        """A response stored by :meth:`store_response`, or ``None``."""
        return self._responses.get(key)

    def has_response(self, key: Hashable) -> bool:
        """Whether a response is stored under ``key``."""
        return key in self._responses

    def store_response(self, key: Hashable, response: CachedResponse, page: bool = False) -> None:
        """Remember a rendered response (the least recently used go over the byte budget);
        ``page``: an HTML page, which remembers an explicit ``?lang=`` in a cookie."""
        self._responses.put(key, response, page)

    def explanation(self, result: AreaDesignation, lang: Language) -> str:
        """The engine's plain-language explanation of a result (cached)."""
        key = ("explanation", result.area_id, result.year, result.rule_set, lang)
        return self._cached(
            key,
            lambda: explain_text(result, self.rule_set_by_id()[result.rule_set], lang),
            database=False,
        )

    # -- years and rule sets -----------------------------------------------------------------

    def years(self) -> list[int]:
        """List years with area statistics."""
        return self._cached("years", self.workspace.designations.statistics_years)

    def year(self, year: int | None) -> int:
        """A requested list year, or the latest one.

        Raises
        ------
        BadParameter
            When the workspace has no statistics for that year (or none at all).
        """
        years = self.years()
        if not years:
            raise BadParameter("year", "the workspace holds no area statistics")
        if year is None:
            return years[-1]
        if year not in years:
            raise BadParameter(
                "year",
                "no area statistics for the list year {year} (list years {first}–{last})",
                year=year,
                first=years[0],
                last=years[-1],
            )
        return year

    def rule_sets(self) -> list[RuleSet]:
        """The rule sets the workspace knows."""
        return self._cached("rule_sets", self.workspace.designations.rule_sets)

    def rule_set(self, rule_set_id: str | None, year: int) -> RuleSet:
        """A rule set by id, or the statutory regime in force in ``year``.

        Raises
        ------
        BadParameter
            When no rule set has that id.
        """
        sets = self.rule_sets()
        if rule_set_id is None:
            statutory = [s for s in sets if s.family == STATUTORY_FAMILY]
            in_force = [s for s in statutory if s.in_force(year)]
            return (in_force or statutory or sets)[0]
        for rule_set in sets:
            if rule_set.id == rule_set_id:
                return rule_set
        known = choices(s.id for s in sets)
        raise BadParameter(
            "rules",
            "unknown rule set '{rule_set}'; choose {known}",
            rule_set=rule_set_id,
            known=known,
        )

    def rule_set_by_id(self) -> dict[str, RuleSet]:
        """Every known rule set keyed by id."""
        return self._cached(
            "rule_set_by_id", lambda: {s.id: s for s in self.rule_sets()}, database=False
        )

    # -- areas and designations --------------------------------------------------------------

    def area_index(self) -> pd.DataFrame:
        """One row per area (see :meth:`Workspace.area_index`)."""
        return self._cached("area_index", self._area_index)

    def _area_index(self) -> pd.DataFrame:
        return self.workspace.designations.area_index()

    def area(self, area_id: str) -> dict[str, Any]:
        """The index row of one area.

        Raises
        ------
        NotFound
            When the workspace has no such area.
        """
        found = self._cached("areas_by_id", self._areas_by_id, database=False).get(area_id)
        if found is None:
            raise NotFound("no area with id '{area_id}'", area_id=area_id)
        return found

    def _areas_by_id(self) -> dict[str, dict[str, Any]]:
        records = self.area_index().astype(object).to_dict("records")
        return {str(r["area_id"]): {str(k): _scalar(v) for k, v in r.items()} for r in records}

    def warm(self) -> None:
        """Compute the designations of every year under the regimes in force (idempotent).

        Run in a background thread at start-up; requests do not wait for it.
        """
        self._default_designations()

    def _default_designations(self) -> _DefaultDesignations:
        with self._defaults_lock:
            if self._defaults is None:
                self._defaults = _DefaultDesignations.of(self._evaluate(None, None))
            return self._defaults

    def _evaluate(self, year: int | None, rules: list[str] | None) -> Evaluation:
        """As the designation facet designates: statistics, rule sets and list history read
        under the lock, the rules evaluated outside it (the rule engine needs no database)."""
        facet = self.workspace.designations
        record = self.workspace.record

        def read() -> tuple[pd.DataFrame, list[RuleSet] | None, ListHistory | None] | None:
            if not facet.has_statistics():
                return None
            statistics = facet.area_statistics(year)
            chosen = [facet.rule_set(r) for r in rules] if rules else None
            return statistics, chosen, record.history_for(statistics)

        inputs = self._database(read)
        if inputs is None:
            return Evaluation.empty()
        statistics, chosen, history = inputs
        return evaluate(statistics, year, chosen, tuple(self.rule_sets()), history)

    def designations(self, year: int, rule_set: RuleSet) -> list[AreaDesignation]:
        """Every area's designations in ``year`` under ``rule_set`` (computed, not stored).

        From the start-up designations when they are ready; otherwise just this year under
        this rule set, computed once however many requests ask.
        """
        defaults = self._defaults
        if defaults is not None:
            found = defaults.by_year.get((year, rule_set.id))
            if found is not None:
                return list(found)  # built once, when the first request reads the group
        return self._cached(
            ("designations", year, rule_set.id),
            lambda: list(self._evaluate(year, [rule_set.id])),
            database=False,
        )

    def year_means(self, year: int, rule_set: RuleSet) -> YearMeans:
        """Resident-weighted means of each criterion over every area of ``year`` under
        ``rule_set`` (all areas and per municipality), computed once."""
        return self._cached(
            ("year_means", year, rule_set.id),
            lambda: YearMeans.of(self.designations(year, rule_set)),
            database=False,
        )

    def area_history(self, area_id: str) -> list[AreaDesignation]:
        """One area's designations in every year under the regimes in force each year."""
        self.area(area_id)
        defaults = self._defaults
        if defaults is not None:
            return list(defaults.by_area.get(area_id, []))
        return self._cached(
            ("area_history", area_id),
            lambda: list(self.workspace.designations.area_designations(area_id)),
        )

    def area_geometry(self) -> AreaGeometry | None:
        """Outlines of the areas in longitude/latitude, when the workspace has any (area
        statistics have none; see :meth:`Workspace.area_geometry`)."""
        return self._cached("area_geometry", self._area_geometry)

    def _area_geometry(self) -> AreaGeometry | None:
        frame = self.workspace.designations.area_geometry()
        if frame is None or frame.empty:
            return None
        shapes = geojson_from_wkt(frame["geometry_wkt"])
        return AreaGeometry(dict(zip(frame["area_id"].astype(str), shapes, strict=True)), False)

    def _all_statistics(self) -> pd.DataFrame:
        return self.workspace.designations.statistics_rows()

    def statistics(self, area_id: str | None, year: int | None) -> pd.DataFrame:
        """Stored area statistics rows (indicators) for an area and/or a year.

        The whole table is read once (it is small: one row per area and year) and filtered in
        memory, rather than one database query per request.
        """
        rows = self._cached("statistics", self._all_statistics)
        if area_id is not None:
            rows = rows[rows["area_id"] == area_id]
        if year is not None:
            rows = rows[rows["year"] == year]
        return rows
