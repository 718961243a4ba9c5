"""Regression tests for hostile input: crashes, silently wrong results and the web cache key.

Each test reproduces one way a malformed or unusual input used to crash with a traceback or
give a wrong answer without a word, and checks the input is now refused with exit code 2 and a
message naming the file, row/line and column/field (or, where the input is legitimate, that it
now gives the right answer).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def test_junk_query_parameters_do_not_grow_the_response_cache(web_client: TestClient) -> None:
    state = web_client.app.state.web  # type: ignore[attr-defined]
    assert web_client.get("/?year=2020").status_code == 200
    before = len(state._responses)
    for n in range(50):
        assert web_client.get(f"/?year=2020&junk{n}={'x' * n}").status_code == 200
        assert web_client.get(f"/?year=0{2020}&junk={n}").status_code == 200
    assert len(state._responses) == before
    other: Any = web_client.get("/?year=2021")
    assert other.status_code == 200
    assert len(state._responses) == before + 1
