"""WebState: identical requests in flight computed once; requests never wait for warm-up."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from boligmonitor.cli.web import example_workspace
from boligmonitor.web.state import WebState
from boligmonitor.workspace import Workspace


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    ws = example_workspace()
    yield ws
    ws.close()


def _together(callers: int, call: object) -> list[object]:
    """Results of ``call()`` from ``callers`` threads started together."""
    assert callable(call)
    results: list[object] = [None] * callers

    def run(i: int) -> None:
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class _CountingJoins(dict):  # type: ignore[type-arg]
    """The in-flight table, counting callers that found a computation running."""

    def __init__(self) -> None:
        super().__init__()
        self.joined = threading.Semaphore(0)

    def get(self, key: object, default: object = None) -> object:
        found = super().get(key, default)
        if found is not None:
            self.joined.release()
        return found


def test_identical_requests_in_flight_are_computed_once(workspace: Workspace) -> None:
    state = WebState(workspace)
    in_flight = _CountingJoins()
    state._in_flight = in_flight
    release, calls = threading.Event(), []
    entered = threading.Barrier(2)

    def compute() -> list[int]:
        calls.append(1)
        entered.wait(timeout=60)  # the first caller is inside; let the test start the others
        release.wait(timeout=60)
        return [42]

    first = threading.Thread(target=lambda: state.coalesce("key", compute))
    first.start()
    entered.wait(timeout=60)
    waiting = [threading.Thread(target=lambda: state.coalesce("key", compute)) for _ in range(8)]
    for thread in waiting:
        thread.start()
    for _ in waiting:  # every other caller has found the computation running
        assert in_flight.joined.acquire(timeout=60)
    release.set()
    for thread in [first, *waiting]:
        thread.join(timeout=60)
    assert calls == [1]
    assert state.coalesce("key", lambda: [7]) == [7]  # not kept: a later call computes again


def test_a_failure_reaches_every_waiter_and_is_not_cached(workspace: Workspace) -> None:
    state = WebState(workspace)

    def fail() -> int:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        state.call("failing", fail)
    assert state.call("failing", lambda: 3) == 3


def test_cached_values_are_shared_by_concurrent_callers(workspace: Workspace) -> None:
    state = WebState(workspace)
    results = _together(10, state.area_index)
    assert all(r is results[0] for r in results)


def test_designations_do_not_wait_for_warm_up_and_equal_it(workspace: Workspace) -> None:
    cold = WebState(workspace)
    year = cold.years()[-1]
    rule_set = cold.rule_set(None, year)
    found: list[object] = []
    with cold._defaults_lock:  # warm-up running: a request must not wait for it
        thread = threading.Thread(target=lambda: found.append(cold.designations(year, rule_set)))
        thread.start()
        thread.join(timeout=120)
        assert not thread.is_alive()
        area_id = str(cold.area_index()["area_id"].iloc[0])
        history = cold.area_history(area_id)
    warm = WebState(workspace)
    warm.warm()
    assert found == [warm.designations(year, rule_set)]
    assert len(found[0]) > 0  # type: ignore[arg-type]
    assert history == warm.area_history(area_id)
