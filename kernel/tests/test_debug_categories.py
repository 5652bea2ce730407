"""``--debug FILTER``'s categories (:mod:`claw._builtins.debug_log.categories`): a logger's name without
claw's prefix, a filter name selecting the categories under it, Claude Code's ``api`` alias, and
Claude Code's rule that a filter mixing inclusions and exclusions filters nothing."""

from __future__ import annotations

import pytest
from claw._builtins.debug_log.categories import category, filter_of


@pytest.mark.parametrize(
    ("logger", "expected"),
    [
        ("claw.http", "http"),
        ("claw._loop", "loop"),
        ("claw._permissions", "permissions"),
        ("claw.provider.bedrock", "provider.bedrock"),
        ("claw_agents.supervisor", "agents.supervisor"),
        ("claw", "claw"),
    ],
)
def test_category_of_a_logger(logger: str, expected: str) -> None:
    assert category(logger) == expected


def test_a_name_selects_the_categories_under_it_and_api_means_http_and_retry() -> None:
    only = filter_of("provider,api")
    assert only is not None
    assert only("claw.provider.bedrock") and only("claw.http") and only("claw.retry")
    assert not only("claw.hooks") and not only("claw.providers")


def test_exclusions_and_mixed_filters() -> None:
    but = filter_of("!mcp, !LOOP")
    assert but is not None and not but("claw.mcp") and not but("claw._loop") and but("claw.http")
    assert filter_of("mcp,!loop") is None and filter_of("") is None and filter_of(" , ") is None


def test_disabled_the_flag_names_the_builtin(claw, claw_env) -> None:  # type: ignore[no-untyped-def]
    claw_env["CLAW_DISABLE_PLUGINS"] = "debug_log"
    res = claw.subprocess("-p", "hi", "--debug")
    assert (
        res.exit_code == 2
        and "--debug comes with claw's built-in plugin 'debug_log', which is disabled" in res.stderr
    )
