"""Hostile and broken input through the real command line, in a subprocess.

Every refused file must give exactly one line on stderr, ``padan: error: FILE:LINE:COL:
what (what to do)`` with the place where the file has one, exit status 2, no traceback,
nothing on stdout claiming success, and leave the workspace exactly as it was: the test
dumps every table before and after, and also imports the bad file together with a good
one (all files or none). The files are in tests/fixtures/bad (SOURCES.md says how each
was made); the big ones are generated here.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import FIXTURES

BAD = FIXTURES / "bad"
_SCRIPT = Path(sys.executable).with_name("padan")
PADAN = (
    [str(_SCRIPT)]
    if _SCRIPT.exists()
    else [sys.executable, "-c", "import sys; from padan.cli import main; sys.exit(main())"]
)
# Peak memory allowed to one command on a 200 MB input (the import itself stays < 100 MB).
RSS_LIMIT_MB = 600


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PADAN_DB"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def padan(
    workspace: Path, *args: str, timeout: float = 120, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*PADAN, "--db", str(workspace / "padan.db"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=workspace,
        env=_env(),
        **kwargs,  # type: ignore[arg-type]
    )


def padan_measured(
    workspace: Path, *args: str, timeout: float = 300
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run padan from a fresh Python whose only child it is; return the peak RSS in MB of
    that child (RUSAGE_CHILDREN of the middle process counts nothing else)."""
    probe = (
        "import json, resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([r.returncode, r.stdout, r.stderr, peak]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *PADAN, "--db", str(workspace / "padan.db"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=workspace,
        env=_env(),
    )
    assert done.returncode == 0, done.stderr
    code, out, err, peak_kb = json.loads(done.stdout)
    return subprocess.CompletedProcess(args, code, out, err), peak_kb / 1024


