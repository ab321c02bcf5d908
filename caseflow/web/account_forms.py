"""Reading the account forms: text checked as the step inputs check it (NFC, no control characters,
within its column), 执法证 dates as people write them (2026年1月1日), what was typed to show again
with an error, and the posts offered section by section."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData

from caseflow.auth import accounts
from caseflow.errors import InvalidInput
from caseflow.workflow.input_values import Bad, text, to_date


def text_from(form: FormData, name: str, label: str, limit: int) -> str:
    try:
        return text(form.get(name, ""), limit=limit, multiline=False)
    except Bad as exc:
        raise InvalidInput(f"{label}{exc}。", details={name: str(exc)}) from None


def credential_from(form: FormData) -> accounts.NewCredential | None:
    number = text_from(form, "credential_number", "执法证号", 40)
    if not number:
        return None
    days = {}
    for name, label in (("valid_from", "有效期起"), ("valid_until", "有效期止")):
        raw = text_from(form, name, label, 30)
        if not raw:
            raise InvalidInput(f"请填写执法证{label}。", details={name: "必填"})
        try:
            days[name] = to_date(raw)
        except Bad as exc:
            raise InvalidInput(f"执法证{label}{exc}。", details={name: str(exc)}) from None
    return accounts.NewCredential(number, days["valid_from"], days["valid_until"])


def typed(form: FormData, *, posts: bool = True) -> dict[str, Any]:
    """What was typed, to show again with the error (the posts only from the form that has them)."""
    values: dict[str, Any] = {k: str(v) for k, v in form.items() if k not in ("csrf_token", "posts")}
    return values | ({"posts": posts_from(form)} if posts else {})


def posts_from(form: FormData) -> list[str]:
    return [str(p) for p in form.getlist("posts")]


def groups(choices: list[accounts.PostChoice]) -> list[tuple[str, list[accounts.PostChoice]]]:
    """The posts offered, section by section (本局 for the agency's own)."""
    by_section: dict[str, list[accounts.PostChoice]] = {}
    for c in choices:
        by_section.setdefault(c.section or "本局", []).append(c)
    return list(by_section.items())
