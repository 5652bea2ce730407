"""``claw.testing.assert_import_light``: what plugins use to keep their entry-point modules light."""

from __future__ import annotations

import pytest
from claw.testing import assert_import_light, banned_among


def test_banned_packages_match_with_everything_inside_them() -> None:
    modules = {"google", "google.genai", "google.genai.types", "googleapis", "re"}
    assert banned_among(modules, {"google.genai", "re"}) == {"google.genai", "google.genai.types", "re"}


def test_a_banned_import_fails_naming_it() -> None:
    with pytest.raises(AssertionError, match=r"importing json loads \['re'"):
        assert_import_light("json", banned={"re", "httpx"})
    assert "json.decoder" in assert_import_light("json", banned={"httpx"})


def test_own_package_and_claw_modules_can_be_pinned() -> None:
    with pytest.raises(AssertionError, match=r"more of its own package: .*json\.decoder"):
        assert_import_light("json", banned=(), only_itself=True)
    # The module's own package is never banned, so plugins can share one list that names them all.
    assert_import_light("json.decoder", banned={"json"}, only_itself=False)
    with pytest.raises(AssertionError, match="loads claw modules"):
        assert_import_light("claw._errors", banned=(), claw_modules=set())
