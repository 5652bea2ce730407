"""The lines of ``claw doctor``, the doctor built-in's and those a plugin contributes through
``claw_doctor_checks`` (public as ``claw.DoctorCheck``)."""

from __future__ import annotations

from typing import Literal

from claw._model import Model


class DoctorCheck(Model):
    """One line of ``claw doctor``. ``detail`` must never contain a secret."""

    section: str
    name: str
    status: Literal["ok", "warn", "fail", "info"]
    detail: str = ""
