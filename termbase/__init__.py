"""Concepts and terms: extraction, alignment, storage, TBX/TSV/CSV/PO glossary formats.

Imports corpora/ only; never tm/ or tui/.
"""

from termbase.errors import TermbaseError

__all__ = ["TermbaseError"]
