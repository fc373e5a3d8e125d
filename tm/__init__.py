"""Translation memory: documents and units with their history, stores, formats, search.

Imports corpora/ only; never termbase/ or tui/.
"""

from tm.errors import TMError

__all__ = ["TMError"]