def snapshot(workspace: Path) -> tuple[list[str], list[str]]:
    """Every row of every table, and the files of the workspace folder."""
    con = sqlite3.connect(workspace / "padan.db")
    try:
        dump = list(con.iterdump())
    finally:
        con.close()
    files = sorted(p.name for p in workspace.iterdir() if not p.name.endswith(("-wal", "-shm")))
    return dump, files


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A workspace holding good files of each kind: memory, document, term base."""
    folder = tmp_path_factory.mktemp("base")
    for args in (
        ("import", str(BAD / "good.tmx"), str(BAD / "good.txt")),
        ("terms", "import", str(BAD / "good.tbx")),
    ):
        done = padan(folder, *args)
        assert done.returncode == 0, done.stderr
    assert not (folder / "padan.db-wal").exists()
    return folder / "padan.db"


@pytest.fixture
def ws(base, tmp_path) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    shutil.copyfile(base, folder / "padan.db")
    return folder


def refused(
    workspace: Path, args: list[str], shown: str, place: str, message: str
) -> subprocess.CompletedProcess[str]:
    """Run padan; check the one-line error and that the workspace did not change."""
    before = snapshot(workspace)
    done = padan(workspace, *args)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.endswith("\n") and done.stderr.count("\n") == 1, done.stderr
    pattern = rf"padan: error: {re.escape(shown)}{place}: {message}.* \(.+\)\n"
    assert re.fullmatch(pattern, done.stderr), (pattern, done.stderr)
    assert done.stdout == ""
    after = snapshot(workspace)
    assert after[1] == before[1]
    assert after[0] == before[0]
    return done


# -- the fixtures, one case each --------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    file: str
    place: str  # ":LINE:COL", ":LINE" or "" for the whole file
    message: str  # regular expression for the start of the message
    options: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.file


ENTITIES = "entity declarations are not allowed"
IMPORT_CASES = [
    # XML attacks
    Case("xxe_passwd.tmx", ":3", ENTITIES),
    Case("xxe_passwd.xlf", ":3", ENTITIES),
    Case("billion_laughs.tmx", ":3", ENTITIES),
    Case("billion_laughs.xlf", ":3", ENTITIES),
    Case("param_entity_remote_dtd.tmx", ":3", ENTITIES),
    Case("external_dtd_entity.tmx", ":8", "undefined entity &nbsp2;"),
    # truncated or not what the extension says
    Case("truncated.tmx", ":15:35", "malformed XML: Premature end of data in tag seg"),
    Case("xml_decl_only.tmx", ":2:1", "malformed XML: Start tag expected"),
    Case("malformed.xlf", ":10:38", "malformed XML: Opening and ending tag mismatch"),
    Case("not_xliff.xlf", ":2", "not an XLIFF file: the root element is <html>"),
    Case("not_tmx.tmx", ":2", "not a TMX file: the root element is <xliff>"),
    Case("deep_nesting.tmx", r":7:\d+", "elements nested more than 256 deep"),
    # TMX content
    Case("tmx_no_xml_lang.tmx", ":16", "<tuv> without a language"),
    Case("tmx_no_srclang.tmx", "", "the TMX <header> has no srclang"),
    Case("tmx_bad_charref.tmx", ":8:41", "malformed XML: xmlParseCharRef: invalid xmlChar value 1"),
    Case("tmx_raw_control.tmx", ":16:41", "malformed XML: PCDATA invalid Char value 1"),
    Case("tmx_nul_byte.tmx", ":12:36", "malformed XML: Invalid character: Char 0x0"),
    Case("tmx_bad_lang.tmx", ":12", "not a language tag: '!!'"),
    # encodings
    Case("gbk_as_utf8.txt", ":1:1", r"not valid utf-8 \(byte 0xbf", ("--encoding", "utf-8")),
    Case("latin1.txt", ":1:4", r"not valid utf-8 \(byte 0xe9"),
    Case("good.txt", "", "unknown encoding 'klingon-8'", ("--encoding", "klingon-8")),
    Case("utf16le_nobom.po", "", "this PO file is in UTF-16"),
    Case("nul_bytes.txt", ":2:7", "NUL byte"),
    Case("nul_bytes.po", ":11:12", "NUL byte"),
    # binary files with a text extension
    Case("png.txt", ":1:1", "this is a PNG image, not text"),
    Case("png.po", ":1:1", "this is a PNG image, not a PO file"),
    Case("png.tmx", ":1:1", "this is a PNG image, not XML"),
    Case("gzip.tmx", ":1:1", "this is gzip-compressed data, not XML"),
    Case("gzip.txt", ":1:1", "this is gzip-compressed data, not text"),
    Case("gzip.po", ":1:1", "this is gzip-compressed data, not a PO file"),
    # PO and MO
    Case("po_syntax_error.po", ":13:19", "not a valid PO file: end-of-line within string"),
    Case("po_plural_mismatch.po", ":16", "3 plural forms where the header says nplurals=2"),
    Case("po_bad_plural_forms.po", ":1", "invalid plural expression 'n>1 \\+' in Plural-Forms"),
    Case("po_plural_out_of_range.po", ":1", "nplurals = 1 but plural expression .* as large as 1"),
    Case("po_duplicate_msgid.po", ":20", "duplicate message definition of 'File'"),
    Case("po_bad_charset.po", ":6:36", "unknown charset 'NO-SUCH-CHARSET'"),
    Case("po_charset_lie.po", ":11:18", r"bytes that are not utf-8 \(the declared charset\)"),
    Case("po_bad_language.po", "", "bad Language header '!!'"),
    Case("mo_truncated.mo", "", "truncated or damaged MO file"),
    Case("mo_bad_magic.mo", "", r"not an MO file \(wrong magic number\)"),
    # empty files
    Case("empty.txt", "", "empty file"),
    Case("whitespace_only.txt", "", "no text, only white space"),
    Case("empty.po", "", "empty file"),
    Case("empty.pot", "", "empty file"),
    Case("empty.mo", "", "empty file"),
    Case("empty.tmx", "", "empty file"),
    Case("empty.xlf", "", "empty file"),
]

TERMS_CASES = [
    Case("xxe_passwd.tbx", ":3", ENTITIES),
    Case("billion_laughs.tbx", ":3", ENTITIES),
    Case("external_dtd_entity.tbx", ":8", "undefined entity &nbsp2;"),
    Case("truncated.tbx", ":8:46", "malformed XML: Premature end of data in tag term"),
    Case("not_tbx.tbx", ":2", "not a TBX file: the root element is <tmx>"),
    Case("deep_nesting.tbx", r":7:\d+", "elements nested more than 256 deep"),
    Case("png.tbx", ":1:1", "this is a PNG image, not XML"),
    Case("tbx_no_termentry.tbx", ":2", "no <termEntry> or <conceptEntry>"),
    Case("tbx_langset_no_lang.tbx", ":8", "<langSet> without xml:lang"),
    Case("tbx_langset_bad_lang.tbx", ":8", "not a language tag: '12 34'"),
    Case("tbx_langset_bare_term.tbx", ":7", "<term> directly inside <langSet>"),
    Case("csv_ragged.csv", ":3", "1 cell where the header has 5", ("--to", "id")),
    Case("csv_cp1252.csv", ":2:4", r"not valid utf-8 \(byte 0xe9", ("--to", "id")),
    Case("csv_unclosed_quote.csv", ":2", "CSV syntax error", ("--to", "id")),
    Case("gzip.csv", ":1:1", "this is gzip-compressed data, not text", ("--to", "id")),
    Case("tsv_no_tab.tsv", ":2", r"expected source<TAB>target", ("--to", "id")),
    Case("png.po", ":1:1", "this is a PNG image, not a PO file"),
    Case("nul_bytes.po", ":11:12", "NUL byte"),
    Case("po_bad_charset.po", ":6:36", "unknown charset 'NO-SUCH-CHARSET'"),
    Case("empty.tbx", "", "empty file"),
    Case("empty.csv", "", "empty file", ("--to", "id")),
    Case("empty.tsv", "", "empty file", ("--to", "id")),
    Case("empty.po", "", "empty file"),
]

# Hostile files that are nonetheless valid: imported, without doing what they ask for.
ACCEPTED = {
    "dtd_system_passwd.tmx",
    "utf16le_nobom.txt",
    "utf16le_nobom.tmx",
    "utf16le_nobom_no_nul.txt",
    "gbk_as_utf8.txt",
}


@pytest.mark.parametrize("case", IMPORT_CASES, ids=str)
def test_import_refuses_bad_file(ws, case):
    path = str(BAD / case.file)
    refused(ws, ["import", *case.options, path], path, case.place, case.message)


@pytest.mark.parametrize("case", IMPORT_CASES, ids=str)
def test_import_of_good_and_bad_files_imports_neither(ws, case):
    """good.po is not in the workspace yet: importing it with the bad file must not
    leave its units behind, nor print that it was imported."""
    path = str(BAD / case.file)
    args = ["import", *case.options, str(BAD / "good.po"), path]
    refused(ws, args, path, case.place, case.message)


CHECKED = {
    "xxe_passwd.tmx",
    "billion_laughs.xlf",
    "truncated.tmx",
    "malformed.xlf",
    "tmx_no_srclang.tmx",
    "gbk_as_utf8.txt",
    "png.txt",
    "nul_bytes.po",
    "po_duplicate_msgid.po",
    "mo_truncated.mo",
    "empty.po",
}


@pytest.mark.parametrize("case", [c for c in IMPORT_CASES if c.file in CHECKED], ids=str)
def test_check_refuses_bad_file(ws, case):
    """`padan check` reads files through the same readers: the same one-line errors
    (one file per reader and kind of damage)."""
    path = str(BAD / case.file)
    refused(ws, ["check", *case.options, path], path, case.place, case.message)


@pytest.mark.parametrize("case", TERMS_CASES, ids=str)
def test_terms_import_refuses_bad_file(ws, case):
    path = str(BAD / case.file)
    refused(ws, ["terms", "import", *case.options, path], path, case.place, case.message)


def test_every_fixture_has_a_case():
    used = {c.file for c in IMPORT_CASES + TERMS_CASES} | ACCEPTED
    controls = {p.name for p in BAD.glob("good.*")}
    present = {p.name for p in BAD.iterdir()} - {"SOURCES.md", "make_fixtures.py"} - controls
    assert present - used == set()
    assert used - present - controls == set()
    assert len(present) >= 30


def test_fixtures_are_what_the_script_makes(tmp_path):
    """The committed files are byte for byte what make_fixtures.py writes."""
    script = (BAD / "make_fixtures.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {"__name__": "make_fixtures", "__file__": str(tmp_path / "x")}
    exec(compile(script, "make_fixtures.py", "exec"), namespace)
    made = namespace["files"]()  # type: ignore[operator]
    for name, data in made.items():
        assert (BAD / name).read_bytes() == data, name
    listed = (BAD / "SOURCES.md").read_text(encoding="utf-8")
    for name in made:
        assert f"`{name}`" in listed, f"{name} is not described in SOURCES.md"


# -- score (plain text) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hyp", "ref", "shown", "place", "message"),
    [
        ("png.txt", "good.txt", "png.txt", ":1:1", "this is a PNG image, not text"),
        ("good.txt", "nul_bytes.txt", "nul_bytes.txt", ":2:7", "NUL byte"),
        ("good.txt", "latin1.txt", "latin1.txt", ":1:4", "not valid utf-8"),
        ("gzip.txt", "good.txt", "gzip.txt", ":1:1", "this is gzip-compressed data"),
        ("missing.txt", "good.txt", "missing.txt", "", "file not found"),
    ],
)
def test_score_refuses_bad_text(ws, hyp, ref, shown, place, message):
    done = refused(ws, ["score", str(BAD / hyp), str(BAD / ref)], str(BAD / shown), place, message)
    assert "--encoding" not in done.stderr  # score has no such option


# -- paths that are not readable files ------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["import"], "missing.tmx"),
        (["import"], "missing.po"),
        (["import"], "missing.mo"),
        (["import"], "missing.xlf"),
        (["import"], "missing.txt"),
        (["terms", "import"], "missing.tbx"),
        (["terms", "import"], "missing.po"),
        (["terms", "import", "--to", "id"], "missing.csv"),
    ],
)
def test_missing_file(ws, command, name):
    path = str(ws / name)
    refused(ws, [*command, path], path, "", "file not found")


@pytest.mark.parametrize("name", ["corpus", "memory.tmx", "catalog.po", "glossary.tbx"])
def test_folder_given_as_file(ws, tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    command = ["terms", "import"] if name.endswith(".tbx") else ["import"]
    refused(ws, [*command, str(folder)], str(folder), "", "is a folder, not a file")
    refused(ws, ["import", str(BAD / "good.po"), str(folder)], str(folder), "", "is a folder")


def _without_dac_override() -> None:
    """In the child, before exec: drop the capabilities that let root read any file."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.parametrize("name", ["good.txt", "good.tmx", "good.po", "good.mo", "good.tbx"])
