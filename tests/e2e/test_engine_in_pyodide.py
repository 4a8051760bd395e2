"""The packaged engine under Pyodide gives the same answers as CPython on one data set."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from followup import api

from .conftest import Launch, wait_engine_ready
from .pyodide_engine import call_probe_engine, start_probe_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from heavy import NOW, TODAY, make_heavy


def cpython(request: dict[str, object]) -> dict[str, object]:
    answer: dict[str, object] = json.loads(api.call(json.dumps(request)))
    return answer


def test_pyodide_and_cpython_compute_the_same_today_insights_and_graph(
    launch: Launch, app_url: str
) -> None:
    data = make_heavy(seed=7, people=300, introductions=120, interactions=1200, opportunities=25)
    clock = {"now": NOW.isoformat(), "today": TODAY.isoformat()}
    requests: list[dict[str, object]] = [
        {"op": "today", **clock},
        {"op": "insights", **clock},
        {"op": "graph"},
    ]
    page = launch().new_page()
    page.goto(app_url)
    wait_engine_ready(page)
    start_probe_engine(page)

    _, loaded = call_probe_engine(page, {"op": "load", "data": data})
    in_browser = [call_probe_engine(page, request)[1] for request in requests]
    assert cpython({"op": "load", "data": data})["ok"] is True
    in_cpython = [cpython(request) for request in requests]

    assert loaded["ok"] is True
    assert in_browser[0]["followups"], "the data set should owe something today"
    assert in_browser == in_cpython
