from __future__ import annotations

from pathlib import Path

import pytest
from claw_marketplace.testing import TLS, MarketplaceDir, make_tls


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLS:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def keypair(tmp_path: Path) -> tuple[Path, Path]:
    """(private key path, public key path) of a fresh publisher key."""
    from claw_marketplace.publish import keygen

    return keygen(tmp_path / "keys")


@pytest.fixture
def market(tmp_path: Path, keypair: tuple[Path, Path]) -> MarketplaceDir:
    """A marketplace directory with claw-hello 1.0.0 and 2.0.0, signed with ``keypair``."""
    m = MarketplaceDir(tmp_path / "market", tmp_path / "wheels", *keypair)
    m.add("1.0.0")
    m.add("2.0.0")
    m.build()
    return m
