"""The service worker the plan renders, run in Node against a fake browser (sw-harness.mjs)."""

from __future__ import annotations

import json
import subprocess

from .conftest import HERE, NODE, needs_node, plan_of, version_of


@needs_node
def test_the_service_worker_precaches_waits_for_the_page_and_keeps_other_caches(
    web, pyodide, tmp_path
):
    outputs = plan_of(web, pyodide)
    (tmp_path / "sw.js").write_bytes(outputs["sw.js"])

    result = subprocess.run(
        [str(NODE), str(HERE / "sw-harness.mjs"), str(tmp_path / "sw.js")],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(result.stdout)

    version = version_of(outputs)
    first = report["first_install"]
    assert first["caches"] == [f"followthrough-static-{version}"]
    assert first["added"] == ["/" if url == "./" else f"/{url}" for url in report["assets"]]
    assert first["cache_modes"] == ["reload"]
    assert first["skip_waiting"] == 1
    assert report["update_install"]["skip_waiting"] == 0
    assert report["update_after_message"]["skip_waiting"] == 1
    assert report["activate"] == {
        "caches": ["followthrough-snapshots", f"followthrough-static-{version}", "someone-else"],
        "claim": 1,
    }
    fetch = report["fetch"]
    assert fetch["post"] == fetch["cross_origin"] == fetch["api"] == "not intercepted"
    assert fetch["navigate_share"] == fetch["navigate_root"] == "cached:/"
    assert fetch["asset_with_query"] == "cached:/static/js/app.js"
    assert fetch["unknown"] == "network:/nothing-here.txt"
    assert fetch["fetched"] == ["/nothing-here.txt"]
    assert report["navigate_uncached"] == "network:/share"
    assert report["version_messages"] == {
        "port": [version],
        "source": [{"type": "version", "version": version}],
    }