def test_unreadable_file(ws, tmp_path, name):
    path = tmp_path / f"locked-{name}"
    shutil.copyfile(BAD / name, path)
    path.chmod(0)
    extra: dict[str, object] = {}
    if os.geteuid() == 0:
        # Root reads a mode-000 file anyway; the child gives up that power (or we say so).
        extra["preexec_fn"] = _without_dac_override
        try:
            probe = subprocess.run(
                [sys.executable, "-c", f"open({str(path)!r}, 'rb').read()"],
                capture_output=True,
                preexec_fn=_without_dac_override,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            pytest.skip(f"root without CAP_SETPCAP cannot drop CAP_DAC_OVERRIDE: {exc}")
        if probe.returncode == 0:
            pytest.skip("running as root and the file stays readable: cannot test")
    command = ["terms", "import"] if name.endswith(".tbx") else ["import"]
    before = snapshot(ws)
    done = padan(ws, *command, str(path), **extra)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (
        f"padan: error: {path}: cannot read: Permission denied "
        "(check the permissions of the file and its folder)\n"
    )
    assert snapshot(ws) == before


# -- hostile but valid files: imported, without doing what they ask --------------------------


def _texts(workspace: Path) -> str:
    con = sqlite3.connect(workspace / "padan.db")
    try:
        return "\n".join(row[0] for row in con.execute("SELECT original FROM variants"))
    finally:
        con.close()


def test_dtd_naming_a_local_file_is_never_read(ws):
    done = padan(ws, "import", str(BAD / "dtd_system_passwd.tmx"))
    assert done.returncode == 0, done.stderr
    assert "1 unit added" in done.stdout
    assert "root:" not in _texts(ws)


def test_entities_of_a_local_dtd_are_not_expanded(ws, tmp_path):
    """A DTD on disk defining an external entity that reads /etc/passwd: it is not loaded,
    so the reference is undefined, and the file refused."""
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret SYSTEM "file:///etc/passwd">\n', encoding="utf-8")
    tmx = tmp_path / "local_dtd.tmx"
    text = (BAD / "dtd_system_passwd.tmx").read_text(encoding="utf-8")
    text = text.replace("file:///etc/passwd", dtd.as_uri()).replace(
        "<seg>open source</seg>", "<seg>&secret;</seg>"
    )
    tmx.write_text(text, encoding="utf-8")
    done = refused(ws, ["import", str(tmx)], str(tmx), ":8", "undefined entity &secret;")
    assert "root:" not in done.stderr


class _Server:
    """An HTTP server on localhost that counts the requests it gets."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                outer.requests.append(self.path)
                body = b'<!ENTITY nbsp2 "LEAKED-FROM-NETWORK"><!ENTITY % x "">'
                self.send_response(200)
                self.send_header("Content-Type", "application/xml-dtd")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = _Server()
    yield s
    s.close()


def _pointing_at(server: _Server, name: str, tmp_path: Path) -> Path:
    out = tmp_path / name
    text = (BAD / name).read_text(encoding="utf-8")
    out.write_text(text.replace("http://padan-test.invalid", server.url), encoding="utf-8")
    return out


def test_server_sees_a_fetch(server):
    """The probe works: fetching the URL is seen (so zero requests below means no fetch)."""
    import urllib.request

    with urllib.request.urlopen(server.url + "/tmx14.dtd") as reply:
        assert b"LEAKED" in reply.read()
    assert server.requests == ["/tmx14.dtd"]


def test_external_dtd_is_not_fetched(ws, tmp_path, server):
    plain = tmp_path / "remote_dtd.tmx"
    text = (BAD / "external_dtd_entity.tmx").read_text(encoding="utf-8")
    plain.write_text(
        text.replace("http://padan-test.invalid", server.url).replace("&nbsp2;", " "),
        encoding="utf-8",
    )
    done = padan(ws, "import", str(plain))
    assert done.returncode == 0, done.stderr
    assert "1 unit added" in done.stdout
    for name, command in [
        ("external_dtd_entity.tmx", ["import"]),
        ("external_dtd_entity.tbx", ["terms", "import"]),
    ]:
        path = _pointing_at(server, name, tmp_path)
        refused(ws, [*command, str(path)], str(path), ":8", "undefined entity &nbsp2;")
    path = _pointing_at(server, "param_entity_remote_dtd.tmx", tmp_path)
    refused(ws, ["import", str(path)], str(path), ":3", ENTITIES)
    assert server.requests == []
    assert "LEAKED" not in _texts(ws)


def _hidden(declarations: str, body: str) -> str:
    """A DOCTYPE whose entity declarations come after 70 KB of comment: past the bytes
    the first check scans, so only the check on the parsed DOCTYPE can see them."""
    filler = "<!-- " + "padding " * 9000 + "-->\n"
    name = re.match(r"<(\w+)", body).group(1)  # type: ignore[union-attr]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE {name} [\n{filler}{declarations}]>\n{body}"
    )


@pytest.mark.parametrize("kind", ["tmx", "tbx", "xlf"])
def test_entity_declared_past_the_scanned_prolog(ws, tmp_path, kind):
    good = (BAD / f"good.{'tmx' if kind == 'tmx' else 'tbx'}").read_text(encoding="utf-8")
    if kind == "xlf":
        good = (BAD / "malformed.xlf").read_text(encoding="utf-8")
        good = (
            good[: good.index('      <trans-unit id="2">')] + "    </body>\n  </file>\n</xliff>\n"
        )
    root_at = good.index("<", good.index("?>"))
    body = good[root_at:].replace("open source", "&xxe;", 1)
    text = _hidden('<!ENTITY xxe SYSTEM "file:///etc/passwd">\n', body)
    path = tmp_path / f"hidden.{kind}"
    path.write_text(text, encoding="utf-8")
    assert len(text.encode()) > 70_000 and "&xxe;" in text
    command = ["terms", "import"] if kind == "tbx" else ["import"]
    done = refused(ws, [*command, str(path)], str(path), "", ENTITIES)
    assert "root:" not in done.stderr


def test_quadratic_blowup_past_the_scanned_prolog(ws, tmp_path):
    """One 100 KB entity referenced 20,000 times (2 GB if expanded), declared past the
    first check: refused quickly and in little memory."""
    body = (BAD / "good.tmx").read_text(encoding="utf-8")
    body = body[body.index("<tmx") :].replace("open source", "&big;" * 20_000, 1)
    text = _hidden(f'<!ENTITY big "{"A" * 100_000}">\n', body)
    path = tmp_path / "quadratic.tmx"
    path.write_text(text, encoding="utf-8")
    before = snapshot(ws)
    started = time.monotonic()
    done, peak = padan_measured(ws, "import", str(path))
    assert time.monotonic() - started < 30
    # libxml2 >= 2.13 stops the expansion itself and gives the place of the reference
    assert done.returncode == 2
    assert re.match(rf"padan: error: {re.escape(str(path))}(:\d+:\d+)?: {ENTITIES}", done.stderr)
    assert peak < 200, f"{peak:.0f} MB"
    assert snapshot(ws) == before


def test_utf16_without_bom_is_read_as_utf16(ws):
    for name in ("utf16le_nobom.txt", "utf16le_nobom_no_nul.txt", "utf16le_nobom.tmx"):
        done = padan(ws, "import", str(BAD / name))
        assert done.returncode == 0, done.stderr
    texts = _texts(ws)
    assert "Model open-weight dapat diunduh dan dijalankan oleh siapa saja." in texts
    assert "模型数据训练源码" * 20 in texts  # not GB18030 garbage such as 媁penc
    assert "媁" not in texts


def test_gbk_text_without_encoding_is_detected(ws):
    done = padan(ws, "import", str(BAD / "gbk_as_utf8.txt"))
    assert done.returncode == 0, done.stderr
    assert "开源模型" in _texts(ws)


def test_huge_text_node(ws, tmp_path):
    """12 MB of text in one segment: over libxml2's limit for untrusted input."""
    text = (BAD / "good.tmx").read_text(encoding="utf-8")
    path = tmp_path / "huge_segment.tmx"
    path.write_text(text.replace("open source", "x" * 12_000_000, 1), encoding="utf-8")
    refused(ws, ["import", str(path)], str(path), r":7:\d+", "more than 10 MB of text")


# -- big files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "command", "limit"),
    [
        (".txt", ["import"], 64),
        (".po", ["import"], 256),
        (".mo", ["import"], 256),
        (".po", ["terms", "import"], 48),
        (".xlf", ["import"], 4096),  # streamed
        (".tmx", ["import"], 4096),
        (".tbx", ["terms", "import"], 32),
        (".csv", ["terms", "import", "--to", "id"], 24),
        (".tsv", ["terms", "import", "--to", "id"], 24),
    ],
)
def test_file_over_the_size_limit(ws, tmp_path, suffix, command, limit):
    """A sparse file (no disk used) just over what the reader accepts: refused from its
    size alone, before anything is read."""
    path = tmp_path / f"huge{suffix}"
    with path.open("wb") as f:
        f.truncate(limit * 2**20 + 2**20)
    refused(ws, [*command, str(path)], str(path), "", rf"file is {limit + 1} MiB, more than")


