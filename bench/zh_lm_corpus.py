"""Collect the clean Chinese UI and help text of Debian packages for termbase/zh_lm.py's models.

A model trained on technical documentation alone cannot tell ordinary words apart in
interface strings (消息/信息, 使用/应用): it has seen few. Debian's zh_CN translations of
desktop programs and their manuals are reviewed, openly licensed text of exactly that
kind. Each package below is fetched by name and version with ``apt-get download`` and
unpacked with ``dpkg-deb -x``; nothing is installed. Its licence is the one its
``copyright`` file states (termbase/data/NOTICE-zh-lm.md lists them with what was read):
each may be combined with Padan's GPL-3.0-or-later, which is why e2fsprogs' catalogue
(GPL-2 only), the GNOME user guide (CC BY-SA 3.0), GIMP's manual (GFDL) and the Debian FAQ
(a licence of its own) are not among them.

Left out on purpose: every project whose catalogue the held-out sets of bench/zh_heldout.py
come from (the zh_CN catalogues this machine's base system installs: coreutils, git, apt,
glib/GTK, GStreamer, PostgreSQL, systemd, binutils, iso-codes ...). On top of that, any
line sharing a stretch of :data:`OVERLAP` characters with a held-out string (bench/data
zh-*-clean.txt, 003-reference.txt) is dropped, since strings such as gnulib's messages
travel between projects.

    python bench/zh_lm_corpus.py OUT.txt.gz [--cache DIR]     # one string or paragraph a line

The interface model is then trained on it; the documentation model beside it, on the
repositories NOTICE-zh-lm.md lists (each checked out at the commit given, only the folder
given):

    python -m termbase.zh_lm_train termbase/data/zh-lm-ui.tsv.gz OUT.txt.gz --order 4 --min-count 2
    python -m termbase.zh_lm_train termbase/data/zh-lm.tsv.gz DOCS_DIR... --order 4 --min-count 2
"""

from __future__ import annotations

import argparse
import gzip
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import polib
from lxml import etree, html

from termbase.zh_lm import normalize

DATA = Path(__file__).parent / "data"
OVERLAP = 10  # characters, normalised: a shared stretch this long is a shared string

# (package, version, licence as its copyright file states it)
PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("libreoffice-l10n-zh-cn", "4:7.4.7-1+deb12u14", "MPL-2.0"),
    ("libreoffice-help-zh-cn", "4:7.4.7-1+deb12u14", "MPL-2.0"),
    ("firefox-esr-l10n-zh-cn", "153.8.0esr-1~deb12u1", "MPL-2.0"),
    ("thunderbird-l10n-zh-cn", "1:153.8.0esr-1~deb12u1", "MPL-2.0"),
    ("cinnamon-l10n", "5.6.1-2", "GPL-2+"),
    ("krita-l10n", "1:5.1.5+dfsg-2+deb12u1", "GPL-2+/LGPL"),
    ("kdevelop-l10n", "4:22.12.2-1", "GPL-2+/LGPL-2+"),
    ("k3b-i18n", "22.12.3-1", "GPL-2+"),
    ("kile-l10n", "4:2.9.93-2", "GPL-2+"),
    ("vlc-l10n", "3.0.24-0+deb12u1", "GPL-2+/LGPL-2.1+"),
    ("inkscape", "1.2.2-2+deb12u1", "GPL-2+"),
    ("gnumeric-common", "1.12.55-1", "GPL-2/GPL-3"),
    ("libgphoto2-l10n", "2.5.30-1", "LGPL-2+"),
    ("aegisub-l10n", "3.2.2+dfsg-7", "BSD-3-clause"),
    ("evolution-data-server-common", "3.46.4-2+deb12u1", "LGPL-2+"),
    ("evolution-common", "3.46.4-2+deb12u1", "GPL-2+/LGPL-2"),
    ("gnome-control-center-data", "1:43.6-2~deb12u1", "GPL-2+"),
    ("nautilus-data", "43.2-1", "GPL-3+"),
    ("gnome-shell-common", "43.9-0+deb12u2", "GPL-2+"),
    ("mutter-common", "43.8-0+deb12u1", "GPL-2+"),
    ("gedit-common", "44.2-1", "GPL-2+"),
    ("rhythmbox-data", "3.4.6-2", "GPL-2+"),
    ("totem-common", "43.0-2", "GPL-2+"),
    ("evince-common", "43.1-2+deb12u1", "GPL-2+"),
    ("file-roller", "43.0-1", "GPL-2+"),
    ("gnome-software-common", "43.5-1~deb12u2", "GPL-2+"),
    ("gnome-disk-utility", "43.0-1", "GPL-2+"),
    ("network-manager-gnome", "1.30.0-2", "GPL-2+"),
    ("shotwell-common", "0.30.17-1", "LGPL-2.1"),
    ("pidgin-data", "2.14.12-1", "GPL-2+"),
    ("hexchat-common", "2.16.1-1", "GPL-2+"),
    ("filezilla-common", "3.63.0-1+deb12u3", "GPL-2+"),
    ("audacity-data", "3.2.4+dfsg-1", "GPL-2+"),
    ("gnucash-common", "1:4.13-1", "GPL-2+"),
    ("remmina-common", "1.4.29+dfsg-1", "GPL-2+"),
    ("synaptic", "0.91.3", "GPL-2+"),
    ("thunar-data", "4.18.4-1", "GPL-2+"),
    ("xfce4-panel", "4.18.2-1", "GPL-2+"),
    ("xfce4-settings", "4.18.2-1", "GPL-2+"),
    ("mate-desktop-common", "1.26.0-2", "GPL-2+/LGPL-2+"),
    ("caja-common", "1.26.1-1+deb12u1", "GPL-2+"),
    ("dolphin", "4:22.12.3-1", "GPL-2+"),
    ("konsole", "4:22.12.3-1+deb12u1", "GPL-2+"),
    ("okular", "4:22.12.3-1+deb12u1", "GPL-2+"),
    ("systemsettings", "4:5.27.5-2", "GPL-2+"),
    ("kdenlive-data", "22.12.3-2+deb12u2", "GPL-2+"),
    ("digikam-data", "4:7.9.0-1", "GPL-2+"),
    ("debian-reference-zh-cn", "2.100", "GPL-2+"),
    ("maint-guide-zh-cn", "1.2.53", "GPL-2+/MIT"),
    ("debian-edu-doc-zh-cn", "2.12.23~deb12u1", "GPL-2+"),
)

