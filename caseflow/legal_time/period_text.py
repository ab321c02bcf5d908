"""Reading a period as people write it: "7工作日", "15日", "24小时", "6月", "六个月", "十日", "两年"."""

from __future__ import annotations

import re

import cn2an

from caseflow.errors import InvalidInput
from caseflow.legal_time.periods import Period, PeriodUnit

_UNITS = {
    "工作日": PeriodUnit.WORKING_DAY, "个工作日": PeriodUnit.WORKING_DAY,
    "日": PeriodUnit.DAY, "天": PeriodUnit.DAY,
    "小时": PeriodUnit.HOUR, "个小时": PeriodUnit.HOUR,
    "月": PeriodUnit.MONTH, "个月": PeriodUnit.MONTH,
    "年": PeriodUnit.YEAR,
}
_PATTERN = re.compile(r"^\s*([0-9]+|[〇零一二两三四五六七八九十百]+)\s*(个工作日|工作日|个小时|小时|个月|月|年|日|天)\s*$")


def parse_period(text: str) -> Period:
    m = _PATTERN.match(text)
    if m is None:
        raise InvalidInput(
            f"无法识别期间「{text}」：请写成如 7工作日、15日、24小时、6月、2年。",
            code="PERIOD_INVALID", details={"period": "格式应为 数字+单位（工作日/日/小时/月/年）"},
        )
    number, unit = m.groups()
    length = int(number) if number.isdigit() else int(cn2an.cn2an(number.replace("两", "二"), "smart"))
    if length <= 0:
        raise InvalidInput("期间须大于零。", code="PERIOD_INVALID", details={"period": "须大于零"})
    return Period(length, _UNITS[unit])
