"""Vendor mock model servers for claw's provider plugins and end-to-end tests.

Loopback servers speaking the real wire protocols, scripted with :mod:`claw.testing.script`
(``Reply``/``Fault``); once ``claw-testkit`` is installed its pytest plugin (entry point ``pytest11``)
serves each as a fixture, started for the test and stopped afterwards:

- ``anthropic_server``: :class:`claw_testkit.mock_anthropic.MockAnthropicServer` (Messages API).
- ``openai_server``: :class:`claw_testkit.mock_openai.MockOpenAIServer` (chat completions, responses).
- ``bedrock_server``: :class:`claw_testkit.mock_bedrock.MockBedrockServer` (ConverseStream event-stream).
- ``vertex_server``: :class:`claw_testkit.mock_vertex.MockVertexServer` (Claude and Gemini on Vertex AI).
- ``foundry_server``: :class:`claw_testkit.mock_foundry.MockFoundryServer` (Foundry's OpenAI v1 and
  Anthropic paths on one host).

:class:`claw_testkit.server.MockServer` is their base (socket, request log, script queue): a new
vendor's mock subclasses it. The vendor-neutral helpers (the scripted provider, ``ClawRunner``,
``isolated_env``, the ``claw``/``scripted``/``plugin_module`` fixtures) stay in :mod:`claw.testing`,
which ships with the kernel. A test dependency only: production code never imports this package.
"""
