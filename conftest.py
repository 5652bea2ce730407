"""The repository's test options, for every distribution's tests (this file is the rootdir's conftest, so
pytest reads it wherever the tests are started from inside the checkout, tox included)."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        help="run the tests marked `live` (real clouds, with the credentials in the environment)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave the ``live`` tests out unless ``--live`` asks for them. They talk to real clouds, which the
    suite never does (loopback servers only), so they are a separate run rather than tests skipped in
    every run: asked for without credentials, they fail and say which are missing."""
    if config.getoption("--live"):
        return
    live = [item for item in items if item.get_closest_marker("live")]
    if live:
        config.hook.pytest_deselected(items=live)
        items[:] = [item for item in items if not item.get_closest_marker("live")]
