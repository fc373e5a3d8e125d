"""Padan's application layer: the use cases the command line and the TUI both call.

Layers: tui -> padan -> {termbase, tm} -> corpora (see README "How it works").
"""
