"""Modal dialogs, one module per family: confirmations (base.py), changes (bulk fix,
conflict), marking garbled text, export, and the term-base forms. Each returns a typed
result."""
