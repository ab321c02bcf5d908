"""The item's 追责时效 (行政处罚法 第三十六条): 二年, or 五年 with the reason written.

"违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，上述
期限延长至五年。" An item runs under 2 years unless overlay.yaml sets `limitation_years` — its `why`
becomes `limitation_reason`. Any other number, or 5 without a reason, is refused here (a catalog
file edited by hand could carry either).
"""

from __future__ import annotations

from collections.abc import Iterator

from caseflow.catalog.lint.context import LintContext
from caseflow.catalog.lint.findings import ERROR, Finding
from caseflow.catalog.model import LIMITATION_YEARS, LIMITATION_YEARS_EXTENDED

_ARTICLE = "行政处罚法第三十六条"


def check_limitation(ctx: LintContext) -> Iterator[Finding]:
    """LIMITATION_PERIOD_INVALID: a period other than 2 or 5 years, or 5 without a reason."""
    for item in ctx.items:
        years, reason = item.limitation_years, (item.limitation_reason or "").strip()
        if years not in (LIMITATION_YEARS, LIMITATION_YEARS_EXTENDED) or isinstance(years, bool):
            yield Finding(item.source_file, item.key, "LIMITATION_PERIOD_INVALID", ERROR,
                          f"追责时效写作“{years}”年；{_ARTICLE}只规定二年，涉及公民生命健康安全、"
                          "金融安全且有危害后果的延长至五年。")
        elif years == LIMITATION_YEARS_EXTENDED and not reason:
            yield Finding(item.source_file, item.key, "LIMITATION_PERIOD_INVALID", ERROR,
                          f"追责时效为五年但没有写明理由；{_ARTICLE}只对涉及公民生命健康安全、"
                          "金融安全且有危害后果的违法行为延长至五年，须在 overlay.yaml 写明理由（why）。")
