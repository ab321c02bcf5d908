"""Process-wide settings (pydantic-settings): database URL, workflow folder, time zone, evidence
uploads, the cache of compiled document templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEFLOW_", extra="ignore")

    database_url: str = f"sqlite:///{REPO_ROOT / 'caseflow.db'}"
    workflows_dir: Path = REPO_ROOT / "workflows"
    seeds_dir: Path = REPO_ROOT.parent / "shared" / "seeds"  # the published lists (read-only)
    display_timezone: str = "Asia/Shanghai"
    sql_echo: bool = False
    # SQLite's durability (PRAGMA synchronous, in WAL mode). FULL, the default: a commit — a decision
    # acknowledged to an officer — is on disk before the answer, and survives a power cut. NORMAL
    # survives a crash of caseflow but may lose the last commits on a power cut (the tests use it:
    # their databases are thrown away). PostgreSQL keeps its own default durability (fsync on).
    sqlite_synchronous: Literal["FULL", "NORMAL", "EXTRA"] = "FULL"
    # Evidence uploads (证据材料): the types accepted — as sniffed from the bytes, never the name —
    # and the size limits, per file and per case, in MiB. Configurable defaults, not legal rules.
    evidence_types: list[str] = [
        "image/jpeg", "image/png", "image/tiff", "image/webp", "application/pdf",
        "audio/mpeg", "audio/x-wav", "audio/mp4", "audio/amr", "video/mp4", "video/quicktime",
        "video/x-msvideo", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/msword", "text/plain",
    ]
    evidence_max_file_mib: int = 500
    evidence_max_case_mib: int = 4096
    # Compiled document templates (Jinja bytecode) kept between processes, so that a one-shot
    # `caseflow doc render` does not compile them again (caseflow.documents.renderer). The folder
    # holds code that is run: one only caseflow's user can write. None: Jinja's own private folder
    # in the temp directory (<temp>/_jinja2-cache-<uid>, 0700). Not writable: compiled each time.
    template_cache: bool = True
    template_cache_dir: Path | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
