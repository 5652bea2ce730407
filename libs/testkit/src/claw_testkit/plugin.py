"""pytest fixtures serving the vendor mock model servers (entry point ``pytest11``); see :mod:`claw_testkit`.

Each fixture starts one loopback server for the test and stops it afterwards. Kept import-light: the
servers are imported inside the fixtures, so a test suite that never asks for one pays nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from claw_testkit.mock_anthropic import MockAnthropicServer
    from claw_testkit.mock_bedrock import MockBedrockServer
    from claw_testkit.mock_foundry import MockFoundryServer
    from claw_testkit.mock_openai import MockOpenAIServer
    from claw_testkit.mock_vertex import MockVertexServer


@pytest.fixture
def anthropic_server() -> Iterator[MockAnthropicServer]:
    """A started :class:`claw_testkit.mock_anthropic.MockAnthropicServer`, stopped after the test.
    Script it with ``anthropic_server.script(Reply(...), Fault(...))``; its URL is ``.url``."""
    from claw_testkit.mock_anthropic import MockAnthropicServer

    with MockAnthropicServer() as server:
        yield server


@pytest.fixture
def openai_server() -> Iterator[MockOpenAIServer]:
    """A started :class:`claw_testkit.mock_openai.MockOpenAIServer` (chat completions and responses),
    stopped after the test. Point clients at ``.base_url`` (``<url>/v1``)."""
    from claw_testkit.mock_openai import MockOpenAIServer

    with MockOpenAIServer() as server:
        yield server


@pytest.fixture
def bedrock_server() -> Iterator[MockBedrockServer]:
    """A running :class:`claw_testkit.mock_bedrock.MockBedrockServer` (ConverseStream event-stream)."""
    from claw_testkit.mock_bedrock import MockBedrockServer

    with MockBedrockServer() as server:
        yield server


@pytest.fixture
def vertex_server() -> Iterator[MockVertexServer]:
    """A running :class:`claw_testkit.mock_vertex.MockVertexServer` (Claude and Gemini on Vertex)."""
    from claw_testkit.mock_vertex import MockVertexServer

    with MockVertexServer() as server:
        yield server


@pytest.fixture
def foundry_server() -> Iterator[MockFoundryServer]:
    """A running :class:`claw_testkit.mock_foundry.MockFoundryServer` (OpenAI v1 + Anthropic paths)."""
    from claw_testkit.mock_foundry import MockFoundryServer

    with MockFoundryServer() as server:
        yield server
