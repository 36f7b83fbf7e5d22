"""Errors every room may raise."""


class UsageError(Exception):
    """A command-line mistake. The message is one line, for the user."""


#: The extra that brings each remote file system's client.
EXTRAS = {"s3": "aws", "gs": "gcp"}


def no_file_system(flag: str, path: str, scheme: str) -> UsageError:
    """The error for a path whose scheme has no file system here: it names the extra to install."""
    extra = EXTRAS.get(scheme)
    hint = f"install newsevents[{extra}]" if extra else "install the Beam extra that brings it"
    return UsageError(f"{flag} {path}: no file system for {scheme}:// here ({hint})")
