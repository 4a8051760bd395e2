"""What a heavy user costs on the sync server's disk, on SQLite and PostgreSQL.

Seals the heavy user's records (bench/heavy.py: 5,000 people, 20,000 interactions, ...) the way
the app does: the engine's `stamp` makes each record's sync state, padded to the app's size
classes (1/2/4 KiB, crypto.js `sizeClass`) and sealed with AES-GCM into a version 1 envelope.
Pushes them through the store API (`ChangeStore.push`, 500 items a batch, as the client does),
then edits some records one push at a time (each edit supersedes the record's older version).
Prints the envelope bytes, the database bytes as served, after a checkpoint and after a vacuum,
where the bytes go (tables, indexes, free pages) and the ratio database / envelope bytes
(goal <= 1.5).

    python bench/bench_storage.py [--seed 1] [--edits 20000] [--pad 256] [--skip-postgres]

Not a test. PostgreSQL 15 is started in a temporary directory (as `postgres` when root).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "web" / "py"), str(ROOT / "bench")]

from followup import hlc  # noqa: E402
from followup.sync import KEY_OF, SYNCED_META, plaintext, stamp  # noqa: E402
from heavy import NOW, make_heavy  # noqa: E402

from server.records import ChangeStore, NewAccount, PushItem, Quota, WrappedKey  # noqa: E402
from server.settings import Limits  # noqa: E402
from tests.server.refclient.envelope import record_aad  # noqa: E402

PAD_BLOCK = 256
MAX_ENVELOPE = 65_536
HEADER = 1 + 4 + 12
TODAY = NOW.date().isoformat()
QUOTA = Quota(bytes=1 << 40, rows=1 << 30)
PUSH_ITEMS = 500
BATCH_DAYS = Limits().batch_days
WAL_PROBE = 50  # one-record pushes whose WAL bytes are measured


def size_class(length: int) -> int:
    """crypto.js `sizeClass`: 1, 2, 4 KiB, then multiples of 4 KiB."""
    needed = length + 1
    for size in (1024, 2048, 4096):
        if needed <= size:
            return size
    classed = -(-needed // 4096) * 4096
    return classed if classed + HEADER + 16 <= MAX_ENVELOPE else -(-needed // PAD_BLOCK) * PAD_BLOCK


def pad(text: bytes, block: int | None) -> bytes:
    length = size_class(len(text)) if block is None else -(-(len(text) + 1) // block) * block
    return text + b"\x80" + b"\0" * (length - len(text) - 1)


@dataclass(frozen=True)
class Sealed:
    record_id: bytes
    envelope: bytes
    state: bytes  # the plaintext, kept to reseal an edit


class Sealer:
    def __init__(self, account_id: bytes, block: int | None) -> None:
        self.account_id = account_id
        self.block = block
        self._dek = AESGCM(secrets.token_bytes(32))
        self._id_key = secrets.token_bytes(32)

    def record_id(self, store: str, key: str) -> bytes:
        message = b"followthrough-sync/v1/record-id\0" + f"{store}\0{key}".encode()
        return hmac.new(self._id_key, message, hashlib.sha256).digest()[:16]

    def seal(self, record_id: bytes, text: bytes) -> Sealed:
        iv = secrets.token_bytes(12)
        aad = record_aad(self.account_id, record_id, 1)
        body = self._dek.encrypt(iv, pad(text, self.block), aad)
        return Sealed(record_id, b"\x01" + (1).to_bytes(4, "big") + iv + body, text)


def heavy_envelopes(sealer: Sealer, seed: int) -> list[Sealed]:
    """Every synced record of the heavy user, sealed as the app seals it."""
    data = make_heavy(seed)
    clock = hlc.Clock(int(NOW.timestamp() * 1000), 0, secrets.token_hex(8))
    now_ms = clock.millis
    out = []
    for store, records in data.items():
        if store not in KEY_OF:
            continue
        key_field = KEY_OF[store]
        for record in records:
            key = str(record[key_field])
            if store == "meta" and key not in SYNCED_META:
                continue
            replica, _, clock = stamp(None, store, key, record, {}, clock, now_ms)
            out.append(sealer.seal(sealer.record_id(store, key), plaintext(replica)))
    return out


class Account:
    """One account's log in a store: the import, then edits, with the envelope bytes it holds."""

    def __init__(self, store: ChangeStore, sealer: Sealer, sealed: list[Sealed]) -> None:
        self.store, self.sealer, self.sealed = store, sealer, sealed
        self.seq_of: dict[bytes, int] = {}
        self.held: dict[bytes, int] = {}
        self._rng = secrets.SystemRandom()
        store.create_account(
            NewAccount(
                account_id=sealer.account_id,
                kdf='{"v":2}',
                auth_verifier=secrets.token_bytes(32),
                recovery_verifier=secrets.token_bytes(32),
                log_id=secrets.token_bytes(16),
                keys=(WrappedKey(key_id=1, wrapped_dek=b"w" * 60, recovery_wrapped_dek=b"r" * 60),),
            ),
            today=TODAY,
        )

    def _push(self, sealed: list[Sealed]) -> None:
        items = [
            PushItem(
                record_id=s.record_id,
                based_on_seq=self.seq_of.get(s.record_id, 0),
                envelope=s.envelope,
            )
            for s in sealed
        ]
        result = self.store.push(
            self.sealer.account_id, secrets.token_bytes(16), items, today=TODAY, quota=QUOTA
        )
        for offset, s in enumerate(sealed):
            self.seq_of[s.record_id] = result.first_seq + offset
            self.held[s.record_id] = len(s.envelope)

    def import_all(self) -> None:
        """Every record, in batches of 500."""
        for start in range(0, len(self.sealed), PUSH_ITEMS):
            self._push(self.sealed[start : start + PUSH_ITEMS])

    def edit(self, count: int) -> None:
        """`count` pushes of one record each, a record picked at random, resealed."""
        for _ in range(count):
            old = self._rng.choice(self.sealed)
            self._push([self.sealer.seal(old.record_id, old.state)])

    @property
    def bytes_held(self) -> int:
        return sum(self.held.values())


