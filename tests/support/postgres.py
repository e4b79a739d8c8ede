"""A throwaway PostgreSQL server on loopback (the apt-installed binaries), and fresh databases from a
migrated template, for the PostgreSQL store tests and for the whole suite under ``RASD_TEST_DB=postgres``."""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

TEMPLATE = "rasd_template"


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """initdb into a temporary folder, postgres on 127.0.0.1:<free port>, trust auth, no fsync.

    PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system user.
    """

    user = "rasd"

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.port = _free_port()
        self.run_as: dict = {}
        self.dir = Path(tempfile.mkdtemp(prefix="rasd-pg-"))
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")  # KeyError when there is no such user: the caller skips
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self.run_as = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
        self.data = self.dir / "data"
        self._dbs = itertools.count()
        self._template = False
        self._spare: list[str] = []  # emptied databases of finished tests, ready to be renamed and reused

    def _run(self, *args: str) -> None:
        subprocess.run([str(self.bindir / args[0]), *args[1:]], check=True, capture_output=True, timeout=120,
                       cwd=self.dir, **self.run_as)

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8",
                  "--no-locale", "--no-sync")
        opts = (f"-k {self.dir} -p {self.port} -h 127.0.0.1 -F -c full_page_writes=off"
                " -c synchronous_commit=off -c shared_buffers=32MB -c max_connections=200"
                " -c wal_level=minimal -c max_wal_senders=0 -c checkpoint_timeout=1h -c max_wal_size=2GB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "60",
                  "-o", opts, "start")

    def log_tail(self, n: int = 500) -> str:
        log = self.dir / "log"
        return log.read_text(errors="replace")[-n:] if log.exists() else ""

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{db}"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def create_db(self, *, migrated: bool = False) -> str:
        """A fresh database, empty or (``migrated``) holding rasd's schema and no rows; its URL (never one
        handed out before, so nothing cached per URL can leak between tests).

        Migrated ones are spares of finished tests (see :meth:`recycle`) renamed, else copies of a
        template: renaming takes milliseconds, copying a template ~0.3 s.
        """
        import psycopg

        name = f"t{os.getpid()}_{next(self._dbs)}"
        while migrated and self._spare:
            try:
                self._admin(f'ALTER DATABASE "{self._spare.pop()}" RENAME TO "{name}"')
                return self.url(name)
            except psycopg.Error:  # still in use (a backend not yet gone): copy the template instead
                continue
        if migrated and not self._template:
            self._make_template()
        self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{TEMPLATE}"' if migrated else ""))
        return self.url(name)

    def recycle(self, url: str) -> None:
        """Empty a migrated database a test is done with (connections closed, rows deleted, identity
        counters restarted) and keep it as a spare; dropped instead when that fails."""
        import psycopg

        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                             " WHERE datname = current_database() AND pid <> pg_backend_pid()")
                tables = conn.execute("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'"
                                      " AND tablename <> 'schema_migrations'").fetchall()
                seqs = conn.execute("SELECT quote_ident(sequencename) FROM pg_sequences"
                                    " WHERE schemaname = 'public'").fetchall()
                with conn.transaction():
                    for (table,) in tables:
                        conn.execute(f"DELETE FROM {table}")
                    for (seq,) in seqs:
                        conn.execute(f"ALTER SEQUENCE {seq} RESTART")
            self._spare.append(url.rsplit("/", 1)[1])
        except psycopg.Error:
            self.drop_db(url)

    def _make_template(self) -> None:
        from rasd.store.postgres import PostgresStore

        self._admin(f'CREATE DATABASE "{TEMPLATE}"')
        PostgresStore(self.url(TEMPLATE)).close()  # applies every migration
        self._template = True

    def drop_db(self, url: str) -> None:
        """Drop a database made by :meth:`create_db`, closing what is still connected to it."""
        with contextlib.suppress(Exception):
            self._admin(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')

    def reset(self, url: str) -> None:
        """Empty every table of a database (faster than a new database), keeping its migrations."""
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                         " WHERE datname = current_database() AND pid <> pg_backend_pid()")
            tables = conn.execute("SELECT quote_ident(tablename) FROM pg_tables"
                                  " WHERE schemaname = 'public' AND tablename <> 'schema_migrations'").fetchall()
            with conn.transaction():  # DELETE beats TRUNCATE on tables this small (FKs cascade)
                for (table,) in tables:
                    conn.execute(f"DELETE FROM {table}")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.dir, ignore_errors=True)


def start_server() -> tuple[PgServer | None, str]:
    """A started server, or None and why not (no binaries, no psycopg, no user to run it as, start failed)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, "psycopg not installed"
    bindir = pg_bindir()
    if bindir is None:
        return None, "PostgreSQL binaries (initdb, pg_ctl) not installed"
    try:
        server = PgServer(bindir)
    except KeyError:
        return None, "running as root and there is no 'postgres' user to run the server as"
    try:
        server.start()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = f"{exc} {getattr(exc, 'stderr', b'')!r} {server.log_tail()}"
        server.stop()
        return None, f"could not start PostgreSQL: {detail}"
    return server, ""
