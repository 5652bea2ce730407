"""Checks for ``claw doctor``: a plugin contributes its own through ``claw_doctor_checks``."""

from __future__ import annotations

from typing import Literal

from claw._model import Model


class DoctorCheck(Model):
    """One line of ``claw doctor``. ``detail`` must never contain a secret."""

    section: str
    name: str
    status: Literal["ok", "warn", "fail", "info"]
    detail: str = ""
