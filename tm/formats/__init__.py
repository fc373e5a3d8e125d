"""Readers and writers of translation-memory files: PO/MO (po), TMX, XLIFF."""
