"""The types of what a request carries — ids and offsets in the path or query, text in a body —
bounded as the database stores them, so no input reaches SQL that the database would refuse.

Text goes through the step inputs' own check (`caseflow.workflow.input_values.text`): NFC, no NUL,
control characters or unpaired surrogates, at most the column's length.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict

from caseflow.db.text import Bad, text

DB_INT_MAX = 2**31 - 1  # an INTEGER primary key (PostgreSQL int4)
OFFSET_MAX = 10**7

RowId = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="编号")]
Offset = Annotated[int, Query(ge=0, le=OFFSET_MAX, description="跳过的条数")]


def _cleaner(limit: int, multiline: bool):  # type: ignore[no-untyped-def]
    def clean(value: str) -> str:
        try:
            return text(value, limit=limit, multiline=multiline)
        except Bad as exc:
            raise ValueError(str(exc)) from None
    return clean


def Text(max_length: int, *, multiline: bool = False, description: str | None = None):  # type: ignore[no-untyped-def]  # noqa: N802
    """A text field of a request body, as long as its column at most."""
    return Annotated[str, Field(max_length=max_length, description=description),
                     AfterValidator(_cleaner(max_length, multiline))]


# The text fields of request bodies, by the column they end in.
Name50 = Text(50)  # user names, 法定代表人, 执法人员
Line40 = Text(40)  # 事项编号, 电话
Line100 = Text(100)
Line200 = Text(200)  # 当事人名称, 线索来源, 受送达人
Line300 = Text(300)  # 案由, 地址, 送达地点
Identifier = Text(40)  # 统一社会信用代码 / 身份证号 as typed (checked and normalised by parties)
Reason = Text(2000, multiline=True)  # 理由, 意见
Version = Annotated[int, Strict(), Field(ge=0, le=DB_INT_MAX)]  # a case's version, as the client saw it
StrictId = Annotated[int, Strict(), Field(ge=1, le=DB_INT_MAX)]  # a row's id in a body


class RequestModel(BaseModel):
    """A request body: no field it does not declare. (Its numbers are `StrictId`/`Version`: true is not
    1; its texts `Text`: 5 is not "5".)"""

    model_config = ConfigDict(extra="forbid")
