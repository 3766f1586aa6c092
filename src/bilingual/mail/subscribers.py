"""Turn a subscriber list (a CSV file or an SQLite database) into checked records, and back.

A row holds an address, what the reader chose to receive (a language of the site, ``both``:
one e-mail per language, or ``bilingual``: every language in one e-mail), the date they
subscribed and whether they confirmed it. Every change is written in one step: a CSV file
through a temporary file renamed over it, a database in one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from email_validator import EmailNotValidError, validate_email

from bilingual.atomic import write_atomically
from bilingual.errors import ErrorCollector, MailError

BOTH, BILINGUAL = "both", "bilingual"
FIELDS = ("address", "language", "subscribed", "confirmed")
SQLITE_SUFFIXES = frozenset({".sqlite", ".sqlite3", ".db"})
# Column names other services export, for `subscribers import`.
COLUMNS = {
    "address": ("address", "email", "e-mail", "email address", "email_address", "mail"),
    "language": ("language", "lang", "locale"),
    "subscribed": (
        "subscribed",
        "date",
        "subscribed_at",
        "date subscribed",
        "created",
        "optin_time",
        "confirm_time",
    ),
    "confirmed": ("confirmed", "status"),
}
YES = frozenset({"yes", "true", "1", "confirmed", "subscribed", "active"})
NO = frozenset({"no", "false", "0", "pending", "unconfirmed", ""})


@dataclass(frozen=True)
class Subscriber:
    address: str
    language: str
    subscribed: dt.date
    confirmed: bool = False

    def editions(self, codes: Sequence[str]) -> list[tuple[str, ...]]:
        """The languages of each e-mail this reader gets for a post that exists in ``codes``."""
        if self.language == BILINGUAL:
            return [tuple(codes)] if codes else []
        if self.language == BOTH:
            return [(code,) for code in codes]
        return [(self.language,)] if self.language in codes else []

    @property
    def key(self) -> str:
        return self.address.lower()


def check_address(value: str) -> str:
    """The address, normalised (domain in lower case); ValueError if it is not one."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"{value.strip()!r} is not an e-mail address: {error}") from None


def check_language(value: str, codes: Sequence[str]) -> str:
    choice = value.strip().lower() or BOTH
    if choice not in (*codes, BOTH, BILINGUAL):
        raise ValueError(f"unknown language {value!r}: use {', '.join((*codes, BOTH, BILINGUAL))}")
    return choice


class SubscriberList(Protocol):
    path: Path

    def read(self) -> list[Subscriber]: ...

    def write(self, subscribers: Sequence[Subscriber]) -> None: ...


def open_list(path: Path, codes: Sequence[str]) -> SubscriberList:
    """The list at ``path``: SQLite for .sqlite, .sqlite3 and .db files, else CSV."""
    if path.suffix.lower() in SQLITE_SUFFIXES:
        return SqliteList(path, tuple(codes))
    return CsvList(path, tuple(codes))


class CsvList:
    def __init__(self, path: Path, codes: tuple[str, ...]) -> None:
        self.path, self.codes = path, codes

    def read(self) -> list[Subscriber]:
        if not self.path.exists():
            return []
        return read_rows(self.path, self.codes)[0]

    def write(self, subscribers: Sequence[Subscriber]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(FIELDS)
        writer.writerows(_row(subscriber) for subscriber in subscribers)
        # A new list is readable by its owner only: it holds people's addresses.
        write_atomically(self.path, buffer.getvalue().encode("utf-8"), new_mode=0o600)


class SqliteList:
    SCHEMA = (
        "CREATE TABLE IF NOT EXISTS subscribers (address TEXT PRIMARY KEY COLLATE NOCASE, "
        "language TEXT NOT NULL, subscribed TEXT NOT NULL, confirmed INTEGER NOT NULL)"
    )

    def __init__(self, path: Path, codes: tuple[str, ...]) -> None:
        self.path, self.codes = path, codes

    def read(self) -> list[Subscriber]:
        if not self.path.exists():
            return []
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT {', '.join(FIELDS)}, rowid FROM subscribers ORDER BY rowid"
            ).fetchall()
        errors = ErrorCollector()
        found = []
        for address, language, subscribed, confirmed, rowid in rows:
            try:
                found.append(
                    Subscriber(
                        check_address(address),
                        check_language(language, self.codes),
                        dt.date.fromisoformat(subscribed),
                        bool(confirmed),
                    )
                )
            except ValueError as error:
                errors.add(MailError(f"row {rowid}: {error}", self.path))
        errors.raise_if_any()
        return found

    def write(self, subscribers: Sequence[Subscriber]) -> None:
        with self._connect() as connection:  # one transaction: all of it or nothing
            connection.execute("DELETE FROM subscribers")
            connection.executemany(
                f"INSERT INTO subscribers ({', '.join(FIELDS)}) VALUES (?, ?, ?, ?)",
                [
                    (s.address, s.language, s.subscribed.isoformat(), int(s.confirmed))
                    for s in subscribers
                ],
            )

    def _connect(self) -> sqlite3.Connection:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.touch(mode=0o600)  # it holds people's addresses
        try:
            connection = sqlite3.connect(self.path)
            connection.execute(self.SCHEMA)
        except sqlite3.DatabaseError as error:
            raise MailError(f"cannot use the subscriber database: {error}", self.path) from None
        return connection


