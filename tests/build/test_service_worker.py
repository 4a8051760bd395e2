"""The service worker the plan renders, run in Node against a fake browser (sw-harness.mjs)."""

from __future__ import annotations

import json
import subprocess

from .conftest import HERE, NODE, needs_node, plan_of, version_of


@needs_node
def test_the_service_worker_precaches_each_file_once_waits_for_the_page_and_keeps_other_caches(
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
    paths = ["/" if url == "./" else f"/{url}" for url in report["assets"]]
    assert first["caches"] == [f"followthrough-static-{version}"]
    assert sorted(first["added"]) == sorted(paths)
    assert first["skip_waiting"] == 1
    # Each distinct file is fetched once, from the HTTP cache if it holds this build's bytes
    # (what the page fetched): the page "./" is index.html, so it is fetched once for both.
    assert set(report["integrity"]) == set(report["assets"])
    assert report["integrity"]["./"] == report["integrity"]["index.html"]
    requests = first["requests"]
    assert sorted(r["path"] for r in requests) == sorted(p for p in paths if p != "/index.html")
    assert {r["cache"] for r in requests} == {"force-cache"}
    assert all(r["integrity"] == report["integrity"][r["path"][1:] or "./"] for r in requests)
    assert first["bodies"]["/index.html"] == first["bodies"]["/"] == "http-cache:/"
    assert all(body.startswith("http-cache:") for body in first["bodies"].values())
    # Another version's bytes in the HTTP cache fail the integrity check: the network then.
    stale = report["stale_install"]
    assert sorted(stale["bodies"]) == sorted(paths)
    assert all(body.startswith("network:") for body in stale["bodies"].values())
    reloads = [r for r in stale["requests"] if r["cache"] == "reload"]
    assert sorted(r["path"] for r in reloads) == sorted(p for p in paths if p != "/index.html")
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
