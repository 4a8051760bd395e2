"""The secret key (issue 19): 128 random bits mixed into the root key, carried by the pairing code
and the recovery kit, never sent. The server keeps a verifier it cannot test passphrase guesses
against; a server that asks for the old key schedule is refused; old accounts upgrade on unlock;
WebCrypto derives exactly the Python vectors."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import httpx
from playwright.sync_api import Page, Route, expect

from tests.server import refclient

from .conftest import Launch
from .test_sync import PASSPHRASE, SYNC_TIMEOUT_MS, capture, open_app, sync_app

__all__ = ["sync_app"]  # the module's server fixture, shared with test_sync.py's definition

VECTORS = Path(__file__).parents[1] / "server" / "vectors" / "followthrough-sync-v2-secret-key.json"

BROWSER_V2 = """async (v) => {
    const cc = await import('./static/js/crypto.js');
    const acct = cc.fromHex(v.account_id);
    const kdf = { alg: 'pbkdf2-sha256', iterations: v.iterations, seed: cc.toBase64(cc.fromHex(v.seed)), v: 2 };
    const secret = cc.fromHex(v.secret_key);
    const { authKey, kek } = await cc.deriveLoginKeys(v.passphrase, acct, kdf, v.label, secret);
    const rawDek = await crypto.subtle.importKey('raw', cc.fromHex(v.dek), 'AES-GCM', true, ['encrypt']);
    const wrapped = await cc.wrapDataKey(rawDek, kek, acct, 1, { iv: cc.fromHex(v.wrap_iv), label: v.label });
    const refuse = async (fn) => { try { await fn(); return null; } catch (e) { return e.code; } };
    const dek = await cc.unwrapDataKey(wrapped, kek, acct, 1, { label: v.label });
    const idKey = await cc.deriveIdKey(dek, acct, v.label);
    return {
        auth_key: cc.toHex(authKey), wrapped_dek: cc.toHex(wrapped),
        record_id: cc.toHex(await cc.keyedRecordId(idKey, 'people', 'p1', v.label)),
        id_key_extractable: idKey.extractable,
        without_secret: await refuse(() => cc.deriveLoginKeys(v.passphrase, acct, kdf, v.label)),
        downgrade: await refuse(() => cc.deriveLoginKeys(v.passphrase, acct, { ...kdf, v: 1 }, v.label, secret)),
    };
}"""


def turn_on(page: Page) -> str:
    """Sync turned on in the browser; returns the pairing code."""
    page.fill("#setup-passphrase", PASSPHRASE)
    page.fill("#setup-passphrase-again", PASSPHRASE)
    page.click("form[data-form=setup] button[type=submit]")
    page.get_by_test_id("kit-saved").click(timeout=SYNC_TIMEOUT_MS)
    page.locator("summary", has_text="Pair another device").click()
    return page.get_by_test_id("pairing-code").inner_text()


def read_code(page: Page, code: str) -> dict[str, str | None]:
    return page.evaluate(
        """async (code) => {
            const cc = await import('./static/js/crypto.js');
            const { readPairingCode } = await import('./static/js/sync/account.js');
            const { accountId, secretKey } = await readPairingCode(code);
            return { account_id: cc.toHex(accountId), secret_key: secretKey && cc.toHex(secretKey) };
        }""",
        code,
    )


def stored_account(database: Path, account_id: str) -> tuple[dict[str, Any], bytes]:
    with sqlite3.connect(database) as db:
        kdf, verifier = db.execute(
            "SELECT kdf, auth_verifier FROM accounts WHERE account_id = ?",
            (bytes.fromhex(account_id),),
        ).fetchone()
    return json.loads(kdf), bytes(verifier)


def test_webcrypto_mixes_in_the_secret_key_exactly_as_the_python_vectors(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    vector = json.loads(VECTORS.read_text())
    page = launch().new_page()
    page.goto(sync_app["url"])

    got = page.evaluate(BROWSER_V2, vector)

    assert got["auth_key"] == vector["auth_key"]
    assert got["wrapped_dek"] == vector["wrapped_dek"]
    assert got["record_id"] == vector["record_id_of_people_p1"]
    assert got["id_key_extractable"] is False
    assert got["without_secret"] == "need-secret-key"
    assert got["downgrade"] == "downgrade"


def test_the_server_cannot_test_a_passphrase_guess_without_the_secret_key(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    """Even told the right passphrase, the server's data does not confirm it: the verifier it
    holds matches only with the secret key, which is in the pairing code and never sent."""
    page = open_app(launch("secret-1"), sync_app["url"])
    capture(page, sync_app["url"], "Ada Keyedworth", "met at the library")
    page.goto(sync_app["url"] + "#sync")
    code = turn_on(page)
    found = read_code(page, code)
    account_id, secret = str(found["account_id"]), found["secret_key"]
    kdf, verifier = stored_account(sync_app["database"], account_id)
    pepper = bytes.fromhex(open_pepper(sync_app))

    def matches(secret_key: bytes | None) -> bool:
        keys = refclient.derive(
            PASSPHRASE,
            bytes.fromhex(account_id),
            refclient.unb64(kdf["seed"]),
            kdf["iterations"],
            secret_key=secret_key,
        )
        return hmac.compare_digest(
            hmac.new(pepper, keys.auth_key, hashlib.sha256).digest(), verifier
        )

    assert kdf["v"] == 2
    assert secret is not None
    assert len(secret) == 32
    assert len(code.replace("-", "")) == 55
    assert not matches(None)  # the offline guess a server could run before
    assert matches(bytes.fromhex(secret))
    # Records are named with keyed ids the server cannot compute, padded to size classes.
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    legacy = set(
        page.evaluate(
            """async () => {
                const cc = await import('./static/js/crypto.js');
                const store = await import('./static/js/store.js');
                const account = await store.get('sync_meta', 'account');
                const acct = cc.fromHex(account.account_id);
                const replicas = await store.getAll('sync_records');
                return Promise.all(replicas.map(async (r) => cc.toHex(await cc.recordIdOf(acct, r.store, r.id))));
            }"""
        )
    )
    with sqlite3.connect(sync_app["database"]) as db:
        rows = db.execute(
            "SELECT record_id, length(envelope) FROM changes WHERE account_id = ?",
            (bytes.fromhex(account_id),),
        ).fetchall()
    assert rows
    assert len(rows) == len(legacy)
    assert not {bytes(row[0]).hex() for row in rows} & legacy
    assert {size - 33 for _, size in rows} <= {1024, 2048, 4096, 8192}
    log = (sync_app["data"] / "server.log").read_text()
    assert secret not in log
    assert secret.upper() not in log


def test_a_server_asking_for_the_old_key_schedule_gets_no_verifier(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    context = launch("secret-2")
    page = open_app(context, url, "#sync")
    code = turn_on(page)
    laptop = open_app(launch("secret-3"), url, "#sync")
    sessions: list[str] = []

    def downgrade(route: Route) -> None:
        answer = route.fetch()
        body = answer.json()
        body["kdf"]["v"] = 1
        route.fulfill(response=answer, json=body)

    laptop.route("**/kdf", downgrade)
    laptop.on("request", lambda r: sessions.append(r.url) if r.url.endswith("/session") else None)
    laptop.locator("summary", has_text="joins sync").click()
    laptop.fill("#pair-code", code)
    laptop.fill("#pair-passphrase", PASSPHRASE)
    laptop.click("form[data-form=pair] button[type=submit]")

    expect(laptop.locator("form[data-form=pair] .error")).to_contain_text(
        "old key settings", timeout=SYNC_TIMEOUT_MS
    )
    assert sessions == []  # no auth key derived from the passphrase alone ever left


def test_an_account_from_before_the_secret_key_gets_one_at_its_next_unlock(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    """A version-1 account (made by the reference client, as the app made them before) is paired
    with its old short code; the device upgrades it to version 2 at once. The old device must then
    show the new pairing code, and the passphrase alone opens nothing any more."""
    url = sync_app["url"]
    account_id = bytes(range(0x30, 0x40))

    async def legacy(action: str) -> str:
        async with httpx.AsyncClient(base_url=url + "api") as http:
            device = refclient.Device(
                http=http, node="00000000000000aa", now_ms=lambda: int(time.time() * 1000)
            )
            try:
                if action == "create":
                    await device.create_account(PASSPHRASE, account_id=account_id)
                else:
                    await device.login(PASSPHRASE, account_id)
            except (refclient.ServerError, ValueError) as error:
                return type(error).__name__
            return "ok"

    assert in_thread(legacy, "create") == "ok"
    page = open_app(launch("secret-4"), url, "#sync")
    old_code = page.evaluate(
        "async (id) => { const cc = await import('./static/js/crypto.js');"
        " return cc.toCode(cc.fromHex(id)); }",
        account_id.hex(),
    )
    page.locator("summary", has_text="joins sync").click()
    page.fill("#pair-code", old_code)
    page.fill("#pair-passphrase", PASSPHRASE)
    page.click("form[data-form=pair] button[type=submit]")
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    page.locator("summary", has_text="Pair another device").click()
    new_code = page.get_by_test_id("pairing-code").inner_text()

    kdf, _ = stored_account(sync_app["database"], account_id.hex())
    assert kdf["v"] == 2
    assert len(new_code.replace("-", "")) == 55
    assert read_code(page, new_code)["account_id"] == account_id.hex()
    # The old client (no secret key) cannot sign in with the passphrase any more.
    assert in_thread(legacy, "login") == "ServerError"


def in_thread(function: Any, *args: Any) -> Any:
    """Run async code beside Playwright's own event loop (which owns this thread)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(anyio.run, function, *args).result()


def open_pepper(sync_app: dict[str, Any]) -> str:
    return str(sync_app["pepper"])
