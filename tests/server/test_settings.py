"""Settings come from an environment mapping (never os.environ in tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.settings import Limits, Settings, SettingsError


def test_defaults_suit_a_local_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)

    settings = Settings.from_environ({})

    assert (settings.host, settings.port) == ("127.0.0.1", 8787)
    assert settings.database_url == "sqlite:///data/sync.sqlite3"
    assert len(settings.pepper) == 32
    assert (tmp_path / "data" / "pepper").stat().st_mode & 0o777 == 0o600
    assert Settings.from_environ({}).pepper == settings.pepper  # created once, then reused
    assert settings.limits == Limits()
    assert settings.forwarded_allow_ips == ""  # no forwarded header is believed


def test_every_setting_comes_from_the_environment(tmp_path: Path) -> None:
    pepper = tmp_path / "pepper"
    pepper.write_text("ab" * 32 + "\n")

    settings = Settings.from_environ(
        {
            "FOLLOWTHROUGH_HOST": "0.0.0.0",
            "FOLLOWTHROUGH_PORT": "9000",
            "FOLLOWTHROUGH_DATABASE_URL": "postgresql://db/sync",
            "FOLLOWTHROUGH_PEPPER_FILE": str(pepper),
            "FOLLOWTHROUGH_CORS_ORIGINS": "https://app.example, https://beta.example",
            "FOLLOWTHROUGH_WORKERS": "4",
            "FOLLOWTHROUGH_BODY_TIMEOUT": "12.5",
            "FOLLOWTHROUGH_FORWARDED_ALLOW_IPS": "10.0.0.2",
            "FOLLOWTHROUGH_HEADER_BYTES": "8192",
            "FOLLOWTHROUGH_HEADER_TIMEOUT": "4.5",
            "FOLLOWTHROUGH_KEEP_ALIVE_TIMEOUT": "3",
            "FOLLOWTHROUGH_MAX_CONNECTIONS": "200",
            "FOLLOWTHROUGH_LIMIT_SYNCS_PER_ACCOUNT": "600/minute",
            "FOLLOWTHROUGH_LIMIT_ITEMS_PER_PUSH": "100",
        }
    )

    assert (settings.host, settings.port, settings.workers) == ("0.0.0.0", 9000, 4)
    assert settings.pepper == bytes.fromhex("ab" * 32)
    assert settings.cors_origins == ("https://app.example", "https://beta.example")
    assert settings.body_timeout == 12.5
    assert settings.forwarded_allow_ips == "10.0.0.2"
    assert (settings.header_bytes, settings.header_timeout) == (8192, 4.5)
    assert (settings.keep_alive_timeout, settings.max_connections) == (3, 200)
    assert settings.limits.syncs_per_account == "600/minute"
    assert settings.limits.items_per_push == 100
    assert "pepper" not in repr(settings)  # never printed


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"FOLLOWTHROUGH_PEPPER": "zz"}, "not hex"),
        ({"FOLLOWTHROUGH_PEPPER": "ab" * 8}, "shorter than 32"),
        ({"FOLLOWTHROUGH_PEPPER_FILE": "/nonexistent/pepper"}, "Cannot read"),
        ({"FOLLOWTHROUGH_DATABASE_URL": "postgresql://db/x"}, "FOLLOWTHROUGH_PEPPER"),
    ],
)
def test_a_bad_pepper_is_refused_with_what_to_do(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_environ(environ)
