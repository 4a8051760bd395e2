"""Sync in Chromium: WebCrypto gives the design's vectors byte for byte, the page's clock rules
match the engine's, and two devices (phone, laptop) kept apart and edited offline end up with
the same data through a real server whose database holds none of the names typed."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from playwright.sync_api import BrowserContext, Page, expect

from tests.support.serving import serving, sync_env

from .conftest import Launch, idb, put_records, wait_engine_ready

LAPTOP = {"width": 1280, "height": 800}
PASSPHRASE = "orbit candle meadow fjord 1942"
SYNC_TIMEOUT_MS = 60_000

APPENDIX_A: dict[str, Any] = {
    "label": "jsn-sync/v1",
    "passphrase": "correct horse battery staple",
    "account_id": "00112233445566778899aabbccddeeff",
    "seed": "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    "kdf_salt": "1b5aeaaee451c7265a07e8779ab4bda2",
    "auth_key": "2b42ea0615a1db592937db5007f52895addcdaa0b81ffbd0056ea35d70b69954",
    "dek": "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f",
    "wrap_iv": "a0a1a2a3a4a5a6a7a8a9aaab",
    "wrapped_dek": "6b0a21b215f54a6a82dec735ff804ffde0a5636bdbf2c181cd6c33a6ff6d98489ba41787e35de284a8dd207c01af5cdf",
    "record_id": "0f0e0d0c0b0a09080706050403020100",
    "rec_iv": "b0b1b2b3b4b5b6b7b8b9babb",
    "plaintext": '{"f":{"name":["Ada Lovelace","2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"]},"t":"contact"}',
    "envelope": "0100000001b0b1b2b3b4b5b6b7b8b9babb4dd84c65a858ea60536078d83966bf77f25282d7e53ef15d8127ca7af9053fef26f87cc4e4d0261795542b37ec91a610e7d7d64f1b572728682c55fc308a3d5a71eac4f929e1a3402ba4b136630b60a457d12e0274de0316a547abc48aa5d43d4fd1916a73ed934b00ec325df6d64f007bbdc51315e8d3f47e2cab7707a40a51a47bde8f25fa7fd6672f22af72aa23f5f9f7fdc2d84a9fc6e0b45c17507ad42b208c65d9ec0fbd6364fb2dff9ecc505ab8531329e9c4c9fa6e1382797ce9a67da3f55e85ae12c302daa783930f47c584cec90edb5c499ffcaeb037c1ca2b29ce712112b93ac5726e29dcf4372e7708bf535bdcc0bfb9b120256b8837eb80525859a3a14c8aa6154e59bcc7e993331788",
}


def python_vectors(label: str) -> dict[str, Any]:
    """The key schedule of docs/sync-protocol.md §2 computed with `cryptography`."""
    v = APPENDIX_A

    def hkdf(ikm: bytes, info: bytes) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"", info=info).derive(ikm)

    pw = unicodedata.normalize("NFKC", v["passphrase"]).encode()
    acct, seed = bytes.fromhex(v["account_id"]), bytes.fromhex(v["seed"])
    salt = hashlib.sha256(f"{label}/kdf-salt".encode() + b"\0" + acct + seed).digest()[:16]
    root = hashlib.pbkdf2_hmac("sha256", pw, salt, 600_000, 32)
    key_id = (1).to_bytes(4, "big")
    dek = bytes.fromhex(v["dek"])
    wrapped = AESGCM(hkdf(root, f"{label}/kek".encode() + b"\0" + acct)).encrypt(
        bytes.fromhex(v["wrap_iv"]), dek, f"{label}/dek".encode() + b"\0" + acct + key_id
    )
    recovery_key = bytes(range(0x40, 0x60))
    rid, iv = bytes.fromhex(v["record_id"]), bytes.fromhex(v["rec_iv"])
    aad = f"{label}/rec".encode() + b"\0" + acct + rid + key_id
    padded = v["plaintext"].encode() + b"\x80"
    padded += b"\0" * (-len(padded) % 256)
    return {
        "kdf_salt": salt.hex(),
        "auth_key": hkdf(root, f"{label}/auth".encode() + b"\0" + acct).hex(),
        "wrapped_dek": wrapped.hex(),
        "recovery_auth_key": hkdf(
            recovery_key, f"{label}/recovery-auth".encode() + b"\0" + acct
        ).hex(),
        "recovery_wrapped_dek": AESGCM(
            hkdf(recovery_key, f"{label}/recovery".encode() + b"\0" + acct)
        )
        .encrypt(bytes.fromhex(v["wrap_iv"]), dek, f"{label}/dek".encode() + b"\0" + acct + key_id)
        .hex(),
        "envelope": (b"\x01" + key_id + iv + AESGCM(dek).encrypt(iv, padded, aad)).hex(),
        "record_id_of_people_p1": hashlib.sha256(
            f"{label}/record-id".encode() + b"\0" + acct + b"people\0p1"
        )
        .digest()[:16]
        .hex(),
    }


BROWSER_VECTORS = """async ({v, label}) => {
    const cc = await import('./static/js/crypto.js');
    const acct = cc.fromHex(v.account_id);
    const kdf = { alg: 'pbkdf2-sha256', iterations: 600000, seed: cc.toBase64(cc.fromHex(v.seed)), v: 1 };
    const salt = await cc.kdfSalt(acct, cc.fromHex(v.seed), label);
    const { authKey, kek } = await cc.deriveLoginKeys(v.passphrase, acct, kdf, label);
    const rawDek = await crypto.subtle.importKey('raw', cc.fromHex(v.dek), 'AES-GCM', true, ['encrypt', 'decrypt']);
    const wrapped = await cc.wrapDataKey(rawDek, kek, acct, 1, { iv: cc.fromHex(v.wrap_iv), label });
    const dek = await cc.unwrapDataKey(wrapped, kek, acct, 1, { label });
    const recovery = await cc.deriveRecoveryKeys(cc.fromHex('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f'), acct, label);
    const recoveryWrapped = await cc.wrapDataKey(rawDek, recovery.rkKek, acct, 1, { iv: cc.fromHex(v.wrap_iv), label });
    const plaintext = new TextEncoder().encode(v.plaintext);
    const rid = cc.fromHex(v.record_id);
    const envelope = await cc.encryptRecord(dek, 1, acct, rid, plaintext, { iv: cc.fromHex(v.rec_iv), label, classes: false });
    const opened = new TextDecoder().decode(await cc.decryptRecord(new Map([[1, dek]]), acct, rid, envelope, label));
    const refuse = async (fn) => { try { await fn(); return null; } catch (e) { return e.code; } };
    const flipped = envelope.slice(); flipped[40] ^= 1;
    const wrong = await cc.deriveLoginKeys(v.passphrase + 'r', acct, kdf, label);
    return {
        kdf_salt: cc.toHex(salt), auth_key: cc.toHex(authKey),
        wrapped_dek: cc.toHex(wrapped.subarray(12)), recovery_auth_key: cc.toHex(recovery.recoveryAuthKey),
        recovery_wrapped_dek: cc.toHex(recoveryWrapped.subarray(12)), envelope: cc.toHex(envelope),
        record_id_of_people_p1: cc.toHex(await cc.recordIdOf(acct, 'people', 'p1', label)),
        dek_extractable: dek.extractable, kek_extractable: kek.extractable, opened,
        flipped: await refuse(() => cc.decryptRecord(new Map([[1, dek]]), acct, rid, flipped, label)),
        other_record: await refuse(() => cc.decryptRecord(new Map([[1, dek]]), acct, cc.fromHex(v.account_id), envelope, label)),
        wrong_passphrase: await refuse(() => cc.unwrapDataKey(wrapped, wrong.kek, acct, 1, { label })),
    };
}"""


@pytest.fixture(scope="module")
def sync_app(dist_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The app and the sync API from one `build.py serve` process, on a database of our own."""
    data = tmp_path_factory.mktemp("sync-server")
    database = data / "sync.sqlite3"
    env = sync_env(database)
    with serving(dist_dir, env=env, log=data / "server.log") as url:
        yield {
            "url": url,
            "database": database,
            "data": data,
            "pepper": env["FOLLOWTHROUGH_PEPPER"],
        }