def read_rows(
    path: Path, codes: Sequence[str], language: str | None = None, confirmed: bool | None = None
) -> tuple[list[Subscriber], list[str]]:
    """Read a CSV list (ours, or another service's export); every bad row is reported at once.

    ``language`` and ``confirmed`` fill in columns the file does not have. Returns the
    subscribers and the notes (addresses listed twice: the first row counts).
    """
    rows, columns, first_line = _table(path)
    errors = ErrorCollector()
    seen: dict[str, int] = {}
    found: list[Subscriber] = []
    notes: list[str] = []
    for line, row in enumerate(rows, start=first_line):
        if not any(cell.strip() for cell in row):
            continue
        try:
            subscriber = _subscriber(row, columns, codes, language, confirmed)
        except ValueError as error:
            errors.add(MailError(str(error), path, line))
            continue
        if subscriber.key in seen:
            notes.append(
                f"{path}:{line}: {subscriber.address} is also on line {seen[subscriber.key]}"
            )
            continue
        seen[subscriber.key] = line
        found.append(subscriber)
    errors.raise_if_any()
    return found, notes


def _table(path: Path) -> tuple[list[list[str]], dict[str, int], int]:
    """The rows, the column of each field and the line of the first row."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise MailError(f"cannot read the list: {error.strerror}", path) from None
    except UnicodeDecodeError:
        raise MailError(
            "the list is not UTF-8 text", path, hint="export it as CSV in UTF-8"
        ) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return [], {"address": 0}, 1
    header = [cell.strip().lower() for cell in rows[0]]
    columns = {
        field: header.index(name)
        for field, names in COLUMNS.items()
        for name in names
        if name in header
    }
    if "address" in columns:
        return rows[1:], columns, 2
    if "@" in (rows[0][0] if rows[0] else ""):
        return rows, {"address": 0}, 1  # one address a line, no header
    raise MailError(
        "no address column in the first line",
        path,
        1,
        hint=f"name it one of: {', '.join(COLUMNS['address'])}",
    )


def _subscriber(
    row: list[str],
    columns: dict[str, int],
    codes: Sequence[str],
    language: str | None,
    confirmed: bool | None,
) -> Subscriber:
    def cell(field: str) -> str | None:
        index = columns.get(field)
        return row[index].strip() if index is not None and index < len(row) else None

    address = check_address(cell("address") or "")
    chosen = check_language(cell("language") or language or BOTH, codes)
    return Subscriber(
        address,
        chosen,
        _date(cell("subscribed")),
        _yes(cell("confirmed")) if cell("confirmed") is not None else bool(confirmed),
    )


def _date(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.datetime.fromisoformat(value.replace(" ", "T")).date()
    except ValueError:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _yes(value: str | None) -> bool:
    word = (value or "").lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(f"confirmed must be yes or no, not {value!r}")


def _row(subscriber: Subscriber) -> tuple[str, str, str, str]:
    return (
        subscriber.address,
        subscriber.language,
        subscriber.subscribed.isoformat(),
        "yes" if subscriber.confirmed else "no",
    )


# ----- changes


def add(store: SubscriberList, subscriber: Subscriber) -> None:
    current = store.read()
    if any(existing.key == subscriber.key for existing in current):
        raise MailError(
            f"{subscriber.address} is already on the list",
            store.path,
            hint="remove it first to change what it receives",
        )
    store.write([*current, subscriber])


def remove(store: SubscriberList, address: str) -> Subscriber:
    current = store.read()
    key = address.strip().lower()
    kept = [subscriber for subscriber in current if subscriber.key != key]
    if len(kept) == len(current):
        raise MailError(f"{address.strip()} is not on the list", store.path)
    store.write(kept)
    return next(subscriber for subscriber in current if subscriber.key == key)


@dataclass(frozen=True)
class ImportReport:
    added: tuple[Subscriber, ...]
    already: tuple[Subscriber, ...]
    notes: tuple[str, ...]


def import_list(
    store: SubscriberList, source: Path, codes: Sequence[str], language: str | None, confirmed: bool
) -> ImportReport:
    """Add the readers of ``source`` who are not on the list yet; a bad row stops it all."""
    incoming, notes = read_rows(source, codes, language, confirmed)
    current = store.read()
    known = {subscriber.key for subscriber in current}
    added = [subscriber for subscriber in incoming if subscriber.key not in known]
    already = [subscriber for subscriber in incoming if subscriber.key in known]
    if added:
        store.write([*current, *added])
    return ImportReport(tuple(added), tuple(already), tuple(notes))
