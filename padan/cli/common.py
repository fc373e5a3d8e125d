"""What every command shares: the workspace it opens, language options, JSON output."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from corpora.errors import CorpusError, LocatedError
from corpora.langtags import checked
from corpora.wording import counted as counted  # the commands' wording of a count
from termbase.model import Candidate, Concept, Proposal

if TYPE_CHECKING:  # the workspace is imported when a command runs, for a fast start
    from padan.workspace import Workspace
    from tm.store_schema import DocumentInfo


json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print JSON (see README for the schema)."
)


@contextmanager
def open_workspace(ctx: click.Context, *, readonly: bool = False) -> Iterator[Workspace]:
    """The workspace of ``--db``; ``readonly`` for commands that only read it (they work
    on a read-only file, folder or mount, and never wait for a writer)."""
    from padan.workspace import Workspace

    ws = Workspace(ctx.obj["db"], readonly=readonly, wait=ctx.obj["wait"], on_wait=_say)
    try:
        yield ws
    finally:
        ws.close()


def _say(message: str) -> None:
    click.echo(f"padan: {message}", err=True)


class LanguageTag(click.types.StringParamType):
    """A language option or argument, given as its normal form (corpora.langtags.checked):
    a tag that names no language is one line naming it and the option, exit 2, as every
    input error (PadanGroup), not click's usage text."""

    name = "lang"

    def convert(self, value: str, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return checked(value)
        except CorpusError as exc:
            where = param.opts[0] if isinstance(param, click.Option) else "LANG"
            raise CorpusError(f"{where}: {exc.message}", hint=exc.hint) from None


LANG = LanguageTag()


def emit_json(items: object) -> None:
    click.echo(json.dumps(items, ensure_ascii=False, indent=2))


def candidate_json(c: Candidate) -> dict[str, object]:
    return asdict(c)


def proposal_json(p: Proposal, proposal_id: int | None = None) -> dict[str, object]:
    out: dict[str, object] = {"id": proposal_id} if proposal_id is not None else {}
    out.update(asdict(p))
    out["evidence"] = list(p.evidence)
    return out


def concept_json(c: Concept) -> dict[str, object]:
    return asdict(c)


def find_document(ws: Workspace, name: str) -> DocumentInfo:
    """The document's name, language and counts (not its text, which may be long)."""
    for doc in ws.documents.documents():
        if doc.name == name:
            return doc
    raise LocatedError(f"no document {name!r}", hint="see `padan stats` for the documents")
