"""The `padan` command group: the root of the command line, and its error contract.

Errors about input (LocatedError and its package roots) become one line on stderr and
exit status 2; nothing prints a traceback for bad input. The commands live in the sibling
modules, one per family, and register themselves on `main`.
"""

from __future__ import annotations

import click

from corpora.db import default_location
from corpora.errors import LocatedError

EXIT_INPUT = 2


class PadanGroup(click.Group):
    """Turns input errors anywhere below into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except LocatedError as exc:
            click.echo(f"padan: error: {exc}", err=True)
            ctx.exit(EXIT_INPUT)


@click.group(cls=PadanGroup)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    default=None,
    help="Workspace database: a SQLite file or postgresql://... "
    "[default: $PADAN_DB, else ./padan.db]",
)
@click.version_option(package_name="padan")
@click.pass_context
def main(ctx: click.Context, db: str | None) -> None:
    """Padan: terminology and translation memory for Chinese, Indonesian and English."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_location()