# --- Measuring ----------------------------------------------------------------------------------


Row = tuple[str, int]


def sqlite_files(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.iterdir() if p.name.startswith(path.name))


def sqlite_where(path: Path) -> list[Row]:
    """Bytes per table and index (dbstat), and the free pages."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        page = int(db.execute("PRAGMA page_size").fetchone()[0])
        rows = [
            (str(name), int(pages) * page)
            for name, pages in db.execute(
                "SELECT name, count(*) FROM dbstat GROUP BY name ORDER BY 2 DESC"
            )
        ]
        free = int(db.execute("PRAGMA freelist_count").fetchone()[0]) * page
        unused = int(
            db.execute("SELECT sum(unused) FROM dbstat WHERE name = 'changes'").fetchone()[0]
        )
    return [
        *rows,
        ("(free pages)", free),
        (f"(unused bytes inside changes' pages, {page} B pages)", unused),
    ]


def measure_sqlite(
    work: Path, sealer: Sealer, sealed: list[Sealed], edits: int, page_size: int | None
) -> dict[str, Any]:
    from server.sqlite_store import SqliteStore

    path = work / "sync.sqlite3"
    if page_size:  # before the store makes the file: a WAL database keeps its page size
        with contextlib.closing(sqlite3.connect(path)) as db:
            db.execute(f"PRAGMA page_size = {page_size}")
            db.execute("PRAGMA journal_mode = WAL")
    store = SqliteStore(path)
    account = Account(store, sealer, sealed)
    account.import_all()
    account.edit(edits)
    out: dict[str, Any] = {
        "held": account.bytes_held,
        "as served (db + wal + shm)": sqlite_files(path),
    }
    # What one more one-record push writes to the WAL (pages touched x page size), and its time.
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    started = time.perf_counter()
    account.edit(WAL_PROBE)
    out["push_ms"] = (time.perf_counter() - started) * 1000 / WAL_PROBE
    out["wal_per_push"] = (path.parent / (path.name + "-wal")).stat().st_size // WAL_PROBE
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out["after wal_checkpoint(TRUNCATE)"] = sqlite_files(path)
    out["where"] = sqlite_where(path)
    store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    out["after VACUUM"] = sqlite_files(path)
    return out


def postgres_sizes(url: str) -> list[Row]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        rows = db.execute(
            "SELECT c.relname, pg_relation_size(c.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')"
            " UNION ALL SELECT 'toast of ' || c.relname,"
            " pg_total_relation_size(c.reltoastrelid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.reltoastrelid <> 0"
            " ORDER BY 2 DESC"
        ).fetchall()
    return [(str(name), int(size)) for name, size in rows if size]


def measure_postgres(url: str, sealer: Sealer, sealed: list[Sealed], edits: int) -> dict[str, Any]:
    import psycopg

    from server.postgres_store import PostgresStore

    store = PostgresStore(url)
    account = Account(store, sealer, sealed)
    account.import_all()
    account.edit(edits)
    store.close()
    out: dict[str, Any] = {
        "held": account.bytes_held,
        "as served": sum(s for _, s in postgres_sizes(url)),
    }
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM")
    out["where"] = postgres_sizes(url)
    out["after VACUUM"] = sum(s for _, s in out["where"])
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM FULL")
    out["after VACUUM FULL"] = sum(s for _, s in postgres_sizes(url))
    return out


@contextlib.contextmanager
def postgres_url() -> Iterator[str]:
    import psycopg

    from tests.server.conftest import start_postgres, stop_postgres

    cluster = start_postgres(fsync=False)  # sizes do not depend on fsync
    try:
        # The bench's months of edits take a minute: autovacuum looks every second, not every
        # minute, so that what decides when it runs is the tables' thresholds, as on a server.
        with psycopg.connect(cluster.admin_url, autocommit=True) as db:
            db.execute("ALTER SYSTEM SET autovacuum_naptime = '1s'")
            db.execute("SELECT pg_reload_conf()")
        yield cluster.new_database()
    finally:
        stop_postgres(cluster)


# --- Printing -----------------------------------------------------------------------------------


def table(title: str, result: dict[str, Any], records: int) -> None:
    held = result["held"]
    print(f"{title}: envelopes held {held:,} B = {held / records:,.0f} B/record")
    print(f"  {'':44} {'bytes':>12} {'B/record':>9} {'x envelope':>10}")
    for label, value in result.items():
        if isinstance(value, int) and label not in ("held", "wal_per_push"):
            print(f"  {label:44} {value:>12,} {value / records:>9,.0f} {value / held:>10.2f}")
    if "wal_per_push" in result:
        print(
            f"  one more one-record push writes {result['wal_per_push']:,} B to the WAL"
            f" ({result['push_ms']:.1f} ms each, {WAL_PROBE} in a row)"
        )
    print("  where (after checkpoint / VACUUM):")
    small = 0
    for name, size in result["where"]:
        if size < records:  # under a byte a record: the other tables, lumped together
            small += size
            continue
        print(f"    {name:42} {size:>12,} {size / records:>9,.0f}")
    print(f"    {'(the other tables and indexes)':42} {small:>12,} {small / records:>9,.0f}")
    batches = sum(size for name, size in result["where"] if "batches" in name)
    print(
        f"  of which batch ids (one per push, kept {BATCH_DAYS} days): {batches:,} B ="
        f" {batches / records:,.0f} B/record; the rest / envelope bytes ="
        f" {(result['after VACUUM'] - batches) / held:.2f}"
    )


def machine_load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="the heavy user's seed")
    parser.add_argument(
        "--edits", type=int, default=20000, help="single-record edits pushed after the import"
    )
    parser.add_argument(
        "--pad",
        type=int,
        default=None,
        help="pad to multiples of this many bytes instead of the app's size classes",
    )
    parser.add_argument(
        "--page-size", type=int, default=None, help="SQLite: make the new file with this page size"
    )
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    account_id = secrets.token_bytes(16)
    sealer = Sealer(account_id, args.pad)
    sealed = heavy_envelopes(sealer, args.seed)
    records = len(sealed)
    plain = sum(len(s.state) for s in sealed)
    sizes = Counter(len(s.envelope) for s in sealed)
    print(machine_load())
    print(
        f"{records:,} records; plaintext {plain / records:,.0f} B/record; padding "
        f"{'size classes 1/2/4 KiB' if args.pad is None else f'{args.pad}-byte blocks'}; "
        "envelope sizes: "
        + ", ".join(f"{size:,} B x {count:,}" for size, count in sorted(sizes.items()))
    )
    print(f"then {args.edits:,} edits, one record a push")
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = measure_sqlite(Path(tmp), sealer, sealed, args.edits, args.page_size)
    table("SQLite (WAL, synchronous=FULL)", sqlite, records)
    ratios = {"SQLite": sqlite["after VACUUM"] / sqlite["held"]}
    if not args.skip_postgres:
        with postgres_url() as url:
            postgres = measure_postgres(url, sealer, sealed, args.edits)
        table("PostgreSQL 15", postgres, records)
        ratios["PostgreSQL"] = postgres["after VACUUM"] / postgres["held"]
    for name, ratio in ratios.items():
        print(
            f"{name}: database after vacuum / envelope bytes = {ratio:.2f} (goal <= 1.5): "
            f"{'ok' if ratio <= 1.5 else 'MISSED'}"
        )
    print(f"{machine_load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
