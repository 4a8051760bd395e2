"""The protocol's error answers: a kebab-case code, its HTTP status, words for a developer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse

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
    "rate-limited": 429,
    "internal-error": 500,
    "storage-unavailable": 503,
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