def _write_big_tmx(path: Path, megabytes: int) -> int:
    """A TMX of about ``megabytes`` MB: 8 KB units (paragraph segments). Returns the count."""
    head = (BAD / "good.tmx").read_text(encoding="utf-8")
    head = head[: head.index("<body>") + len("<body>")] + "\n"
    words = "sumber terbuka model open-weight pengembang lisensi " * 78  # ~4 KB
    count = 0
    with path.open("w", encoding="utf-8") as f:
        f.write(head)
        while f.tell() < megabytes * 1_000_000:
            f.write(
                f'<tu tuid="b{count}"><tuv xml:lang="en"><seg>paragraph {count} {words}</seg>'
                f'</tuv><tuv xml:lang="id"><seg>paragraf {count} {words}</seg></tuv></tu>\n'
            )
            count += 1
        f.write("</body>\n</tmx>\n")
    return count


def test_200_mb_tmx_streams_in_bounded_memory(ws, tmp_path):
    """A 200 MB TMX imports with flat memory; the same file cut short near its end is
    refused at the place it breaks, in bounded memory, and leaves nothing behind."""
    big = tmp_path / "big.tmx"
    count = _write_big_tmx(big, 200)
    assert big.stat().st_size >= 200_000_000

    cut = tmp_path / "cut.tmx"
    shutil.copyfile(big, cut)
    with cut.open("r+b") as f:
        f.truncate(big.stat().st_size - 3000)  # inside the last unit
    before = snapshot(ws)
    done, peak = padan_measured(ws, "import", str(cut))
    print(f"\n200 MB truncated TMX: peak RSS {peak:.0f} MB")
    assert done.returncode == 2, done.stderr
    assert re.fullmatch(
        rf"padan: error: {re.escape(str(cut))}:{count + 5}:\d+: malformed XML: .+ \(.+\)\n",
        done.stderr,
    ), done.stderr
    assert peak < RSS_LIMIT_MB, f"{peak:.0f} MB"
    assert snapshot(ws) == before
    cut.unlink()

    done, peak = padan_measured(ws, "import", str(big))
    print(f"200 MB TMX import: peak RSS {peak:.0f} MB")
    assert done.returncode == 0, done.stderr
    assert f"{count} units added" in done.stdout
    assert peak < RSS_LIMIT_MB, f"{peak:.0f} MB"
    con = sqlite3.connect(ws / "padan.db")
    try:
        (units,) = con.execute(
            "SELECT COUNT(*) FROM units u JOIN documents d ON d.id = u.document_id "
            "WHERE d.name = 'big.tmx'"
        ).fetchone()
    finally:
        con.close()
    assert units == count


