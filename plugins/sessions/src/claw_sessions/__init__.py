"""claw-sessions: claw's session store (the ``session_store`` plugin).

Durable, append-only JSONL transcripts that runs resume and fork (:mod:`claw_sessions.jsonl`), read back
whole after a crash or a damaged line (:mod:`claw_sessions.history`, :mod:`claw_sessions.repair`), the
claw-code-go formats (:mod:`claw_sessions.seed`), and ``claw sessions``/``claw timeline``. The loop
reaches it only through the ``claw_session_store`` hook and the contract types :class:`claw.Session`,
:class:`claw.SessionState` and :class:`claw.SessionStore`; kept import-light, since plugins load for
``claw --help`` too.
"""
