"""Consistency checks: each yields findings with suggestions; none edits anything itself."""