PIPELINE_PAGES = """async () => {
    const store = await import('./static/js/store.js');
    const sync = (await import('./static/js/sync/index.js')).startSync(null);
    const person = (id, name, stamp) => ({ t: 'people', i: id, v: 1, f: Object.fromEntries(Object.entries({
        name, organisation: '', role: '', emails: [], phones: [], urls: [], notes: '', how_met: '',
        event_id: null, created_at: '2030-01-01T00:00:00+00:00', updated_at: '2030-01-01T00:00:00+00:00',
    }).map(([k, v]) => [k, [v, stamp]])) });
    const pages = [
        [person('pipeline-1', 'Zed One', '2030-01-01T00:00:00.000Z-0000-00000000000000a1')],
        [person('pipeline-1', 'Zed Two', '2030-01-01T00:00:01.000Z-0000-00000000000000b2')],
        [person('pipeline-2', 'Yara', '2030-01-01T00:00:02.000Z-0000-00000000000000c3')],
    ];
    const saved = await store.get('sync_meta', 'cursor');
    await store.commit({ put: { sync_meta: [{ ...saved, since: 1_000_000 }] } });
    const { fetchPage, applyPage } = sync;
    let applied = 0;
    sync.applyPage = async (...args) => { applied++; return applyPage.apply(sync, args); };
    sync.fetchPage = async (account, keys, since) => {
        const n = since - 1_000_000;
        const ok = pages[n].map((state, i) => ({ seq: since + 1 + i, key: `people/${state.i}`, state }));
        return { page: { next_since: since + 1, more: n + 1 < pages.length, log_id: saved.log_id }, states: { ok, rejected: [] } };
    };
    try {
        const account = await store.get('sync_meta', 'account');
        await sync.pullPages(account, await sync.keysOf(account));
    } finally {
        sync.fetchPage = fetchPage;
        sync.applyPage = applyPage;
    }
    const since = (await store.get('sync_meta', 'cursor')).since;
    await store.commit({ put: { sync_meta: [saved] } });
    const names = {};
    for (const id of ['pipeline-1', 'pipeline-2']) names[id] = (await store.get('people', id))?.name;
    return { names, since, applied };
}"""


