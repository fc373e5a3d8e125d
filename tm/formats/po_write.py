"""PO text of one entry, as GNU gettext lays it out, in a fixed way (so that writing what
was read gives the same bytes again).

Strings are not wrapped at a width; they are broken after each ``\\n`` as msgcat does.
The C escapes msgfmt reads (``\\a \\b \\f \\v \\t \\r \\n \\\\ \\"``) are written as
escapes; other characters, controls included, as themselves (msgfmt reads them).
"""

from __future__ import annotations

from tm.formats.po_parse import DEFAULT_DOMAIN, Entry

_TABLE = str.maketrans(
    {
        "\\": "\\\\",
        '"': '\\"',
        "\n": "\\n",
        "\t": "\\t",
        "\r": "\\r",
        "\a": "\\a",
        "\b": "\\b",
        "\f": "\\f",
        "\v": "\\v",
    }
)


def quote(text: str) -> str:
    return '"' + text.translate(_TABLE) + '"'


def _field(prefix: str, keyword: str, text: str) -> list[str]:
    """``msgid "..."``, or ``msgid ""`` and one line per piece ending in a newline."""
    cut = text.find("\n")
    if cut < 0 or cut == len(text) - 1:
        return [f"{prefix}{keyword} {quote(text)}"]
    pieces = text.split("\n")
    lines = [f"{prefix}{keyword} {quote('')}"]
    lines += [prefix + quote(p + "\n") for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(f"{prefix}{quote(pieces[-1])}")
    return lines


def _comment(mark: str, text: str) -> str:
    return f"{mark} {text}" if text else mark


def format_entry(entry: Entry) -> str:
    """The entry's lines, each ending in LF, without the blank line between entries."""
    lines = [_comment("#", c) for c in entry.comments]
    lines += [_comment("#.", c) for c in entry.extracted]
    if entry.references:
        lines.append("#: " + " ".join(entry.references))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    obsolete = "#~ " if entry.obsolete else ""
    for keyword, text in entry.previous:
        lines += _field("#~| " if entry.obsolete else "#| ", keyword, text)
    if entry.msgctxt is not None:
        lines += _field(obsolete, "msgctxt", entry.msgctxt)
    lines += _field(obsolete, "msgid", entry.msgid)
    if entry.msgid_plural is not None:
        lines += _field(obsolete, "msgid_plural", entry.msgid_plural)
        for index, form in enumerate(entry.msgstr):
            lines += _field(obsolete, f"msgstr[{index}]", form)
    else:
        lines += _field(obsolete, "msgstr", entry.msgstr[0] if entry.msgstr else "")
    return "\n".join(lines) + "\n"


def format_domain(domain: str) -> str:
    return f"domain {quote(domain)}\n" if domain != DEFAULT_DOMAIN else ""
