"""The `padan` command line: thin click commands over the application layer.

`main` is the group; importing the command modules registers their commands on it.
"""

from padan.cli import check, leverage, memory, search, terms  # noqa: F401  registers the commands
from padan.cli.root import main

__all__ = ["main"]
