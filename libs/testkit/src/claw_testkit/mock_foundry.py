"""A loopback Azure AI Foundry resource: the OpenAI v1 API and the Anthropic API on one host.

A Foundry resource serves ``/openai/v1/chat/completions`` (and ``/openai/v1/responses``) for its
OpenAI-wire deployments and ``/anthropic/v1/messages`` for Claude deployments. This server answers
both, rendering with :class:`~claw_testkit.mock_openai.MockOpenAIServer` and
:class:`~claw_testkit.mock_anthropic.MockAnthropicServer`, from one shared script::

    with MockFoundryServer(api_key="k") as server:
        server.script(Reply(Text("hi")))
        openai.AsyncOpenAI(base_url=server.openai_base_url, api_key="k")
        anthropic.AsyncAnthropicFoundry(base_url=server.anthropic_base_url, api_key="k")

With ``api_key`` (and/or ``tokens``: accepted Entra ID bearer tokens) set, other credentials get
Azure's 401 body. Keys are accepted in ``api-key``, ``x-api-key`` or ``Authorization: Bearer``.
:attr:`calls` records ``(wire, deployment)`` per request.
"""

from __future__ import annotations

import json

from claw_testkit.mock_anthropic import MockAnthropicServer
from claw_testkit.mock_openai import MockOpenAIServer
from claw_testkit.server import MockServer, RecordedRequest, Response

UNAUTHORIZED = (
    "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid "
    "key for an active subscription and use a correct regional API endpoint for your resource."
)


class MockFoundryServer(MockServer):
    """Foundry's OpenAI v1 and Anthropic endpoints on loopback.

    :param api_key: the only API key accepted (any when ``None`` and no ``tokens``).
    :param tokens: Entra ID bearer tokens accepted besides the key.
    """

    def __init__(self, api_key: str | None = None, tokens: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.api_key = api_key
        self.tokens = tokens
        self.calls: list[tuple[str, str]] = []
        self._openai = MockOpenAIServer()
        self._anthropic = MockAnthropicServer()

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/openai/v1/"

    @property
    def anthropic_base_url(self) -> str:
        return f"{self.url}/anthropic/"

    def _authorized(self, request: RecordedRequest) -> bool:
        if self.api_key is None and not self.tokens:
            return True
        h = request.headers
        keys = {h.get("api-key"), h.get("x-api-key")}
        bearer = h.get("authorization", "")
        token = bearer[len("Bearer ") :] if bearer.startswith("Bearer ") else None
        return (self.api_key is not None and self.api_key in keys | {token}) or token in self.tokens

    def handle(self, request: RecordedRequest) -> Response:
        path = request.path.split("?")[0].rstrip("/")
        if path.startswith("/openai/v1/") and path.endswith(("/chat/completions", "/responses")):
            wire = "openai"
        elif path == "/anthropic/v1/messages":
            wire = "anthropic"
        else:
            return self._error(404, "Resource not found")
        if request.method != "POST":
            return self._error(405, "Method not allowed")
        if not self._authorized(request):
            return self._error(401, UNAUTHORIZED)
        payload = request.json if isinstance(request.json, dict) else {}
        self.calls.append((wire, str(payload.get("model", ""))))
        step = self.next_step(request)
        if wire == "anthropic":
            return self._anthropic.render(step, payload)
        api = "chat" if path.endswith("/chat/completions") else "responses"
        return self._openai.render(api, step, payload)

    @staticmethod
    def _error(status: int, message: str) -> Response:
        body = {"error": {"code": str(status), "message": message}}
        return Response(status, {"content-type": "application/json"}, json.dumps(body).encode())
