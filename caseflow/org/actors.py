"""`Actor`: who is acting and which posts they hold — a plain value, loaded once per step."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PostRef:
    post: str
    section_name: str | None  # None: a post of the agency itself (局负责人)


@dataclass(frozen=True)
class Actor:
    id: int
    agency_id: int
    username: str
    full_name: str
    posts: tuple[PostRef, ...]