_HAN = re.compile(r"[\u4e00-\u9fff]")
_ACCEL = re.compile(r"\(\s*[_&~]?[A-Za-z0-9]\s*\)|[_&~](?=[A-Za-z0-9])")  # 打开(_O), &File
_FORMAT = re.compile(r"%(?:\d+\$)?[-+ #0]*\d*(?:\.\d+)?[a-zA-Z]|\{[^{}]*\}|\$\w+|<[^>]+>")
_ZH_PATH = re.compile(r"(?:^|/)(?:zh_CN|zh-CN|zh-cn|zh_cn)(?:/|\.|$)|\.zh-cn\.")
_BLOCKS = ("p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "title", "caption")
_PAGE_BLOCKS = ("p", "title", "desc", "item", "td")


def fetch(package: str, version: str, cache: Path) -> Path:
    """The package unpacked under ``cache`` (downloaded once)."""
    into = cache / package
    if not into.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(["apt-get", "download", f"{package}={version}"], cwd=cache, check=True)
        deb = next(cache.glob(f"{package}_*.deb"))
        subprocess.run(["dpkg-deb", "-x", str(deb), str(into)], check=True)
        deb.unlink()
    return into


def package_text(root: Path, chinese_only: bool) -> Iterator[str]:
    """The Chinese (China) strings and paragraphs of an unpacked package (all of its
    files when it is a Chinese-only package, else those under a zh_CN name)."""
    for f in sorted(root.rglob("*")):
        rel = f.relative_to(root).as_posix()
        if not f.is_file() or not (chinese_only or _ZH_PATH.search(rel)):
            continue
        if f.suffix == ".mo":
            yield from catalogue(f)
        elif f.suffix == ".html":
            yield from markup(html.parse(str(f)).getroot(), _BLOCKS)
        elif f.suffix == ".page":
            tree = etree.parse(str(f), etree.XMLParser(resolve_entities=False, no_network=True))
            for el in tree.iter():  # Mallard: strip the namespace, read as blocks
                if isinstance(el.tag, str):
                    el.tag = etree.QName(el).localname
            yield from markup(tree.getroot(), _PAGE_BLOCKS)
        elif f.suffix == ".xpi":
            yield from langpack(f)


def catalogue(path: Path) -> Iterator[str]:
    for entry in polib.mofile(str(path)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            yield from _lines(_FORMAT.sub(" ", _ACCEL.sub("", text)))


def markup(root: etree._Element, blocks: Iterable[str]) -> Iterator[str]:
    for el in root.iter(*blocks):
        if not any(a.tag in blocks for a in el.iterancestors()):  # outermost block only
            yield from _lines("".join(el.itertext()))


def langpack(path: Path) -> Iterator[str]:
    """The values of a Mozilla language pack's Fluent and .properties files."""
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.endswith((".ftl", ".properties")):
                for line in archive.read(name).decode("utf-8", "replace").splitlines():
                    key, sep, value = line.partition("=")
                    if sep and not key.lstrip().startswith("#"):
                        yield from _lines(_FORMAT.sub(" ", _ACCEL.sub("", value)))


def _lines(text: str) -> Iterator[str]:
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(_HAN.findall(line)) >= 2:
            yield line


def held_out_windows(paths: Iterable[Path]) -> set[str]:
    windows = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = normalize(line)
            windows.update(text[i : i + OVERLAP] for i in range(len(text) - OVERLAP + 1))
    return windows


def overlaps(line: str, windows: set[str]) -> bool:
    text = normalize(line)
    return any(text[i : i + OVERLAP] in windows for i in range(len(text) - OVERLAP + 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/padan-zh-lm-debs"))
    args = parser.parse_args(argv)
    held_out = [*DATA.glob("zh-*-clean.txt"), DATA / "003-reference.txt"]
    windows = held_out_windows(held_out)
    seen: dict[str, None] = {}
    dropped = 0
    for package, version, _ in PACKAGES:
        lines = han = 0
        for line in package_text(fetch(package, version, args.cache), package.endswith("-zh-cn")):
            if line in seen:
                continue
            if overlaps(line, windows):
                dropped += 1
                continue
            seen[line] = None
            lines, han = lines + 1, han + len(_HAN.findall(line))
        print(f"{package} {version}: {lines} lines, {han} Han characters", file=sys.stderr)
    with (
        gzip.open(args.output, "wt", encoding="utf-8")
        if args.output.suffix == ".gz"
        else (args.output.open("w", encoding="utf-8")) as out
    ):
        out.write("\n".join(seen) + "\n")
    han = sum(len(_HAN.findall(line)) for line in seen)
    print(f"{len(seen)} lines, {han} Han characters; {dropped} held-out", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
