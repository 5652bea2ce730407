"""Version constants, kept in a module that imports nothing so ``claw --version`` stays instant."""

#: The kernel distribution's version.
VERSION = "0.1.0"

#: The plugin API version. Plugins declare the range they support with a module attribute
#: ``CLAW_API = ">=1.0,<2"``; the minor number grows when the API only gains things, the major
#: number when something a plugin may rely on changes or goes away.
API_VERSION = "1.1"


def version_line() -> str:
    """What ``claw --version`` prints."""
    return f"claw {VERSION} (plugin API {API_VERSION})"
