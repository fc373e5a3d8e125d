"""Documents, text files, segmentation, tokenizers, the bundled corpus and the workspace database.

The lowest layer: it imports nothing from termbase/, tm/ or tui/.
"""

from corpora.errors import CorpusError, LocatedError

__all__ = ["CorpusError", "LocatedError"]