def open_app(context: BrowserContext, url: str, hash_: str = "") -> Page:
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(url + hash_)
    wait_engine_ready(page)
    return page


def capture(page: Page, url: str, name: str, context_line: str = "") -> None:
    page.goto(url + "#capture")
    page.fill("#capture-name", name)
    page.fill("#capture-context", context_line)
    before = len(idb(page, "people"))
    page.click("#capture-form button[type=submit]")
    page.wait_for_function(
        "async (n) => (await (await import('./static/js/store.js')).getAll('people')).length > n",
        arg=before,
    )


def edit_person(page: Page, pid: str, **fields: object) -> None:
    """An edit of the whole record, saved and stamped by the engine as the app's edits are."""
    person = page.evaluate(
        "async (pid) => (await import('./static/js/store.js')).get('people', pid)", pid
    )
    updated = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    put_records(page, {"people": [{**person, **fields, "updated_at": updated}]})


def sync_now(page: Page, url: str) -> None:
    """One full sync on the sync screen, awaited (the screen's own sync, with the real engine)."""
    if "#sync" not in page.url:
        page.goto(url + "#sync")
    expect(page.get_by_test_id("sync-now")).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    page.evaluate(
        "async () => (await import('./static/js/sync/index.js')).startSync(null).syncNow()"
    )
    expect(page.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )


def people_by_name(page: Page) -> dict[str, dict[str, Any]]:
    return {str(p["name"]): p for p in idb(page, "people")}


# --- Crypto and clocks --------------------------------------------------------------------------


