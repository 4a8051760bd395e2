"""Test settings for the core: Hypothesis reports a failing example through code that touches
`mypy_extensions.TypedDict`, whose DeprecationWarning (an error under `filterwarnings = error`)
would otherwise hide the failure behind an INTERNALERROR."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning"
    )
