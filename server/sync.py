"""The sync endpoints: push envelopes onto an account's log, pull them back page by page."""

from __future__ import annotations

import base64

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import validation
from server.api import ApiBase
from server.credentials import b64
from server.errors import error, from_problem
from server.records import (
    BasedOnFutureError,
    CursorAheadError,
    PushItem,
    Quota,
    QuotaExceededError,
    Session,
)


class SyncEndpoints(ApiBase):
    async def sync_slot(self, session: Session) -> Response | None:
        """Count a push or pull against the account's rate, and refuse a third at once."""
        refused = await self.limited("syncs_per_account", session.account_id.hex())
        if refused:
            return refused
        if self.active.get(session.account_id, 0) >= self.limits.concurrent_syncs_per_account:
            return error(
                "rate-limited",
                "too many syncs at once for this account",
                headers={"Retry-After": "1"},
            )
        self.active[session.account_id] = self.active.get(session.account_id, 0) + 1
        return None

    def release(self, session: Session) -> None:
        left = self.active[session.account_id] - 1
        if left:
            self.active[session.account_id] = left
        else:
            del self.active[session.account_id]

    async def push(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        session = found[0]
        refused = await self.sync_slot(session)
        if refused:
            return refused
        try:
            return await self._push(request, session)
        finally:
            self.release(session)

    async def _push(self, request: Request, session: Session) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_push(body, session.key_ids, self.limits)
        if problem:
            return from_problem(problem)
        items = [
            PushItem(
                record_id=bytes.fromhex(item["record_id"]),
                based_on_seq=item["based_on_seq"],
                envelope=base64.b64decode(item["envelope"]),
            )
            for item in body["items"]
        ]
        try:
            result = await self.run(
                self.store.push,
                session.account_id,
                bytes.fromhex(body["batch_id"]),
                items,
                today=self.today().isoformat(),
                quota=Quota(bytes=self.limits.account_bytes, rows=self.limits.account_rows),
            )
        except QuotaExceededError:
            return error("quota-exceeded", "the account is full")
        except BasedOnFutureError:
            return error("based-on-future", "based_on_seq is beyond the log", field="items")
        return JSONResponse(
            {
                "first_seq": result.first_seq,
                "last_seq": result.last_seq,
                "replayed": result.replayed,
                "server_time": self.server_time(),
            }
        )

    async def pull(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        session = found[0]
        problem = validation.check_pull_query(request.query_params)
        if problem:
            return from_problem(problem)
        refused = await self.sync_slot(session)
        if refused:
            return refused
        since = int(request.query_params.get("since", "0"))
        limit = min(
            int(request.query_params.get("limit", self.limits.items_per_page)),
            self.limits.items_per_page,
        )
        try:
            page = await self.read(
                self.store.pull,
                session.account_id,
                since,
                limit=limit,
                max_bytes=self.limits.page_bytes,
            )
        except CursorAheadError:
            return error("cursor-ahead", "the cursor is beyond this log: pull from 0")
        finally:
            self.release(session)
        return JSONResponse(
            {
                "items": [
                    {
                        "seq": row.seq,
                        "record_id": row.record_id.hex(),
                        "envelope": b64(row.envelope),
                    }
                    for row in page.rows
                ],
                "next_since": page.rows[-1].seq if page.rows else since,
                "more": page.more,
                "log_id": session.log_id.hex(),
                "server_time": self.server_time(),
            }
        )
