"""The protocol's error answers: a kebab-case code, its HTTP status, words for a developer."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server.validation import Problem

STATUS = {
    "invalid-json": 400,
    "missing-token": 401,
    "invalid-token": 401,
    "passphrase-changed": 401,
    "bad-credentials": 401,
    "not-found": 404,
    "method-not-allowed": 405,
    "request-timeout": 408,
    "account-exists": 409,
    "key-epoch-mismatch": 409,
    "cursor-ahead": 409,
    "body-too-large": 413,
    "quota-exceeded": 413,
    "unsupported-media-type": 415,
    "invalid-request": 422,
    "weak-kdf": 422,
    "too-many-items": 422,
    "duplicate-record": 422,
    "envelope-too-large": 422,
    "invalid-envelope": 422,
    "unknown-key-id": 422,
    "based-on-future": 422,
    "keys-mismatch": 422,
    "too-many-subscriptions": 422,
    "too-many-messages": 422,
    "message-too-large": 422,
    "rate-limited": 429,
    "internal-error": 500,
    "storage-unavailable": 503,
    "server-busy": 503,
}


def error(
    code: str,
    message: str = "",
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JSONResponse:
    """The protocol's error body: {"error", "message", "field"} with the code's status."""
    body = {"error": code, "message": message or code.replace("-", " "), "field": field}
    return JSONResponse({**body, **(extra or {})}, status_code=STATUS[code], headers=headers)


def from_problem(problem: Problem) -> JSONResponse:
    return error(problem.code, problem.message, field=problem.field)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error("method-not-allowed")
    if exc.status_code == 404:
        return error("not-found")
    return JSONResponse(
        {"error": "http-error", "message": str(exc.detail), "field": None},
        status_code=exc.status_code,
    )


async def storage_error(request: Request, exc: Exception) -> Response:
    logging.getLogger("server").error("storage unavailable: %s", type(exc).__name__)
    return error("storage-unavailable", "the database does not answer; retry later")


async def client_gone(request: Request, exc: Exception) -> Response:
    """The client hung up mid-body: nobody reads this answer, and it is no server fault."""
    return Response(status_code=400, headers={"connection": "close"})


async def internal_error(request: Request, exc: Exception) -> Response:
    return error("internal-error", "the server failed; retry later")
