"""Process-wide settings (pydantic-settings): database URL, workflow folder, time zone."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEFLOW_", extra="ignore")

    database_url: str = f"sqlite:///{REPO_ROOT / 'caseflow.db'}"
    workflows_dir: Path = REPO_ROOT / "workflows"
    seeds_dir: Path = REPO_ROOT.parent / "shared" / "seeds"  # the published lists (read-only)
    display_timezone: str = "Asia/Shanghai"
    sql_echo: bool = False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
