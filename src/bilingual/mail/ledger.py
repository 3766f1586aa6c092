"""Record each newsletter message as it goes out, so that no run ever sends one twice.

A message is recorded as ``sending`` once the server has accepted its recipient and before
its text goes out, then as ``sent`` (or ``refused``) when the server answers; each change is
committed to disk before the sender moves on. A message left ``sending`` by a run that was
killed may or may not have arrived: it is not sent again unless the publisher says so.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from bilingual.errors import MailError

SENDING, SENT, REFUSED = "sending", "sent", "refused"
SCHEMA = """
CREATE TABLE IF NOT EXISTS messages (
    post TEXT NOT NULL,
    edition TEXT NOT NULL,
    address TEXT NOT NULL,
    state TEXT NOT NULL,
    message_id TEXT NOT NULL,
    reply TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL,
    PRIMARY KEY (post, edition, address)
)"""


class Key(NamedTuple):
    """One message: a post, its edition ("fa", or "en+fa" for a bilingual e-mail), a reader."""

    post: str
    edition: str
    address: str


@dataclass(frozen=True)
class Record:
    key: Key
    state: str
    message_id: str
    reply: str
    updated: str


class Ledger:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.connection = connection
        self.path = path

    def state(self, key: Key) -> str | None:
        row = self.connection.execute(
            "SELECT state FROM messages WHERE post = ? AND edition = ? AND address = ?",
            _normal(key),
        ).fetchone()
        return str(row[0]) if row else None

    def editions(self, post: str, address: str) -> set[str]:
        """The editions of ``post`` sent, refused or perhaps sent to ``address``."""
        rows = self.connection.execute(
            "SELECT edition FROM messages WHERE post = ? AND address = ?", (post, address.lower())
        ).fetchall()
        return {str(row[0]) for row in rows}

    def begin(self, key: Key, message_id: str) -> None:
        self._set(key, SENDING, message_id, "")

    def sent(self, key: Key, message_id: str, reply: str) -> None:
        self._set(key, SENT, message_id, reply)

    def refused(self, key: Key, message_id: str, reply: str) -> None:
        self._set(key, REFUSED, message_id, reply)

    def forget(self, key: Key) -> None:
        """Drop a message the server turned down for now: the next run tries it again."""
        with self.connection:
            self.connection.execute(
                "DELETE FROM messages WHERE post = ? AND edition = ? AND address = ?", _normal(key)
            )

    def records(self, state: str | None = None) -> list[Record]:
        query = "SELECT post, edition, address, state, message_id, reply, updated FROM messages"
        rows = self.connection.execute(
            query + (" WHERE state = ?" if state else "") + " ORDER BY updated",
            (state,) if state else (),
        ).fetchall()
        return [Record(Key(*row[:3]), *row[3:]) for row in rows]

    def release_unconfirmed(self) -> int:
        """Forget the messages a stopped run left ``sending``, so they are sent again."""
        with self.connection:
            return self.connection.execute(
                "DELETE FROM messages WHERE state = ?", (SENDING,)
            ).rowcount

    def _set(self, key: Key, state: str, message_id: str, reply: str) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        with self.connection:  # committed (and synced) before this returns
            self.connection.execute(
                "INSERT OR REPLACE INTO messages VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*_normal(key), state, message_id, reply, now),
            )


def _normal(key: Key) -> tuple[str, str, str]:
    return key.post, key.edition, key.address.lower()


@contextmanager
def open_ledger(path: Path, read_only: bool = False) -> Iterator[Ledger]:
    """The ledger at ``path``, held by this process alone; ``read_only`` for a dry run."""
    if read_only:
        target = f"file:{path}?mode=ro" if path.exists() else ":memory:"
        connection = _connect(target, path, uri=path.exists())
        try:
            yield Ledger(connection, path)
        finally:
            connection.close()
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.touch(mode=0o600)  # it holds people's addresses
    with _exclusive(path.with_name(path.name + ".lock")):
        connection = _connect(str(path), path)
        try:
            yield Ledger(connection, path)
        finally:
            connection.close()


def _connect(target: str, path: Path, uri: bool = False) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(target, uri=uri, isolation_level="DEFERRED")
        if not target.startswith("file:"):
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute(SCHEMA)
        connection.execute("SELECT count(*) FROM messages").fetchone()
    except sqlite3.DatabaseError as error:
        raise MailError(f"cannot use the newsletter ledger: {error}", path) from None
    return connection


@contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MailError(
                "another `bilingual newsletter send` is using this ledger",
                lock.with_suffix(""),
                hint="wait for it to finish; two senders could send twice",
            ) from None
        yield
    finally:
        os.close(handle)
