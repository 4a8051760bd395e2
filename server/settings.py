"""The server's settings: read once from an environment mapping, then passed around as values."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from starlette.config import Config
from starlette.datastructures import CommaSeparatedStrings

PEPPER_BYTES = 32
DEFAULT_DATA_DIR = Path("data")
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8787
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_DATA_DIR / 'sync.sqlite3'}"
DEFAULT_RATE_LIMIT_STORAGE = "async+memory://"
DEFAULT_VAPID_SUBJECT = "mailto:webpush@followthrough.invalid"
DEFAULT_MAX_IN_PROGRESS = 8
DEFAULT_QUEUE_WAIT = 0.05


class SettingsError(Exception):
    """A setting is missing or malformed; the message names it and says what to do."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Size and rate limits (SYNC-DESIGN §6.6). Tests shrink or widen them; production keeps
    the defaults."""

    push_body_bytes: int = 1024 * 1024
    other_body_bytes: int = 16 * 1024
    envelope_bytes: int = 64 * 1024
    items_per_push: int = 500
    items_per_page: int = 500
    page_bytes: int = 2 * 1024 * 1024
    account_bytes: int = 50 * 1024 * 1024
    account_rows: int = 200_000
    failed_logins: str = "5/15minutes"  # per account
    logins_per_client: str = "20/minute"
    kdf_lookups_per_client: str = "30/minute"
    accounts_per_client: str = "3/hour"
    syncs_per_account: str = "120/minute"  # push + pull
    concurrent_syncs_per_account: int = 2
    sessions_per_account: int = 10
    session_days: int = 90
    batch_days: int = 30
    # Web Push (server/push_api.py): subscriptions and sealed messages kept per account, the
    # largest message (RFC 8030's 4096 bytes), and how often the messages may be replaced.
    push_subscriptions_per_account: int = 10
    push_messages_per_account: int = 200
    push_message_bytes: int = 4096
    push_uploads_per_account: str = "30/minute"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    database_url: str = DEFAULT_DATABASE_URL
    pepper: bytes = field(repr=False, default=b"")
    cors_origins: tuple[str, ...] = ()
    rate_limit_storage: str = DEFAULT_RATE_LIMIT_STORAGE
    workers: int = 1
    # Proxies whose X-Forwarded-For is believed (comma-separated addresses or networks); none by
    # default: a server reached directly must not let clients pick their own address.
    forwarded_allow_ips: str = ""
    log_level: str = "info"
    body_timeout: float = 30.0  # seconds for a request body to arrive in full
    header_bytes: int = 16 * 1024  # request line and headers
    header_timeout: float = 10.0  # seconds for them to arrive, from connect or the last answer
    keep_alive_timeout: int = 5  # seconds an idle connection is kept after an answer
    max_connections: int = 1000  # open at once, per process
    # Requests in progress at once, per process (0: no bound); the next ones get 503
    # server-busy at once, with Retry-After in seconds (server/middleware.py InProgressLimit).
    max_in_progress: int = DEFAULT_MAX_IN_PROGRESS
    busy_retry_after: int = 1
    queue_wait: float = DEFAULT_QUEUE_WAIT  # seconds a request past the bound may wait for a slot
    # Web Push: the VAPID key's file (empty: kept in the database), the contact the push
    # services see in each signature, and the sender's rhythm (seconds).
    vapid_key_file: str = ""
    vapid_subject: str = DEFAULT_VAPID_SUBJECT
    push_interval: float = 5.0
    push_lease: int = 60
    limits: Limits = field(default_factory=Limits)

    def __post_init__(self) -> None:
        if len(self.pepper) < PEPPER_BYTES:
            raise SettingsError(f"The pepper must be at least {PEPPER_BYTES} bytes.")
        if self.max_in_progress < 0:
            raise SettingsError("FOLLOWTHROUGH_MAX_IN_PROGRESS must be 0 (no bound) or more.")
        if not 0 <= self.queue_wait <= 10:
            raise SettingsError("FOLLOWTHROUGH_QUEUE_WAIT must be 0 to 10 seconds.")
        if not 1 <= self.busy_retry_after <= 300:
            raise SettingsError("FOLLOWTHROUGH_BUSY_RETRY_AFTER must be 1 to 300 seconds.")

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> Settings:
        """Settings from FOLLOWTHROUGH_* variables, with defaults for a local run.

        The pepper comes from FOLLOWTHROUGH_PEPPER (64 hex digits), else from the file named by
        FOLLOWTHROUGH_PEPPER_FILE, else from ./data/pepper, which is created on first use.
        """
        config = Config(environ=environ, env_prefix="FOLLOWTHROUGH_")
        database_url = config("DATABASE_URL", default=DEFAULT_DATABASE_URL)
        return cls(
            host=config("HOST", default=DEFAULT_HOST),
            port=config("PORT", cast=int, default=DEFAULT_PORT),
            database_url=database_url,
            pepper=_pepper(
                config("PEPPER", default=""), config("PEPPER_FILE", default=""), database_url
            ),
            cors_origins=tuple(config("CORS_ORIGINS", cast=CommaSeparatedStrings, default="")),
            rate_limit_storage=config("RATE_LIMIT_STORAGE", default=DEFAULT_RATE_LIMIT_STORAGE),
            workers=config("WORKERS", cast=int, default=1),
            forwarded_allow_ips=config("FORWARDED_ALLOW_IPS", default=""),
            log_level=config("LOG_LEVEL", default="info"),
            body_timeout=config("BODY_TIMEOUT", cast=float, default=30.0),
            header_bytes=config("HEADER_BYTES", cast=int, default=16 * 1024),
            header_timeout=config("HEADER_TIMEOUT", cast=float, default=10.0),
            keep_alive_timeout=config("KEEP_ALIVE_TIMEOUT", cast=int, default=5),
            max_connections=config("MAX_CONNECTIONS", cast=int, default=1000),
            max_in_progress=config("MAX_IN_PROGRESS", cast=int, default=DEFAULT_MAX_IN_PROGRESS),
            busy_retry_after=config("BUSY_RETRY_AFTER", cast=int, default=1),
            queue_wait=config("QUEUE_WAIT", cast=float, default=DEFAULT_QUEUE_WAIT),
            vapid_key_file=config("VAPID_KEY_FILE", default=""),
            vapid_subject=config("VAPID_SUBJECT", default=DEFAULT_VAPID_SUBJECT),
            push_interval=config("PUSH_INTERVAL", cast=float, default=5.0),
            push_lease=config("PUSH_LEASE", cast=int, default=60),
            limits=_limits(config),
        )


def _limits(config: Config) -> Limits:
    """Each limit can be changed with FOLLOWTHROUGH_LIMIT_<NAME>, e.g.
    FOLLOWTHROUGH_LIMIT_SYNCS_PER_ACCOUNT=600/minute."""
    defaults = Limits()
    changed: dict[str, object] = {}
    for limit in fields(Limits):
        default = getattr(defaults, limit.name)
        changed[limit.name] = config(
            f"LIMIT_{limit.name.upper()}", cast=type(default), default=default
        )
    return Limits(**changed)  # type: ignore[arg-type]


def _pepper(value: str, path: str, database_url: str) -> bytes:
    if value:
        return _parse_pepper(value, "FOLLOWTHROUGH_PEPPER")
    if path:
        try:
            return _parse_pepper(Path(path).read_text(), path)
        except OSError as error:
            raise SettingsError(f"Cannot read the pepper file {path}: {error}") from None
    if not database_url.startswith("sqlite:"):
        # Several processes must share one pepper: a generated one would differ per host.
        raise SettingsError(
            "Set FOLLOWTHROUGH_PEPPER or FOLLOWTHROUGH_PEPPER_FILE when the database is not the "
            "local SQLite file (generate one with `python -c 'import secrets; "
            "print(secrets.token_hex(32))'`)."
        )
    return _local_pepper(DEFAULT_DATA_DIR / "pepper")


def _parse_pepper(text: str, source: str) -> bytes:
    try:
        pepper = bytes.fromhex(text.strip())
    except ValueError:
        raise SettingsError(f"The pepper in {source} is not hex digits.") from None
    if len(pepper) < PEPPER_BYTES:
        raise SettingsError(f"The pepper in {source} is shorter than {PEPPER_BYTES} bytes.")
    return pepper


def _local_pepper(path: Path) -> bytes:
    """The local run's pepper, created once with owner-only permissions."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_hex(PEPPER_BYTES) + "\n")
    return _parse_pepper(path.read_text(), str(path))
