"""Version-range checks for ``CLAW_API`` declarations, without depending on ``packaging``."""

from __future__ import annotations

import operator
import re

_OPS = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}
_CLAUSE = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(\d+(?:\.\d+)*)\s*$")


def _parse(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def satisfies(version: str, spec: str) -> bool:
    """Whether ``version`` (``"1.0"``) satisfies ``spec`` (``">=1.0,<2"``; a bare ``"1"`` means ``==1``
    on the given components, so ``"1"`` accepts every 1.x).

    :raises ValueError: when ``spec`` is not of that form.
    """
    have = _parse(version)
    for clause in spec.split(","):
        m = _CLAUSE.match(clause)
        if not m:
            raise ValueError(f"not a version range: {spec!r}")
        op, want_s = m.groups()
        want = _parse(want_s)
        if op is None:
            if have[: len(want)] != want:
                return False
            continue
        n = max(len(have), len(want))  # 1.0 == 1: the shorter padded with zeros
        if not _OPS[op](have + (0,) * (n - len(have)), want + (0,) * (n - len(want))):
            return False
    return True
