"""The demo's 执法公示: the main case's decision, released by the 法制审核股·审查岗 two days after it
was made — after the 决定书 is served and before the party pays (《行政处罚法》第四十八条; within the
seven 工作日 of the publication limit)."""

from __future__ import annotations

from sqlalchemy import Engine

from caseflow.demo.walk import Step, sh, walk

PUBLISH = Step("publish_decision", "shencha", sh("2026-07-09 10:00"))


def release_demo_publication(engine: Engine, case_no: str) -> None:
    walk(engine, case_no, [PUBLISH])