def test_webcrypto_gives_the_appendix_a_vectors_byte_for_byte(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    page = launch().new_page()
    page.goto(sync_app["url"])

    got = page.evaluate(BROWSER_VECTORS, {"v": APPENDIX_A, "label": APPENDIX_A["label"]})

    for name in ("kdf_salt", "auth_key", "wrapped_dek", "envelope"):
        assert got[name] == APPENDIX_A[name], name
    assert got["opened"] == APPENDIX_A["plaintext"]
    assert got["dek_extractable"] is False
    assert got["kek_extractable"] is False
    assert got["flipped"] == "tampered"
    assert got["other_record"] == "tampered"
    assert got["wrong_passphrase"] == "unwrap-failed"


def test_webcrypto_and_python_cryptography_agree_on_our_label(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    page = launch().new_page()
    page.goto(sync_app["url"])

    got = page.evaluate(BROWSER_VECTORS, {"v": APPENDIX_A, "label": "followthrough-sync/v1"})
    expected = python_vectors("followthrough-sync/v1")

    assert python_vectors("jsn-sync/v1")["envelope"] == APPENDIX_A["envelope"]
    for name, value in expected.items():
        assert got[name] == value, name
    assert got["envelope"] != APPENDIX_A["envelope"]


# --- Two devices --------------------------------------------------------------------------------


def test_phone_and_laptop_edited_offline_converge_through_a_server_that_cannot_read_them(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    phone_context = launch("phone")
    laptop_context = launch("laptop", viewport=LAPTOP)
    phone = open_app(phone_context, url)
    laptop = open_app(laptop_context, url)

    # The phone has data before sync exists; sync is turned on there.
    capture(phone, url, "Ada Quillfeather", "Canary-note-phone-1")
    capture(phone, url, "Dmitri Vantablack", "to be deleted")
    phone.goto(url + "#sync")
    phone.fill("#setup-passphrase", PASSPHRASE)
    phone.fill("#setup-passphrase-again", PASSPHRASE)
    expect(phone.locator("form[data-form=setup] .sync-strength")).to_contain_text("Strength")
    phone.click("form[data-form=setup] button[type=submit]")
    kit = phone.get_by_test_id("recovery-kit")
    expect(kit).to_be_visible(timeout=SYNC_TIMEOUT_MS)
    # The recovery key and the account's secret key, with a checksum: 50 bytes in base32.
    assert len(kit.inner_text().replace("-", "")) == 80
    phone.get_by_test_id("kit-saved").click()
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    phone.locator("summary", has_text="Pair another device").click()
    code = phone.get_by_test_id("pairing-code").inner_text()

    # The laptop pairs with the code and the passphrase, and gets the phone's people.
    laptop.goto(url + "#sync")
    laptop.locator("summary", has_text="joins sync").click()
    laptop.fill("#pair-code", code.lower())
    laptop.fill("#pair-passphrase", PASSPHRASE)
    laptop.click("form[data-form=pair] button[type=submit]")
    expect(laptop.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    assert {"Ada Quillfeather", "Dmitri Vantablack"} <= set(people_by_name(laptop))

    # Both go offline and edit: new people, different fields of Ada, a delete.
    phone_context.set_offline(True)
    laptop_context.set_offline(True)
    ada_id = str(people_by_name(phone)["Ada Quillfeather"]["id"])
    dmitri_id = str(people_by_name(laptop)["Dmitri Vantablack"]["id"])
    capture(phone, url, "Beatrix Oyelaran-Canary", "met at the meetup")
    edit_person(phone, ada_id, role="Head of sales", tags=["mentor"])
    capture(laptop, url, "Cyrus Wexley-Canary", "coffee next week")
    edit_person(laptop, ada_id, organisation="Analytical Engines Ltd", tags=["media"])
    put_records(laptop, {}, delete={"people": [dmitri_id]})
    laptop.goto(url + "#sync")
    expect(laptop.get_by_test_id("sync-status")).to_contain_text("waiting", timeout=SYNC_TIMEOUT_MS)

    # Back online: each syncs (the phone twice, to get the laptop's later push).
    phone_context.set_offline(False)
    laptop_context.set_offline(False)
    sync_now(phone, url)
    sync_now(laptop, url)
    sync_now(phone, url)

    on_phone, on_laptop = people_by_name(phone), people_by_name(laptop)
    assert (
        set(on_phone)
        == set(on_laptop)
        == {
            "Ada Quillfeather",
            "Beatrix Oyelaran-Canary",
            "Cyrus Wexley-Canary",
        }
    )
    for name in on_phone:
        assert on_phone[name] == on_laptop[name], name
    ada = on_phone["Ada Quillfeather"]
    assert ada["role"] == "Head of sales"
    assert ada["organisation"] == "Analytical Engines Ltd"
    assert sorted(ada["tags"]) == ["media", "mentor"]

    # A third device reads the log one record per page: pages are merged while earlier ones
    # are written, and it ends up with what the other two have.
    tablet = open_app(launch("tablet-pages"), url, "#sync")
    tablet.evaluate(
        """async ({code, passphrase}) => {
            const sync = (await import('./static/js/sync/index.js')).startSync(null);
            sync.pageLimit = 1;
            await sync.pair({ code, passphrase });
        }""",
        {"code": code, "passphrase": PASSPHRASE},
    )
    assert people_by_name(tablet) == people_by_name(phone)

    # Two versions of one record on consecutive pages (the second is fetched while the first is
    # written): the later one wins, nothing is lost, the cursor ends after the last page.
    result = tablet.evaluate(PIPELINE_PAGES)
    assert result["names"]["pipeline-1"] == "Zed Two"
    assert result["names"]["pipeline-2"] == "Yara"
    assert result["since"] == 1_000_003
    # Each page is read, merged and written by the worker in one step: never merged twice.
    assert result["applied"] == 3

    # "Sync now" on the screen runs a sync and says so.
    phone.get_by_test_id("sync-now").click()
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )

    # The app shows it: the laptop, reopened, lists the phone's capture.
    laptop.goto(url + "#capture")
    laptop.reload()
    wait_engine_ready(laptop)
    expect(laptop.locator("#recent-list")).to_contain_text("Beatrix Oyelaran-Canary")

    # The server holds only ciphertext: none of the names or notes typed, in any of its files.
    stored = b"".join(p.read_bytes() for p in Path(sync_app["data"]).iterdir() if p.is_file())
    for canary in (
        "Quillfeather",
        "Vantablack",
        "Oyelaran",
        "Wexley",
        "Canary",
        "Head of sales",
        "Analytical",
    ):
        assert canary.encode() not in stored, canary
        assert canary.encode("utf-16-le") not in stored, canary
    assert len(stored) > 0


def test_a_passphrase_changed_on_one_device_is_asked_for_on_the_other_and_nothing_is_lost(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    phone = open_app(launch("phone2"), url, "#sync")
    phone.fill("#setup-passphrase", PASSPHRASE)
    phone.fill("#setup-passphrase-again", PASSPHRASE)
    phone.click("form[data-form=setup] button[type=submit]")
    phone.get_by_test_id("kit-saved").click(timeout=SYNC_TIMEOUT_MS)
    phone.locator("summary", has_text="Pair another device").click()
    code = phone.get_by_test_id("pairing-code").inner_text()
    laptop_context = launch("laptop2", viewport=LAPTOP)
    laptop = open_app(laptop_context, url, "#sync")
    laptop.locator("summary", has_text="joins sync").click()
    laptop.fill("#pair-code", code)
    laptop.fill("#pair-passphrase", PASSPHRASE)
    laptop.click("form[data-form=pair] button[type=submit]")
    expect(laptop.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )

    # The laptop edits offline while the phone changes the passphrase.
    laptop_context.set_offline(True)
    capture(laptop, url, "Eun-ji Marchetti")
    new_passphrase = "quartz lantern tundra ferry 77"
    phone.locator("summary", has_text="Change the passphrase").click()
    phone.fill("#change-current", PASSPHRASE)
    phone.fill("#change-new", new_passphrase)
    phone.fill("#change-new-again", new_passphrase)
    phone.click("form[data-form=change] button[type=submit]")
    expect(phone.locator(".sync-done")).to_be_visible(timeout=SYNC_TIMEOUT_MS)

    laptop_context.set_offline(False)
    laptop.goto(url + "#sync")  # opening the screen syncs, and meets the change
    expect(laptop.locator("#unlock-heading")).to_have_text(
        "Passphrase changed on another device", timeout=SYNC_TIMEOUT_MS
    )
    laptop.fill("#unlock-passphrase", new_passphrase)
    laptop.click("form[data-form=unlock] button[type=submit]")
    expect(laptop.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    sync_now(phone, url)

    assert "Eun-ji Marchetti" in people_by_name(phone)


def test_the_pairing_code_is_checked_and_a_wrong_passphrase_is_told_apart(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    page = launch("wrong").new_page()
    page.goto(sync_app["url"] + "#sync")
    page.locator("summary", has_text="joins sync").click()

    code = page.evaluate(
        # An account id and a secret key, as pairing codes carry since the secret key.
        "async () => (await import('./static/js/crypto.js')).toCode(crypto.getRandomValues(new Uint8Array(32)))"
    )
    typo = ("1" if code[0] != "1" else "2") + code[1:]
    page.fill("#pair-code", typo)
    page.fill("#pair-passphrase", PASSPHRASE)
    page.click("form[data-form=pair] button[type=submit]")
    expect(page.locator("form[data-form=pair] .error")).to_contain_text("typo")

    page.fill("#pair-code", code)
    page.click("form[data-form=pair] button[type=submit]")
    expect(page.locator("form[data-form=pair] .error")).to_contain_text(
        "not right", timeout=SYNC_TIMEOUT_MS
    )
    assert idb(page, "sync_meta") == [] or all(r["id"] != "account" for r in idb(page, "sync_meta"))
    assert json.dumps(idb(page, "sync_outbox")) == "[]"


def test_the_recovery_kit_restores_access_on_a_new_device_after_a_forgotten_passphrase(
    launch: Launch, sync_app: dict[str, Any]
) -> None:
    url = sync_app["url"]
    phone = open_app(launch("phone3"), url)
    capture(phone, url, "Folasade Okonkwo-Canary")
    phone.goto(url + "#sync")
    phone.fill("#setup-passphrase", PASSPHRASE)
    phone.fill("#setup-passphrase-again", PASSPHRASE)
    phone.click("form[data-form=setup] button[type=submit]")
    kit = phone.get_by_test_id("recovery-kit").inner_text(timeout=SYNC_TIMEOUT_MS)
    phone.get_by_test_id("kit-saved").click()
    expect(phone.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )
    phone.locator("summary", has_text="Recovery kit").click()
    phone.get_by_role("button", name="Show the recovery kit").click()
    expect(phone.get_by_test_id("recovery-kit")).to_have_text(kit)
    phone.locator("summary", has_text="Pair another device").click()
    code = phone.get_by_test_id("pairing-code").inner_text()

    tablet = open_app(launch("tablet"), url, "#sync")
    tablet.locator("summary", has_text="recovery kit").click()
    tablet.fill("#recover-code", code)
    tablet.fill("#recover-kit", "0" + kit[1:] if kit[0] != "0" else "1" + kit[1:])
    tablet.fill("#recover-passphrase", "new passphrase for the tablet")
    tablet.fill("#recover-passphrase-again", "new passphrase for the tablet")
    tablet.click("form[data-form=recover] button[type=submit]")
    expect(tablet.locator("form[data-form=recover] .error")).to_contain_text("typo")
    tablet.fill("#recover-kit", kit.lower())
    tablet.click("form[data-form=recover] button[type=submit]")
    expect(tablet.get_by_test_id("sync-status")).to_have_text(
        "Synced just now.", timeout=SYNC_TIMEOUT_MS
    )

    assert "Folasade Okonkwo-Canary" in people_by_name(tablet)
    phone.reload()
    expect(phone.locator("#unlock-heading")).to_have_text(
        "Passphrase changed on another device", timeout=SYNC_TIMEOUT_MS
    )
