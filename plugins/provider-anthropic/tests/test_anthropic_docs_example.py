"""The runnable example in docs/testing.md runs and passes."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from claw_testkit.mock_anthropic import MockAnthropicServer

DOC = Path(__file__).resolve().parents[3] / "docs" / "testing.md"


def test_testing_doc_example_passes() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "def test_" in b)
    namespace: dict[str, object] = {}
    exec(compile(example, str(DOC), "exec"), namespace)
    tests = [fn for name, fn in namespace.items() if name.startswith("test_") and callable(fn)]
    assert len(tests) == 2
    for test in tests:
        assert list(inspect.signature(test).parameters) == ["anthropic_server"]
        with MockAnthropicServer() as server:
            test(server)
