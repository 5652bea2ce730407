from __future__ import annotations

from pathlib import Path

import pytest
from claw_marketplace.testing import TLS, make_tls


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> TLS:
    return make_tls(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def keypair(tmp_path: Path) -> tuple[Path, Path]:
    """(private key path, public key path) of a fresh publisher key."""
    from claw_marketplace.publish import keygen

    return keygen(tmp_path / "keys")


PLUGIN = 'import claw\nCLAW_API = "{api}"\n'


class Market:
    """A marketplace directory built from hand-made wheels, signed with ``private``."""

    def __init__(self, root: Path, wheels: Path, private: Path, public: Path) -> None:
        self.root, self.wheels, self.private, self.public = root, wheels, private, public

    def add(self, version: str, *, name: str = "claw-hello", api: str = ">=1.0,<2", **kwargs: object) -> Path:
        from claw_marketplace.testing import make_wheel

        package = name.replace("-", "_")
        return make_wheel(
            self.wheels,
            name,
            version,
            {f"{package}/__init__.py": "", f"{package}/plugin.py": PLUGIN.format(api=api)},
            entry_points={"hello": f"{package}.plugin"},
            **kwargs,  # type: ignore[arg-type]
        )

    def build(self) -> Path:
        from claw_marketplace.publish import build_marketplace

        return build_marketplace(self.wheels, self.private, out=self.root, publisher="Hello Inc.")

    def manifest(self, name: str = "claw-hello") -> Path:
        return self.root / name / "manifest.json"


@pytest.fixture
def market(tmp_path: Path, keypair: tuple[Path, Path]) -> Market:
    m = Market(tmp_path / "market", tmp_path / "wheels", *keypair)
    m.add("1.0.0")
    m.add("2.0.0")
    m.build()
    return m
