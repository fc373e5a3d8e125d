"""Root of errors raised by tm/."""

from corpora.errors import LocatedError


class TMError(LocatedError):
    """A translation-memory file or operation failed; the message names the file and place."""
