"""Fixtures of the claw-otlp tests (defined in :mod:`otlp_support`)."""

from otlp_support import closed_port, grpc_receiver, http_receiver, receiver, session  # noqa: F401
