"""``claw_wire.catalogue.load_catalogue``: a provider's models as a JSON package file, with provider-private keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw import ModelInfo, Pricing
from claw_wire.catalogue import Catalogue, load_catalogue

ENTRIES = [
    {
        "id": "big-1",
        "aliases": ["big"],
        "context_window": 1_000_000,
        "effort_levels": ["low", "high"],
        "pricing": {"input": 2.0, "output": 10.0},
        "wire": "chat",
    },
    {"id": "small-1", "supports_tools": False},
]


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    pkg = tmp_path / "acme_models"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "models.json").write_text(json.dumps({"_comment": "list prices, 2026", "models": ENTRIES}))
    monkeypatch.syspath_prepend(str(tmp_path))
    return "acme_models"


def test_entries_become_model_infos_without_private_keys(package: str) -> None:
    catalogue = load_catalogue(package, "acme", private={"wire"})
    assert catalogue.models() == [
        ModelInfo(
            id="big-1",
            provider="acme",
            aliases=("big",),
            context_window=1_000_000,
            effort_levels=("low", "high"),
            pricing=Pricing(input=2.0, output=10.0),
        ),
        ModelInfo(id="small-1", provider="acme", supports_tools=False),
    ]
    assert catalogue.entries[0]["wire"] == "chat"


def test_find_by_id_or_alias_and_info_under_another_name(package: str) -> None:
    catalogue = load_catalogue(package, "acme", private={"wire"})
    assert catalogue.find("big") is catalogue.find("big-1") is catalogue.entries[0]
    assert catalogue.find("huge") is None
    info = catalogue.info(catalogue.entries[0], "big-prod")
    assert info.id == "big-prod" and info.context_window == 1_000_000 and info.provider == "acme"


def test_undeclared_keys_and_missing_ids_are_errors() -> None:
    with pytest.raises(ValueError, match=r"acme catalogue entry 'big-1': unknown keys \['wire'\]"):
        Catalogue("acme", ENTRIES)
    with pytest.raises(ValueError, match="entry '\\?': no id"):
        Catalogue("acme", [{"context_window": 1}])
