"""Who may see what beyond their own cases' steps: the 监督看板 is for supervisors, account
management for the 局负责人.

Steps are authorised by the post each one names (caseflow/cases/guards/actor.py); this module holds the
views that belong to a kind of post rather than to a step.
"""

from __future__ import annotations

from caseflow.errors import CaseflowError
from caseflow.org.actors import Actor

# 局负责人 watches the whole agency; a 股长 watches the limits of their section's posts.
SUPERVISOR_POSTS = ("局负责人", "股长")
# The head assigns the posts of the 岗责体系 and already decides who handles a case (更换承办人员):
# adding people, giving them posts and 执法证, resetting passwords and disabling accounts is theirs.
ACCOUNT_MANAGER_POSTS = ("局负责人",)


class NotPermitted(CaseflowError):
    code = "NOT_PERMITTED"


def supervises(actor: Actor) -> bool:
    return any(p.post in SUPERVISOR_POSTS for p in actor.posts)


def require_supervisor(actor: Actor) -> None:
    if not supervises(actor):
        raise NotPermitted("监督看板和期限预警汇总仅供局负责人和股长查看；您的待办期限见「我的待办」。")


def manages_accounts(actor: Actor) -> bool:
    return any(p.post in ACCOUNT_MANAGER_POSTS and p.section_name is None for p in actor.posts)


def require_account_manager(actor: Actor) -> None:
    if not manages_accounts(actor):
        raise NotPermitted("账号管理仅供局负责人使用；修改本人密码请点页面右上角的「修改密码」。")
