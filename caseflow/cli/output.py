"""Printing results and errors the same way in every command: Chinese text, or JSON with --json."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from caseflow.errors import CaseflowError

# Exit codes programs can rely on.
EXIT_INVALID = 2
EXIT_REFUSED = 3
EXIT_NOT_FOUND = 4
EXIT_CONFLICT = 5


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@contextmanager
def reported_errors(as_json: bool = False) -> Iterator[None]:
    """Turn service errors into a Chinese message (or a JSON error object) and a stable exit code."""
    from caseflow.errors import Conflict, InvalidInput, NotFound, RuleViolation

    try:
        yield
    except CaseflowError as exc:
        code = {
            InvalidInput: EXIT_INVALID, RuleViolation: EXIT_REFUSED, NotFound: EXIT_NOT_FOUND,
            Conflict: EXIT_CONFLICT,
        }.get(type(exc), 1)
        if as_json:
            print_json({"error": exc.to_dict()})
        else:
            typer.echo(f"错误 [{exc.code}]：{exc.message}", err=True)
            if isinstance(exc, InvalidInput) and isinstance(exc.details, dict):
                for field, msg in exc.details.items():
                    if field not in ("rule", "basis"):
                        typer.echo(f"  - {field}：{msg}", err=True)
        raise typer.Exit(code) from None


def json_object(raw: str, *, field: str, what: str) -> dict[str, Any]:
    """A command's JSON option (`--payload`, `--corrections`, `--data`) as a dict, or InvalidInput
    naming `what` it is (步骤数据, 更正内容 …)."""
    from caseflow.errors import InvalidInput

    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{what}不是合法的 JSON：{exc.msg}。", details={field: "JSON 格式错误"}) from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{what}须为 JSON 对象。", details={field: "须为 {…}"})
    return data


def emit(data: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        print_json(data)
    else:
        typer.echo(text(data))
    sys.stdout.flush()
