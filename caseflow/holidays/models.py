"""Tables an administrator edits when the State Council publishes a year's holiday notice."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.db.base import Base, utcnow
from caseflow.db.types import UTCDateTime


class HolidayOverride(Base):
    """One date declared a day off (holiday) or a working day (调休上班), overriding the library."""

    __tablename__ = "holiday_overrides"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "holiday" | "workday"
    name: Mapped[str] = mapped_column(String(40), default="")  # 春节, 国庆节 …
    notice: Mapped[str] = mapped_column(String(200), default="")  # the notice it comes from
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HolidayYear(Base):
    """A year whose whole arrangement has been entered: its dates are no longer provisional."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    notice: Mapped[str] = mapped_column(String(200))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
