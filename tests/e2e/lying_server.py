"""A malicious sync server for end-to-end tests: a proxy in front of the real server that
rewrites its answers per device, as a malicious operator could (issue #19).

Each browser context (one device) gets a `Liar` on its routes to `/api/v1/`: the request goes
to the real server, and the answer comes back as the liar's current attack rewrites it. The
liars of one test share a `Ledger` of every push that went through, so they can serve old
versions of records (the real server has pruned them), hide one device's rows from another,
or rebuild the log as it was earlier.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import BrowserContext, Request, Route


@dataclass
class Row:
    seq: int
    record_id: str
    envelope: str
    device: str
    head: bool


@dataclass
class Ledger:
    """Every row pushed through any liar, with who pushed it (the last of a batch is its head)."""

    rows: list[Row] = field(default_factory=list)

    def record(self, device: str, items: list[dict[str, Any]], first_seq: int) -> None:
        for i, item in enumerate(items):
            self.rows.append(
                Row(first_seq + i, item["record_id"], item["envelope"], device, i == len(items) - 1)
            )

    @property
    def last_seq(self) -> int:
        return max((r.seq for r in self.rows), default=0)

    def heads(self) -> set[str]:
        return {r.record_id for r in self.rows if r.head}

    def oldest(self, record_id: str) -> str | None:
        found = [r for r in self.rows if r.record_id == record_id]
        return min(found, key=lambda r: r.seq).envelope if found else None

    def pusher(self, seq: int) -> str | None:
        return next((r.device for r in self.rows if r.seq == seq), None)

    def snapshot(self, upto: int) -> list[dict[str, Any]]:
        """The log as it was at seq `upto`: each record's latest row by then."""
        latest: dict[str, Row] = {}
        for r in sorted(self.rows, key=lambda r: r.seq):
            if r.seq <= upto:
                latest[r.record_id] = r
        rows = sorted(latest.values(), key=lambda r: r.seq)
        return [{"seq": r.seq, "record_id": r.record_id, "envelope": r.envelope} for r in rows]


class Liar:
    """The proxy for one device. `attack` names what it does now (None: honest); `options`
    holds the attack's parameters. `seen` counts the requests per path, for assertions."""

    def __init__(self, context: BrowserContext, name: str, ledger: Ledger) -> None:
        self.name = name
        self.ledger = ledger
        self.attack: str | None = None
        self.options: dict[str, Any] = {}
        self.fake_log_id = secrets.token_hex(16)
        self.seen: dict[str, int] = {}
        context.route("**/api/v1/**", self._handle)

    def honest(self) -> None:
        self.attack, self.options = None, {}

    def lie(self, attack: str, **options: Any) -> None:
        self.attack, self.options = attack, options

    def _handle(self, route: Route, request: Request) -> None:
        url = urlparse(request.url)
        path = url.path.split("/v1/", 1)[1]
        self.seen[path] = self.seen.get(path, 0) + 1
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        early = self._early(path, request)
        if early is not None:
            status, body, headers = early
            route.fulfill(status=status, json=body, headers=headers)
            return
        response = route.fetch()
        try:
            body = response.json()
        except Exception:  # not JSON (a 204): passed on as it is
            route.fulfill(response=response)
            return
        if path == "push" and response.ok:
            sent = request.post_data_json or {}
            if not body.get("replayed"):
                self.ledger.record(self.name, sent.get("items", []), int(body["first_seq"]))
        if path == "pull" and response.ok:
            body = self._pull(body, int(query.get("since", "0")))
        if path == "session" and response.ok and self.attack == "empty-keys":
            body["account"]["keys"] = []
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        if self.attack == "clock":
            body["server_time"] = self.options["time"]
            headers["date"] = self.options["date"]
        route.fulfill(status=response.status, json=body, headers=headers)

    def _early(self, path: str, request: Request) -> tuple[int, Any, dict[str, str]] | None:
        """Answers made up without asking the real server."""
        if self.attack == "drop" and path == "push":
            # "Saved" — and thrown away; the seqs look like the next ones, to tempt a fast-forward.
            n = len((request.post_data_json or {}).get("items", []))
            first = self.ledger.last_seq + 1
            receipt = {"first_seq": first, "last_seq": first + n - 1, "replayed": False}
            return 200, receipt, {}
        if self.attack == "retry-after" and path.startswith("pull"):
            return (
                429,
                {"error": "rate-limited", "message": "slow down"},
                {"retry-after": "2000000"},
            )
        if self.attack == "unknown-error" and path.startswith("pull"):
            return 400, {"error": "pay-now", "message": self.options["message"]}, {}
        if self.attack == "flood" and path.startswith("pull"):
            junk = [
                {
                    "seq": 10_000_000 + i,
                    "record_id": secrets.token_hex(16),
                    # Version 1, key 1, then noise: the shape of a real envelope (289 bytes).
                    "envelope": base64.b64encode(
                        b"\x01\x00\x00\x00\x01" + secrets.token_bytes(284)
                    ).decode(),
                }
                for i in range(500)
            ]
            page = {"items": junk, "next_since": junk[-1]["seq"], "more": True}
            return 200, {**page, "log_id": self.options["log_id"]}, {}
        return None

    def _pull(self, body: dict[str, Any], since: int) -> dict[str, Any]:
        items: list[dict[str, Any]] = body.get("items", [])
        if self.attack == "rollback-one":
            heads = self.ledger.heads()
            for item in items:
                old = self.ledger.oldest(item["record_id"])
                if item["record_id"] not in heads and old is not None:
                    item["envelope"] = old
        elif self.attack == "rollback-all":
            upto = self.options["upto"]
            body["log_id"] = self.fake_log_id
            # The log as it was at `upto`, plus only this device's own rows after it.
            own = [
                i for i in items if i["seq"] > upto and self.ledger.pusher(i["seq"]) == self.name
            ]
            old = [i for i in self.ledger.snapshot(upto) if i["seq"] > since]
            items = old + own
            body.update(items=items, next_since=items[-1]["seq"] if items else since, more=False)
        elif self.attack == "fork":
            items = [i for i in items if self.ledger.pusher(i["seq"]) in (self.name, None)]
            body.update(items=items, next_since=items[-1]["seq"] if items else since)
        elif self.attack == "swap" and len(items) >= 2:
            ids = self.options["records"]
            mine = [i for i in items if i["record_id"] in ids]
            if len(mine) == 2:
                mine[0]["envelope"], mine[1]["envelope"] = mine[1]["envelope"], mine[0]["envelope"]
        elif self.attack == "new-log-id":
            body["log_id"] = secrets.token_hex(16)
        elif self.attack == "odd-cursor":
            body["next_since"] = str(body.get("next_since")) + ".5"
        return body
