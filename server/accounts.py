"""The account and session endpoints: create, sign in, recover, change the passphrase, sign out."""

from __future__ import annotations

import base64
import hmac
import json
import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from server import validation
from server.api import ApiBase
from server.credentials import FAKE_SEED_INFO, b64, canonical, verifier
from server.errors import error, from_problem
from server.records import Account, NewAccount, PassphraseChange, StorageError, WrappedKey


class AccountEndpoints(ApiBase):
    async def create_account(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_account_setup(body)
        if problem:
            return from_problem(problem)
        refused = await self.limited("accounts_per_client", self.client_key(request))
        if refused:
            return refused
        account_id = bytes.fromhex(body["account_id"])
        pepper = self.settings.pepper
        created = await self.run(
            self.store.create_account,
            NewAccount(
                account_id=account_id,
                kdf=canonical(body["kdf"]),
                auth_verifier=verifier(pepper, base64.b64decode(body["auth_key"])),
                recovery_verifier=verifier(pepper, base64.b64decode(body["recovery_auth_key"])),
                log_id=secrets.token_bytes(16),
                keys=tuple(
                    WrappedKey(
                        key_id=key["key_id"],
                        wrapped_dek=base64.b64decode(key["wrapped_dek"]),
                        recovery_wrapped_dek=base64.b64decode(key["recovery_wrapped_dek"]),
                    )
                    for key in body["keys"]
                ),
            ),
            today=self.today().isoformat(),
        )
        if not created:
            return error("account-exists", "this account id is taken")
        return await self.signed_in(account_id, status_code=201)

    async def signed_in(self, account_id: bytes, *, status_code: int = 200) -> Response:
        account = await self.read(self.store.get_account, account_id)
        if account is None:
            raise StorageError("the account vanished")
        session = await self.new_session(account_id, account.key_epoch)
        return JSONResponse({**session, "account": account_json(account)}, status_code=status_code)

    async def kdf(self, request: Request) -> Response:
        refused = await self.limited("kdf_lookups_per_client", self.client_key(request))
        if refused:
            return refused
        account_hex = request.path_params["account_id"]
        problem = validation.check_id(account_hex, "account_id")
        if problem:
            return from_problem(problem)
        account_id = bytes.fromhex(account_hex)
        account = await self.read(self.store.get_account, account_id)
        # Unknown ids get stable made-up parameters, so this endpoint is no account oracle.
        fake_seed = hmac.new(self.settings.pepper, FAKE_SEED_INFO + account_id, "sha256")
        if account is None:
            kdf: dict[str, Any] = {
                "alg": validation.KDF_ALG,
                "iterations": validation.KDF_MIN_ITERATIONS,
                "seed": b64(fake_seed.digest()),
                "v": validation.KDF_VERSION,
            }
        else:
            kdf = json.loads(account.kdf)
        return JSONResponse({"kdf": kdf})

    async def login(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_login(body)
        if problem:
            return from_problem(problem)
        account = await self.check_proof(request, body, "auth_key")
        if isinstance(account, Response):
            return account
        return await self.signed_in(account.account_id)

    async def recovery(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_login(body, "recovery_auth_key")
        if problem:
            return from_problem(problem)
        account = await self.check_proof(request, body, "recovery_auth_key")
        if isinstance(account, Response):
            return account
        return JSONResponse({"account": account_json(account)})

    async def get_account(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        account = await self.read(self.store.get_account, found[0].account_id)
        if account is None:
            return error("invalid-token", "sign in again")
        return JSONResponse({"account": account_json(account)})

    async def passphrase(self, request: Request) -> Response:
        body = await self.json_body(request)
        if isinstance(body, Response):
            return body
        problem = validation.check_passphrase_change(body)
        if problem:
            return from_problem(problem)
        account = await self.check_proof(request, body, validation.proof_field(body))
        if isinstance(account, Response):
            return account
        problem = validation.check_rewrap(
            [key["key_id"] for key in body["keys"]], [key.key_id for key in account.keys]
        )
        recovery = body.get("recovery")
        if problem is None and recovery is not None:
            problem = validation.check_rewrap(
                [key["key_id"] for key in recovery["keys"]], [key.key_id for key in account.keys]
            )
        if problem is None:
            problem = validation.check_rotation(
                [key["key_id"] for key in body["keys"]],
                [key["key_id"] for key in recovery["keys"]] if recovery is not None else None,
                [key.key_id for key in account.keys],
            )
        if problem:
            return from_problem(problem)
        pepper = self.settings.pepper
        new_epoch = await self.run(
            self.store.change_passphrase,
            PassphraseChange(
                account_id=account.account_id,
                expected_key_epoch=body["expected_key_epoch"],
                kdf=canonical(body["kdf"]),
                auth_verifier=verifier(pepper, base64.b64decode(body["new_auth_key"])),
                wrapped={k["key_id"]: base64.b64decode(k["wrapped_dek"]) for k in body["keys"]},
                recovery_verifier=(
                    verifier(pepper, base64.b64decode(recovery["recovery_auth_key"]))
                    if recovery
                    else None
                ),
                recovery_wrapped=(
                    {
                        k["key_id"]: base64.b64decode(k["recovery_wrapped_dek"])
                        for k in recovery["keys"]
                    }
                    if recovery
                    else None
                ),
            ),
        )
        if new_epoch is None:
            current = await self.read(self.store.get_account, account.account_id)
            return error(
                "key-epoch-mismatch",
                "the passphrase was changed meanwhile",
                extra={"key_epoch": current.key_epoch if current else None},
            )
        return await self.signed_in(account.account_id)

    async def logout(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        await self.run(self.store.delete_session, found[1])
        return Response(status_code=204)

    async def revoke_others(self, request: Request) -> Response:
        found = await self.session(request)
        if isinstance(found, Response):
            return found
        session, token_hash = found
        revoked = await self.run(self.store.delete_other_sessions, session.account_id, token_hash)
        return JSONResponse({"revoked": revoked})


def account_json(account: Account) -> dict[str, Any]:
    return {
        "account_id": account.account_id.hex(),
        "key_epoch": account.key_epoch,
        "log_id": account.log_id.hex(),
        "kdf": json.loads(account.kdf),
        "keys": [
            {
                "key_id": key.key_id,
                "wrapped_dek": b64(key.wrapped_dek),
                "recovery_wrapped_dek": b64(key.recovery_wrapped_dek),
            }
            for key in account.keys
        ],
    }