@pytest.mark.parametrize(
    ("args", "option", "tag"),
    [
        (["import", "--lang", "xx", str(BAD / "good.txt")], "--lang", "xx"),
        (["import", "--from", "en", "--to", "zz", str(BAD / "good.po")], "--to", "zz"),
        (["export", "out.tmx", "--from", "qq"], "--from", "qq"),
        (["export", "out.po", "--from", "en", "--to", "xx-ID"], "--to", "xx-ID"),
        (["search", "hello", "--to", "xx"], "--to", "xx"),
        (["analyze", str(BAD / "good.po"), "--to", "zz"], "--to", "zz"),
        (["terms", "add", "halo", "--lang", "xx"], "--lang", "xx"),
        (["terms", "set-status", "1", "zz", "halo", "preferred"], "LANG", "zz"),
        (["terms", "export", "out.tbx", "--to", "xx"], "--to", "xx"),
    ],
)
def test_a_language_tag_that_names_no_language_is_refused(ws, args, option, tag):
    """Well-formed tags the BCP 47 registry has no language for: one line naming the
    option and the tag, exit 2, nothing stored or written."""
    refused(ws, args, option, "", f"'{re.escape(tag)}' names no language")
    assert not [p for p in ws.iterdir() if p.name.startswith("out.")]


@pytest.mark.parametrize("tag", ["zh-Hans", "zh_CN", "id", "en-US", "und"])
def test_a_valid_language_tag_is_accepted(ws, tag):
    done = padan(ws, "import", "--lang", tag, str(BAD / "good.txt"))
    assert done.returncode == 0, done.stderr
    done = padan(ws, "search", "paragraph", "--lang", tag, "--to", tag)
    assert done.returncode == 0, done.stderr
