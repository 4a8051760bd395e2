"""The PostgreSQL store: several server processes over one database."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from server.records import StorageError
from server.sql import POSTGRES_MIGRATIONS, Cursor, DbApiCursor, SqlStore, migrate


def _pg(sql: str) -> str:
    return sql.replace("?", "%s").replace("length(envelope)", "octet_length(envelope)")


class PostgresStore(SqlStore):
    """PostgreSQL through a psycopg connection pool. A push holds `SELECT … FOR UPDATE` on the
    account row until it commits, so per-account seqs become visible in the order they were
    assigned; a global sequence would not (sequences commit out of order, SYNC-DESIGN §4)."""

    _lock_suffix = " FOR UPDATE"
    _skip_locked_suffix = " FOR UPDATE SKIP LOCKED"
    fast_reads = False

    def __init__(self, url: str, *, max_connections: int = 10) -> None:
        # Imported here so that a SQLite-only run never loads the PostgreSQL driver.
        import psycopg
        import psycopg_pool

        self._errors: tuple[type[BaseException], ...] = (
            psycopg.OperationalError,
            psycopg_pool.PoolTimeout,
        )
        self._pool = psycopg_pool.ConnectionPool(
            url, min_size=1, max_size=max_connections, open=True, timeout=10.0
        )
        self._migrate()

    def _migrate(self) -> None:
        with self._transaction(write=True) as cur:
            # Several processes may start at once; one migrates, the others wait and see it done.
            cur.execute("SELECT pg_advisory_xact_lock(7230001)")
            migrate(cur, POSTGRES_MIGRATIONS, integer="BIGINT")

    @contextlib.contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Cursor]:
        try:
            with self._pool.connection() as connection, connection.cursor() as cursor:
                # The pool commits when the block ends and rolls back if it raises.
                yield DbApiCursor(cursor, _pg)
        except self._errors as error:
            raise StorageError(str(error)) from error

    def close(self) -> None:
        self._pool.close()
