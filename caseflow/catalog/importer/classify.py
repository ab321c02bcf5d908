"""Power types: which published types are imported, and the type/procedure an item really runs as.

Only 行政处罚 and 行政强制 items become workflows. An item whose name is about 封存 (sealing of
materials) is a 行政强制 measure whatever type the list gives it, and runs the sealing procedure.
"""

from __future__ import annotations

import re

PENALTY = "行政处罚"
COERCION = "行政强制"
PROCEDURE_PENALTY = "penalty_general"
PROCEDURE_SEALING = "sealing"

# A 权力类型 cell: 行政许可, 行政处罚, …, 其他行政权力, 其他权利, 其他类 (not 行政主体, a header).
_TYPE_CELL = re.compile(
    r"^(?:行政(?:许可|处罚|强制(?:措施)?|征收|征用|给付|检查|确认|奖励|裁决|备案|执行|监督)"
    r"|其他[\u4e00-\u9fff]{0,4})$"
)
_SEALING_WORDS = ("封存",)


def is_type_cell(text: str) -> bool:
    return bool(_TYPE_CELL.match(text))


def is_imported(published_type: str) -> bool:
    return published_type.startswith(PENALTY) or published_type.startswith(COERCION)


def classify(name: str, published_type: str) -> tuple[str, str, tuple[str, ...]]:
    """(power_type, procedure, notes) for an imported item."""
    if published_type.startswith(COERCION):
        return COERCION, PROCEDURE_SEALING, ()
    if any(word in name for word in _SEALING_WORDS):
        note = f"清单将封存事项列为{published_type}，按行政强制（封存）程序办理"
        return COERCION, PROCEDURE_SEALING, (note,)
    return PENALTY, PROCEDURE_PENALTY, ()
