"""Root of errors raised by termbase/."""

from corpora.errors import LocatedError


class TermbaseError(LocatedError):
    """A term base file or operation failed; the message names the file and place."""
