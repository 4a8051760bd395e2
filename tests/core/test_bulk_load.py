"""A bulk request (a heavy user's `load`) is read with the garbage collector paused, and leaves
it running, with the loaded state kept out of later collections."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator

import pytest
from followup import api


def people(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": f"p{i}", "name": f"Person {i}", "organisation": "Acme", "role": "", "emails": [],
            "phones": [], "urls": [], "tags": [], "notes": "x" * 200, "how_met": "",
            "event_id": None, "created_at": "2026-01-01T00:00:00+00:00",
            "updated_at": "2026-01-01T00:00:00+00:00",
        }
        for i in range(n)
    ]  # fmt: skip


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    api.call(json.dumps({"op": "load", "data": {}}))
    gc.unfreeze()


def test_a_bulk_load_reads_every_record_and_leaves_the_collector_running() -> None:
    request = json.dumps({"op": "load", "data": {"people": people(5000)}})
    assert len(request) > api._BULK
    answer = json.loads(api.call(request))
    assert answer["ok"]
    assert answer["counts"]["people"] == 5000
    assert gc.isenabled()
    assert gc.get_freeze_count() > 5000


def test_a_bulk_load_that_fails_changes_nothing_and_freezes_nothing() -> None:
    bad = people(5000)
    request = json.dumps({"op": "load", "data": {"people": bad, "schema_version": 99}})
    frozen = gc.get_freeze_count()
    assert json.loads(api.call(request))["error"] == "unsupported-schema"
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen


def test_a_small_request_runs_as_before() -> None:
    frozen = gc.get_freeze_count()
    assert json.loads(api.call(json.dumps({"op": "load", "data": {"people": people(3)}})))["ok"]
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
