"""Who may see what beyond their own cases' steps: the 监督看板 is for supervisors.

Steps are authorised by the post each one names (caseflow/cases/guards/actor.py); this module holds the
views that belong to a kind of post rather than to a step.
"""

from __future__ import annotations

from caseflow.errors import CaseflowError
from caseflow.org.actors import Actor

# 局负责人 watches the whole agency; a 股长 watches the limits of their section's posts.
SUPERVISOR_POSTS = ("局负责人", "股长")


class NotPermitted(CaseflowError):
    code = "NOT_PERMITTED"


def supervises(actor: Actor) -> bool:
    return any(p.post in SUPERVISOR_POSTS for p in actor.posts)


def require_supervisor(actor: Actor) -> None:
    if not supervises(actor):
        raise NotPermitted("监督看板和期限预警汇总仅供局负责人和股长查看；您的待办期限见「我的待办」。")
