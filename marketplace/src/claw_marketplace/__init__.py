"""claw's plugin manager and signed marketplace.

Modules: ``plugin`` (the entry point: commands, settings key, doctor checks), ``api`` (the Python
API behind ``claw plugin ...``), ``verify`` (the one verification function), ``net``, ``wheels``,
``signing``, ``documents``, ``installer``, ``records``, ``publish`` and ``testing``. See
``docs/marketplace.md``.
"""
