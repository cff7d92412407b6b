"""No raw errors and no leaks: what the database, the file system or the user gets wrong
becomes a one-line SanctrackError whose message says what to do, in Python and on the
command line (never a traceback); secrets in URLs are masked, and text from fixtures
reaches the terminal with its control characters escaped.

The tests run as root, which file modes do not stop: a read-only file is made immutable
with ``chattr +i`` (which stops root too), and opened with ``?mode=ro`` as well.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import workers
from alembic import command
from fixture_cases import NATO, base, dump, write
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import Pool
from sqlmodel import Session
from typer.testing import CliRunner

import sanctrack
from sanctrack.cli import app
from sanctrack.db.failures import (
    CannotOpenDatabaseError,
    DatabaseFullError,
    DatabaseUnavailableError,
    NotADatabaseError,
    QueryTooLargeError,
    ReadOnlyDatabaseError,
)
from sanctrack.db.location import MissingDirectoryError
from sanctrack.db.migrate import ForeignDatabaseError, alembic_config, locked_transaction, release
from sanctrack.db.urls import shown_url
from sanctrack.db.waits import Wait
from sanctrack.fixture.export import OutputFileError
from sanctrack.models import Transfer
from sanctrack.queries.by_year import YearCategoryRow
from sanctrack.queries.cli import emit
from sanctrack.queries.result import QueryResult
from sanctrack.terminal import shown_text

runner = CliRunner()


def cli(*args: str) -> tuple[int, list[str], list[str]]:
    """Run the command line; its exit code and the lines of stdout and stderr."""
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


def one_line_error(*args: str) -> str:
    code, _, err = cli(*args)
    assert code not in (0, 2)  # each kind has its code: see test_cli_database
    assert len(err) == 1, err
    return err[0]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'db' / 'raw.db'}"


@pytest.fixture
def loaded(sqlite_url: str) -> Iterator[Engine]:
    Path(make_url(sqlite_url).database or "").parent.mkdir(exist_ok=True)
    engine = sanctrack.connect(sqlite_url)
    with Session(engine) as session:
        sanctrack.load_fixture(session, NATO)
    yield engine
    engine.dispose()


# -- disk full ------------------------------------------------------------------------------


@contextmanager
def page_limit(pages: int) -> Iterator[None]:
    """Every new SQLite connection may grow its file to ``pages`` pages: past them SQLite
    says "database or disk is full", as on a full disk."""

    def limit(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def full(url: str) -> str:
    return (
        f"The database {url} is full: no room is left on its disk, or it reached its size "
        "limit. What was being written was rolled back. Free some space, then try again."
    )


def test_disk_full(sqlite_url: str, tmp_path: Path) -> None:
    Path(make_url(sqlite_url).database or "").parent.mkdir()
    engine = sanctrack.connect(sqlite_url)
    before = dump(engine)
    with engine.connect() as c:
        pages = c.exec_driver_sql("PRAGMA page_count").scalar_one()
    engine.dispose()
    big = workers.generate(tmp_path / "big.jsonl", "full-a", 5_000)
    with page_limit(pages + 5):
        engine = sanctrack.connect(sqlite_url)
        with Session(engine) as session, pytest.raises(DatabaseFullError) as raised:
            sanctrack.load_fixture(session, big)
        assert str(raised.value) == full(sqlite_url)
        engine.dispose()
        assert one_line_error("load", "--url", sqlite_url, str(big)) == full(sqlite_url)
    engine = sanctrack.connect(sqlite_url)
    assert dump(engine) == before
    engine.dispose()


# -- read-only databases ----------------------------------------------------------------------


@contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """``chattr +i``: not even root may write to these files and folders."""
    done: list[Path] = []
    try:
        for path in paths:
            if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
                pytest.skip("chattr +i is not permitted here")
            done.append(path)
        yield
    finally:
        for path in reversed(done):
            subprocess.run(["chattr", "-i", str(path)], check=True)


def read_only(url: str) -> str:
    return (
        f"The database {url} is read-only: sanctrack could not write to it. Make the file "
        "and its folder writable (or connect to a copy), then try again."
    )


def cannot_open(url: str) -> str:
    return (
        f"Cannot open the database {url}: its folder must exist and be writable (SQLite "
        "keeps its -wal and -shm files next to the database, and sanctrack creates the file "
        "if it is missing)."
    )


def test_a_read_only_database_file(loaded: Engine, sqlite_url: str, tmp_path: Path) -> None:
    path = Path(make_url(sqlite_url).database or "")
    loaded.dispose()
    before = path.read_bytes()
    ok = write(tmp_path / "ok.yaml", base())
    with immutable(path):
        with pytest.raises(OSError):  # it really is read-only, even for root
            path.open("ab")
        # Reading works: the schema is up to date, nothing needs writing.
        code, out, _ = cli("datasets", "--url", sqlite_url)
        assert code == 0
        assert [line.split("\t")[0] for line in out] == ["nato-2024-10-28"]
        engine = sanctrack.connect(sqlite_url)
        with Session(engine) as session, pytest.raises(ReadOnlyDatabaseError) as raised:
            sanctrack.load_fixture(session, ok)
        engine.dispose()
        assert str(raised.value) == read_only(sqlite_url)
        assert one_line_error("load", "--url", sqlite_url, str(ok)) == read_only(sqlite_url)
        # In a read-only folder too, SQLite cannot even open it (no room for its -shm file).
        for name in os.listdir(path.parent):
            if name != path.name:
                os.remove(path.parent / name)
        with immutable(path.parent):
            with pytest.raises(CannotOpenDatabaseError) as opening:
                sanctrack.connect(sqlite_url)
            assert str(opening.value) == cannot_open(sqlite_url)
            assert one_line_error("datasets", "--url", sqlite_url) == cannot_open(sqlite_url)
    assert path.read_bytes() == before


def test_a_read_only_database_that_needs_an_upgrade(loaded: Engine, sqlite_url: str) -> None:
    # foreign keys off, as connect() migrates
    connection = locked_transaction(loaded, Wait(60, "the test's migration"))
    try:
        command.downgrade(alembic_config(connection), "-1")
        connection.commit()
    finally:
        release(connection)
    loaded.dispose()
    path = Path(make_url(sqlite_url).database or "")
    with immutable(path):
        with pytest.raises(ReadOnlyDatabaseError) as raised:
            sanctrack.connect(sqlite_url)
        assert str(raised.value) == read_only(sqlite_url)
        # Even `sanctrack datasets`, which must upgrade the database first.
        assert one_line_error("datasets", "--url", sqlite_url) == read_only(sqlite_url)


def test_a_database_opened_read_only(loaded: Engine, sqlite_url: str, tmp_path: Path) -> None:
    path = make_url(sqlite_url).database
    url = f"sqlite:///file:{path}?mode=ro&uri=true"
    engine = sanctrack.connect(url)
    with Session(engine) as session, pytest.raises(ReadOnlyDatabaseError) as raised:
        sanctrack.load_fixture(session, write(tmp_path / "ok.yaml", base()))
    engine.dispose()
    assert str(raised.value) == read_only(url)
    assert one_line_error("load", "--url", url, str(tmp_path / "ok.yaml")) == read_only(url)


def test_a_database_in_a_missing_folder(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nowhere' / 'x.db'}"
    expected = (
        f"Cannot open the database {url}: its folder {tmp_path / 'nowhere'} does not exist. "
        "Create the folder, or give another path."
    )
    with pytest.raises(MissingDirectoryError) as raised:
        sanctrack.connect(url)
    assert str(raised.value) == expected
    assert one_line_error("datasets", "--url", url) == expected


# -- not a database, another application's database -----------------------------------------------


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(bytes(range(256)) * 64)
    url = f"sqlite:///{path}"
    expected = (
        f"The file of {url} is not a SQLite database (or it is encrypted or damaged). Give "
        "sanctrack the URL of a sanctrack database, or a new file name."
    )
    with pytest.raises(NotADatabaseError) as raised:
        sanctrack.connect(url)
    assert str(raised.value) == expected
    assert one_line_error("datasets", "--url", url) == expected
    assert one_line_error("load", "--url", url, str(NATO)) == expected
    assert path.read_bytes() == bytes(range(256)) * 64


def foreign(url: str, tables: str) -> str:
    return (
        f"The database {url} holds tables sanctrack did not create ({tables}): it is another "
        "application's database. Give sanctrack a new file or an empty database."
    )


def tables_of(engine: Engine) -> list[str]:
    from sqlalchemy import inspect

    return sorted(inspect(engine).get_table_names())


def make_tables(db_url: str, statements: list[str]) -> list[str]:
    from sqlalchemy import create_engine

    url = make_url(db_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    with engine.begin() as c:
        for statement in statements:
            c.execute(text(statement))
    names = tables_of(engine)
    engine.dispose()
    return names


def test_another_applications_database(db_url: str) -> None:
    # A browser's places.sqlite, for instance.
    before = make_tables(
        db_url,
        [
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)",
            "CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, fk INTEGER)",
            "CREATE TABLE moz_origins (id INTEGER PRIMARY KEY, host TEXT)",
            "CREATE TABLE moz_meta (key TEXT PRIMARY KEY, value TEXT)",
            "INSERT INTO moz_places (id, url) VALUES (1, 'https://example.org')",
        ],
    )
    shown = shown_url(sanctrack.db.engine.make_engine(db_url).url)
    expected = foreign(shown, "moz_bookmarks, moz_meta, moz_origins, ...")
    with pytest.raises(ForeignDatabaseError) as raised:
        sanctrack.connect(db_url)
    assert str(raised.value) == expected
    assert one_line_error("init", "--url", db_url) == expected
    engine = sanctrack.db.engine.make_engine(db_url)
    assert tables_of(engine) == before  # nothing was added
    engine.dispose()


def test_another_applications_alembic_revision_is_not_a_newer_sanctrack(db_url: str) -> None:
    before = make_tables(
        db_url,
        [
            "CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)",
            "INSERT INTO alembic_version VALUES ('3f2a9c1b7d4e')",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
        ],
    )
    shown = shown_url(sanctrack.db.engine.make_engine(db_url).url)
    with pytest.raises(ForeignDatabaseError) as raised:
        sanctrack.connect(db_url)
    assert str(raised.value) == foreign(shown, "users")
    assert one_line_error("datasets", "--url", db_url) == foreign(shown, "users")
    engine = sanctrack.db.engine.make_engine(db_url)
    assert tables_of(engine) == before
    engine.dispose()


def test_a_newer_sanctrack_is_still_told_apart(engine: Engine, db_url: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_future'"))
    with pytest.raises(sanctrack.SchemaTooNewError):
        sanctrack.connect(db_url)


# -- secrets -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://u:hunter2@db.example/x?password=hunter2&sslpassword=s3&passfile=/p",
            "postgresql://u:***@db.example/x?passfile=***&password=***&sslpassword=***",
        ),
        ("postgresql://db.example/x?password=hunter2", "postgresql://db.example/x?password=***"),
        (
            "postgresql://db.example/x?application_name=me&sslmode=require",
            "postgresql://db.example/x?application_name=me&sslmode=require",
        ),
        ("sqlite:////tmp/a.db", "sqlite:////tmp/a.db"),
    ],
)
def test_shown_urls_mask_every_secret(url: str, shown: str) -> None:
    assert shown_url(url) == shown
    assert "hunter2" not in shown_url(url)


def test_a_password_in_the_query_is_never_shown(backend: str, db_url: str, tmp_path: Path) -> None:
    url = f"{db_url}?password=hunter2"
    if backend == "sqlite":
        url = f"sqlite:///file:{make_url(db_url).database}?password=hunter2&uri=true"
    code, out, _ = cli("init", "--url", url)
    assert code == 0
    assert out == [f"Database ready: {shown_url(url)}"]
    assert "hunter2" not in out[0] and "password=***" in out[0]
    engine = sanctrack.connect(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_from_future'"))
    engine.dispose()
    with pytest.raises(sanctrack.SchemaTooNewError) as raised:
        sanctrack.connect(url)
    assert "hunter2" not in str(raised.value) and "password=***" in str(raised.value)
    error = one_line_error("datasets", "--url", url)
    assert "hunter2" not in error and "password=***" in error


# -- the command line's own input and output ------------------------------------------------------


def test_export_to_a_missing_folder(loaded: Engine, sqlite_url: str) -> None:
    expected = (
        "Cannot write /nonexistent/x.yaml: No such file or directory. Choose a file in an "
        "existing folder you may write to."
    )
    with Session(loaded) as session:
        fixture = sanctrack.export_dataset(session, "nato-2024-10-28")
    with pytest.raises(OutputFileError) as raised:
        sanctrack.write_fixture(fixture, "/nonexistent/x.yaml")
    assert str(raised.value) == expected
    assert (
        one_line_error(
            "export", "nato-2024-10-28", "--url", sqlite_url, "-o", "/nonexistent/x.yaml"
        )
        == expected
    )


@pytest.mark.parametrize(
    ("years", "expected"),
    [
        (99999999999999999999, "years must be between 1 and 9999; got 99999999999999999999"),
        (range(-(10**6), 10**6), "years must be between 1 and 9999; got -1000000"),
        ([0], "years must be between 1 and 9999; got 0"),
        ([10_000], "years must be between 1 and 9999; got 10000"),
        (["1" * 60], "years must be whole years such as 2024; got '" + "1" * 36 + "..."),
    ],
)
def test_absurd_years(session: Session, years: Any, expected: str) -> None:
    with pytest.raises(sanctrack.QueryError) as raised:
        sanctrack.transfers_by_year_and_category(session, years=years)
    assert str(raised.value) == expected


def test_absurd_years_on_the_command_line(sqlite_url: str) -> None:
    Path(make_url(sqlite_url).database or "").parent.mkdir()
    assert (
        one_line_error(
            "report", "by-year-category", "-d", sqlite_url, "--year", "99999999999999999999"
        )
        == "years must be between 1 and 9999; got 99999999999999999999"
    )


def test_every_year_at_once_is_one_query(session: Session) -> None:
    sanctrack.load_fixture(session, NATO)
    every = sanctrack.transfers_by_year_and_category(session, years=range(1, 10_000))
    assert every.rows == sanctrack.transfers_by_year_and_category(session).rows
    assert every.rows  # the fixture's years are among them


def test_too_many_names_in_a_filter(session: Session) -> None:
    with pytest.raises(sanctrack.QueryError) as raised:
        sanctrack.transfers_by_year_and_category(session, datasets=[f"d{i}" for i in range(1_001)])
    assert str(raised.value) == "a filter takes at most 1,000 names; got 1,001"


def test_a_query_with_too_many_values(engine: Engine) -> None:
    shown = shown_url(engine.url)
    with Session(engine) as session, pytest.raises(QueryTooLargeError) as raised:
        session.execute(select(Transfer).where(Transfer.id.in_(range(300_000)))).all()
    assert str(raised.value) == (
        f"The query has more values than the database {shown} takes in one statement: give "
        "fewer values to each filter."
    )


# -- control characters -------------------------------------------------------------------------


def test_shown_text_escapes_control_characters() -> None:
    assert shown_text("plain, accentué, 北朝鮮") == "plain, accentué, 北朝鮮"
    assert shown_text("a\x1b[2Jb\tc\nd\re\x7f\x85") == "a\\x1b[2Jb\\tc\\nd\\re\\x7f\\x85"
    assert shown_text("\u202eSUR\u2066x\u2069") == "\\u202eSUR\\u2066x\\u2069"


def test_control_characters_in_fixture_text_reach_the_terminal_escaped(
    sqlite_url: str, tmp_path: Path
) -> None:
    Path(make_url(sqlite_url).database or "").parent.mkdir()
    data = base()
    data["dataset"]["title"] = "Red \x1b[31malert\x1b[0m \u202eSUR"
    bad_title = write(tmp_path / "bad-title.yaml", data)
    # The loader refuses such a title (a one-line field holds visible characters only)...
    code, _, err = cli("load", "--url", sqlite_url, str(bad_title))
    assert code == 1 and "expected visible characters only, got U+001B" in err[1]
    # ...and text that got into a database some other way is escaped on the terminal.
    data["dataset"]["title"] = "Red alert"
    code, _, _ = cli("load", "--url", sqlite_url, str(write(tmp_path / "ok.yaml", data)))
    assert code == 0
    engine = create_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE dataset SET title = :t"), {"t": "Red \x1b[31malert\x1b[0m \u202eSUR"}
        )
    engine.dispose()
    code, out, _ = cli("datasets", "--url", sqlite_url)
    assert out == ["test-ds\t1\tRed \\x1b[31malert\\x1b[0m \\u202eSUR"]
    assert not any("\x1b" in line for line in out)

    # A file name with an ESC sequence, in the error lines.
    data = base()
    data["transfers"][0]["supplier"] = "Narnia"
    bad = write(tmp_path / "bad\x1b[2J.yaml", data)
    code, _, err = cli("validate", str(bad))
    assert code == 1
    assert len(err) == 2 and err[1].startswith("bad\\x1b[2J.yaml:24: transfers[0]")
    assert not any("\x1b" in line for line in err)


def test_report_tables_escape_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    row = YearCategoryRow(
        year=2024,
        supplier="PRK",
        recipient="RUS",
        category="shells\x1b[2J",
        unit="[bold]rounds",
        low=1,
        best=2,
        high=3,
        transfers=1,
        unquantified=0,
        allocated=0,
        conflicting=0,
        sources=1,
        independent_sources=1,
    )
    emit(QueryResult[YearCategoryRow](rows=[row], caveats=[], parameters={}), "table")
    printed = capsys.readouterr().out
    assert "\x1b" not in printed
    assert "shells\\x1b[2J" in printed and "[bold]rounds" in printed


def test_a_server_that_refuses_the_connection() -> None:
    url = "postgresql://postgres@127.0.0.1:1/x"
    expected = (
        "Cannot connect to the database postgresql+psycopg://postgres@127.0.0.1:1/x "
        '(connection failed: connection to server at "127.0.0.1", port 1 failed: Connection '
        "refused). Check that the server is running and that the URL is right."
    )
    with pytest.raises(DatabaseUnavailableError) as raised:
        sanctrack.connect(url)
    assert str(raised.value) == expected
    assert one_line_error("datasets", "--url", url) == expected
