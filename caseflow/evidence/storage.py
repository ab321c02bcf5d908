"""Where evidence bytes live: one small interface (`FileStore`) and its default, the database.

In the database the bytes serve every server process and host the database serves, and a backup of
the database is a backup of the evidence. A content is stored once, keyed by its SHA-256, in chunks
of 1 MiB, so neither an upload nor a download of a 200 MB video ever holds the whole file in
memory. Writing happens in the caller's transaction: a refused or failed upload leaves nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO, Protocol

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from caseflow.errors import NotFound
from caseflow.evidence.models import StoredChunk, StoredFile

__all__ = ["CHUNK_SIZE", "DatabaseFileStore", "FileStore", "default_store"]

CHUNK_SIZE = 1 << 20
_BATCH = 8  # chunks per INSERT round trip


class FileStore(Protocol):
    def put(self, db_session: Session, source: BinaryIO, *, sha256: str, size: int, mime: str) -> None:
        """Store the bytes of `source` (read from its start) under `sha256`, unless already stored."""

    def chunks(self, db_session: Session, sha256: str) -> Iterator[bytes]:
        """The stored bytes, in order, a chunk at a time."""

    def read(self, db_session: Session, sha256: str) -> bytes:
        """The stored bytes at once (for what is printed: photos, scans)."""


class DatabaseFileStore:
    """`stored_files` + `stored_chunks` (see models)."""

    def put(self, db_session: Session, source: BinaryIO, *, sha256: str, size: int, mime: str) -> None:
        conn = db_session.connection()
        chunks = -(-size // CHUNK_SIZE)
        row = dict(sha256=sha256, size=size, mime=mime, chunks=chunks)
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT … ON CONFLICT DO NOTHING.
        added = conn.execute(dialect.insert(StoredFile).values(row).on_conflict_do_nothing()
                             .returning(StoredFile.sha256)).first()
        if added is None:
            return  # the same content is stored already (or being stored by a concurrent upload)
        source.seek(0)
        digest, seq, batch = hashlib.sha256(), 0, []
        while block := source.read(CHUNK_SIZE):
            digest.update(block)
            batch.append({"sha256": sha256, "seq": seq, "data": block})
            seq += 1
            if len(batch) == _BATCH:
                conn.execute(insert(StoredChunk), batch)
                batch = []
        if batch:
            conn.execute(insert(StoredChunk), batch)
        if digest.hexdigest() != sha256 or seq != chunks:
            raise RuntimeError("the upload changed while it was being stored")  # rolls the whole act back

    def chunks(self, db_session: Session, sha256: str) -> Iterator[bytes]:
        count = db_session.scalar(select(StoredFile.chunks).where(StoredFile.sha256 == sha256))
        if count is None:
            raise NotFound("未找到该文件。", code="FILE_NOT_FOUND")
        stmt = select(StoredChunk.data).where(StoredChunk.sha256 == sha256)
        for seq in range(count):  # one chunk per query: a video is never in memory whole
            yield db_session.scalar(stmt.where(StoredChunk.seq == seq)) or b""

    def read(self, db_session: Session, sha256: str) -> bytes:
        return b"".join(self.chunks(db_session, sha256))


def default_store() -> FileStore:
    return DatabaseFileStore()
