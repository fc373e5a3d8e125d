"""Language tags: one normal form inside Padan, each file format's own convention outside.

zh, zh-CN, zh_CN, zh-Hans and zh-Hans-CN all name Simplified Chinese and are stored as
``zh``; id/id-ID/in and en/en-US/en_US likewise. Other tags keep their distinctions
(pt-BR is not pt) but are written in BCP 47 casing.

A tag a person types (``checked``) must also name a language: every subtag in the IANA
registry, as BCP 47 validity asks (``xx`` and ``zz`` are well-formed but name nothing).
A file's tags are only normalized: readers keep what a file says.

Matching (``same_language``): es, es-ES and es-419 are variants of one language, so a
memory in one serves a job in another, as CAT tools offer them (OmegaT matches a TMX's
target by its language subtag; Trados Studio lets a project use a TM of another
sub-language); the leverage ranks them below the job's own tag. A variant in another
script is another language to a reader: zh (Simplified) never serves zh-Hant, nor sr
(Cyrillic) sr-Latn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from corpora.errors import CorpusError

# Regions and scripts that add nothing for the languages Padan serves: the tag without
# them names the same language. zh-TW / zh-Hant stay distinct (traditional script).
_DEFAULT_SUBTAGS = {
    "zh": {"cn", "hans", "sg", "my"},
    "id": {"id"},
    "en": {"us"},
}
_SCRIPT_MAP = {("zh", "tw"): "zh-Hant", ("zh", "hk"): "zh-Hant", ("zh", "mo"): "zh-Hant"}
_ALIASES = {"in": "id", "chi": "zh", "zho": "zh", "ind": "id", "eng": "en", "cn": "zh"}
# How the normal form is written where a format expects a region.
_REGION_FORM = {"zh": "CN", "id": "ID", "en": "US", "zh-Hant": "TW"}
_TAG_RE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


@lru_cache(maxsize=1024)  # a file names its few languages on every unit or entry
def normalize(tag: str) -> str:
    """Return Padan's normal form of a language tag, or raise CorpusError if it is not one."""
    raw = tag.strip()
    # POSIX locales carry an encoding or modifier (zh_CN.UTF-8, sr@latin).
    raw = raw.split(".", 1)[0].split("@", 1)[0]
    if not _TAG_RE.match(raw):
        raise CorpusError(f"not a language tag: {tag!r}", hint="use a code such as zh, id or en")
    parts = [p.lower() for p in raw.replace("_", "-").split("-")]
    lang = _ALIASES.get(parts[0], parts[0])
    rest = parts[1:]
    if lang == "zh":
        if "hant" in rest or any((lang, p) in _SCRIPT_MAP for p in rest):
            return "zh-Hant"
    redundant = _DEFAULT_SUBTAGS.get(lang, set())
    rest = [p for p in rest if p not in redundant]
    out = [lang]
    for p in rest:
        if len(p) == 4 and p.isalpha():
            out.append(p.title())
        elif len(p) == 2 and p.isalpha():
            out.append(p.upper())
        else:
            out.append(p)
    return "-".join(out)


def checked(tag: str) -> str:
    """The normal form of a tag a person gave, refused when it names no language."""
    import langcodes  # its registry costs 0.1 s to load: only when a tag is given

    norm = normalize(tag)
    if not langcodes.tag_is_valid(norm):
        raise CorpusError(
            f"{tag!r} names no language (not a valid BCP 47 tag)",
            hint="use a code such as zh, zh-Hans, id, en-US or und",
        )
    return norm


def same_language(a: str, b: str) -> bool:
    """Whether two normal forms name one language in one script (es and es-ES, pt-BR and
    pt-PT; not zh and zh-Hant, sr and sr-Latn, nor und and anything)."""
    if a == b:
        return True
    if a.split("-")[0] != b.split("-")[0] or a.startswith("und"):
        return False
    import langcodes  # only for two tags of one language: its registry costs 0.1 s

    try:  # the script a tag implies when it names none: sr -> Cyrl, pa-PK -> Arab
        scripts = {langcodes.Language.get(t).maximize().script for t in (a, b)}
    except ValueError:  # a file's tag langcodes cannot parse
        return False
    return len(scripts) == 1


def variants(tag: str, among: Iterable[str]) -> list[str]:
    """The tags of ``among`` that are other variants of ``tag``'s language (es and es-419
    for es-ES, es-ES for es; never zh-Hant for zh), the base language first."""
    found = {other for other in among if other != tag and same_language(other, tag)}
    return sorted(found, key=lambda other: (other.count("-"), other))


def to_xml_lang(tag: str) -> str:
    """The form written in TMX and TBX xml:lang: zh -> zh-CN, id -> id-ID, en -> en-US."""
    norm = normalize(tag)
    region = _REGION_FORM.get(norm)
    if region:
        return f"{norm.split('-')[0]}-{region}"
    return norm


def to_po(tag: str) -> str:
    """The gettext form written in PO Language headers: zh -> zh_CN, id -> id, en -> en."""
    norm = normalize(tag)
    if norm == "zh":
        return "zh_CN"
    if norm == "zh-Hant":
        return "zh_TW"
    return norm.replace("-", "_")
