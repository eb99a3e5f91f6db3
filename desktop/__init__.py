# SPDX-License-Identifier: GPL-3.0-or-later
"""Red Steward (红色管家): an offline register for a village party branch."""

__version__ = "0.1.0"
APP_NAME = "red-steward"
APP_DISPLAY_NAME = "Red Steward"


def getpass_user() -> str:
    """The operating system's user name: who is at the PC until sign-in exists."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (containers, odd Windows setups)
        return ""
