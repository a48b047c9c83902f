"""Platform settings, validated once at start-up."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, field_validator


class Settings(BaseModel):
    """Where the data lives and the limits that protect a shared server."""

    data_dir: Path = Path("dudao-data")
    db_url: str | None = None          # None: SQLite file in data_dir
    max_upload_mb: int = Field(50, ge=1, le=500)
    session_hours: float = Field(8, gt=0)
    login_max_failures: int = Field(5, ge=1)   # per user name and address
    login_window_minutes: int = Field(15, ge=1)
    workers: int = Field(1, ge=0, le=16)       # 0: no background worker (tests drive the queue)
    max_attempts: int = Field(3, ge=1)         # analysis tries before a job is marked failed
    secure_cookies: bool = False               # set behind HTTPS

    @field_validator("data_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        return v.expanduser().resolve()

    @property
    def database_url(self) -> str:
        url = self.db_url or f"sqlite:///{self.data_dir / 'dudao.sqlite3'}"
        # A plain postgresql:// URL means psycopg 3 (the driver the [postgresql] extra installs).
        for plain in ("postgresql://", "postgres://"):
            if url.startswith(plain):
                return "postgresql+psycopg://" + url[len(plain):]
        return url

    @property
    def upload_dir(self) -> Path:
        return self.data_dir / "uploads"
