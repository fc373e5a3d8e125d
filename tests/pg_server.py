"""A throw-away PostgreSQL server for the tests and benchmarks, from the installed binaries.

``initdb`` makes a cluster in a fresh temporary folder and ``pg_ctl`` starts it listening
only on a Unix socket inside that folder (no TCP port to collide with), trusting local
connections from the role ``padan``. Durability is switched off (``fsync``,
``synchronous_commit``, ``full_page_writes``): the data dies with the test run anyway.

PostgreSQL refuses to run as root. When we are root (a CI container), the cluster is made
and run by the ``postgres`` account that Debian's ``postgresql`` package creates; the
folder is handed to it, and root still reaches the socket.

The cluster's locale is ``C.UTF-8``: character classes are Unicode's (pg_trgm needs to
know that 开 is a letter to cut Chinese into trigrams), while Padan's own columns compare by
code point like SQLite (``corpora.db`` creates them ``COLLATE "C"``).
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

ROLE = "padan"
RUN_AS = "postgres"  # the account that runs the server when we are root
LOCALES = ("C.UTF-8", "C.utf8", "en_US.UTF-8")  # the first one this system has


class ServerError(RuntimeError):
    """PostgreSQL could not be started (missing binaries, no account to run it, ...)."""


def find_bindir() -> Path:
    """The folder of initdb/pg_ctl: ``$PADAN_PG_BINDIR``, the PATH, or Debian's newest."""
    wanted = os.environ.get("PADAN_PG_BINDIR")
    if wanted:
        if not (Path(wanted) / "initdb").exists():
            raise ServerError(f"PADAN_PG_BINDIR={wanted} has no initdb")
        return Path(wanted)
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent

    def version(path: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.split("/")[-3]))

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=version)
    if not found:
        raise ServerError(
            "PostgreSQL is not installed: no initdb on the PATH nor in /usr/lib/postgresql/*/bin "
            "(Debian: apt-get install postgresql)"
        )
    return Path(found[-1]).parent


class PostgresServer:
    """One running cluster; :meth:`create_database` gives each test its own database."""

    def __init__(self, base: str | Path | None = None) -> None:
        self.bindir = find_bindir()
        self.user: str | None = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(RUN_AS)
            except KeyError as exc:
                raise ServerError(
                    f"running as root, and there is no {RUN_AS!r} account to run PostgreSQL "
                    "(install Debian's postgresql package, or run the tests as a normal user)"
                ) from exc
            self.user = RUN_AS
        # Not under pytest's basetemp: that folder is private to us, the server's account
        # must be able to reach its own folder.
        self.dir = Path(tempfile.mkdtemp(prefix="padan-pg-", dir=base))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.socket_dir = self.dir
        self._admin = None
        self._running = False
        self._databases: set[str] = set()

    # -- life cycle ------------------------------------------------------------------------

    def _run(self, *args: str) -> None:
        try:
            subprocess.run(
                [str(self.bindir / args[0]), *args[1:]],
                check=True,
                capture_output=True,
                text=True,
                user=self.user,
                group=self.user and pwd.getpwnam(self.user).pw_gid,
                extra_groups=[] if self.user else None,
                cwd=self.dir,
                timeout=120,
            )
        except subprocess.CalledProcessError as exc:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ServerError(
                f"{args[0]} failed ({exc.returncode}): {exc.stderr.strip()}\n{log}".strip()
            ) from exc

    def start(self) -> PostgresServer:
        if self.user:
            entry = pwd.getpwnam(self.user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        for locale in LOCALES:
            try:
                self._run("initdb", "--pgdata", str(self.data), "--username", ROLE,
                          "--auth", "trust", "--encoding", "UTF8", "--locale", locale,
                          "--no-sync")  # fmt: skip
                break
            except ServerError as exc:
                if "locale" not in str(exc) or locale == LOCALES[-1]:
                    raise
                shutil.rmtree(self.data, ignore_errors=True)
        self._start()
        atexit.register(self.stop)
        return self

    def _start(self) -> None:
        options = " ".join(
            [
                "-c listen_addresses=''",
                f"-c unix_socket_directories='{self.socket_dir}'",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
                "-c shared_buffers=64MB",
            ]
        )
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.log), "-o", options,
                  "--wait", "--timeout", "60", "start")  # fmt: skip
        self._running = True

    def halt(self, mode: str = "fast") -> None:
        """Stop the server as an administrator would (``pg_ctl stop -m fast``: every
        session is terminated), keeping its data for :meth:`resume`."""
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        self._run("pg_ctl", "--pgdata", str(self.data), "--mode", mode, "--wait", "stop")
        self._running = False

    def resume(self) -> None:
        self._start()

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self._running:
            self._running = False
            try:
                self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "stop")
            except ServerError:
                pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- databases -------------------------------------------------------------------------

    def url(self, dbname: str) -> str:
        return f"postgresql://{ROLE}@/{dbname}?host={quote(str(self.socket_dir), safe='')}"

    def admin(self):  # type: ignore[no-untyped-def]
        import psycopg

        if self._admin is None or self._admin.closed:
            self._admin = psycopg.connect(self.url("postgres"), autocommit=True)
        return self._admin

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its URL."""
        name = name or "t_" + uuid.uuid4().hex[:12]
        self.admin().execute(f'CREATE DATABASE "{name}"')
        self._databases.add(name)
        return self.url(name)

    def drop_database(self, url_or_name: str) -> None:
        """Drop a database, closing any connection a test left open on it."""
        name = url_or_name.split("?")[0].rsplit("/", 1)[-1]
        self.admin().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._databases.discard(name)
