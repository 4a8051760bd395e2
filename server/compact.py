"""`python -m server.compact [DATABASE_URL]`: rewrite the sync server's SQLite database with the
page size a new one gets (16 KiB; files made before it have 4 KiB pages) and without free space.

Stop the server first (it refuses, changing nothing, while the file is open). It needs free disk
for a copy of the database and keeps every row as it is. The URL defaults to
FOLLOWTHROUGH_DATABASE_URL, then to sqlite:///data/sync.sqlite3. PostgreSQL needs no such step
(its pages are 8 KiB and its free space is reused); `VACUUM FULL` is its equivalent.
"""

from __future__ import annotations

import argparse
import os
import sys

from server.records import StorageError
from server.sqlite_store import compact
from server.storage import sqlite_path

DEFAULT_URL = "sqlite:///data/sync.sqlite3"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m server.compact", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument(
        "database_url",
        nargs="?",
        default=os.environ.get("FOLLOWTHROUGH_DATABASE_URL", DEFAULT_URL),
        help="sqlite:///relative/path or sqlite:////absolute/path",
    )
    args = parser.parse_args(argv)
    try:
        before, after = compact(sqlite_path(args.database_url))
    except StorageError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{args.database_url}: {before:,} bytes before, {after:,} after.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
