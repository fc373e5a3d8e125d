"""The `padan` command group: the root of the command line, and its error contract.

Every failure is one line on stderr and a non-zero exit, never a traceback: errors about
the input or the workspace (LocatedError and its package roots, a busy, full, read-only
or damaged database, a server that went away) exit with status 2; a file Padan cannot
read or write names it and exits 2 too; anything else is a bug in Padan, said in one
line with how to see where (exit 1). The commands live in the sibling modules, one per
family, and register themselves on `main`.
"""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click

from corpora.atomicfile import reason
from corpora.db import DEFAULT_WAIT, default_location
from corpora.dbconn import redact
from corpora.dbfaults import fault
from corpora.errors import LocatedError

EXIT_INPUT = 2
EXIT_BUG = 1
DEBUG_ENV = "PADAN_DEBUG"  # set: a bug shows its traceback
LEAVE = "leave"  # ctx.obj key of _leave, when Padan runs as the program


def _leave(status: int) -> NoReturn:
    """End the program now, its output written: for a command that has nothing left to
    clean up and many objects alive. The interpreter's teardown would free them one by
    one, and the cycle collector, once enabled again, walk them: about half a second
    after `padan check` of a large file (its findings, wordfreq's lists, the term index)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _fail(ctx: click.Context, line: str, status: int) -> None:
    click.echo(f"padan: {line}", err=True)
    ctx.exit(status)


class PadanGroup(click.Group):
    """Turns every failure below into one line and a non-zero exit status."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """As click's; run as the program (no arguments: the command line is sys.argv),
        its commands find :func:`_leave` in ``ctx.obj[LEAVE]``."""
        if args or kwargs:  # a caller that goes on running (click's test runner)
            return super().main(*args, **kwargs)
        return super().main(obj={LEAVE: _leave})

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except LocatedError as exc:
            _fail(ctx, f"error: {exc}", EXIT_INPUT)
        except BrokenPipeError:  # `padan search ... | head`: the reader has what it wanted
            sys.stderr.close()
            ctx.exit(EXIT_BUG)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(ctx, f"error: {where}{reason(exc)}", EXIT_INPUT)
        except Exception as exc:
            location = redact((ctx.obj or {}).get("db") or default_location())
            translated = fault(exc, location)
            if translated is not None:
                _fail(ctx, f"error: {translated}", EXIT_INPUT)
            if os.environ.get(DEBUG_ENV):
                raise
            message = " ".join(str(exc).split())[:300]
            _fail(
                ctx,
                f"internal error: {type(exc).__name__}: {message} (a bug in Padan: please "
                f"report it with the command; {DEBUG_ENV}=1 shows where it happened)",
                EXIT_BUG,
            )
        return None


@click.group(cls=PadanGroup)
@click.option(
    "--db",
    metavar="PATH_OR_URL",
    default=None,
    help="Workspace database: a SQLite file or postgresql://... "
    "[default: $PADAN_DB, else ./padan.db]",
)
@click.option(
    "--wait",
    metavar="SECONDS",
    type=click.FloatRange(min=0),
    default=DEFAULT_WAIT,
    show_default=True,
    help="How long a command that writes waits for another one to finish before it gives up.",
)
@click.version_option(package_name="padan")
@click.pass_context
def main(ctx: click.Context, db: str | None, wait: float) -> None:
    """Padan: terminology and translation memory for Chinese, Indonesian and English."""
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_location()
    ctx.obj["wait"] = wait
