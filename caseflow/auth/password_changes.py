"""Changing passwords, audited: a manager resets one to a one-time password (changed at the next
login), the command line sets one, a user changes their own. Every change ends the user's other
sessions; the policy (caseflow/auth/policy.py) applies to every password a person chooses.

argon2 takes a tenth of a second on purpose: it runs before the first query of a unit of work, or
outside it, so no database lock waits for it.
"""

from __future__ import annotations

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from caseflow.auth import audit
from caseflow.auth.accounts import get_account, get_account_by_username
from caseflow.auth.audit import By
from caseflow.auth.passwords import hash_password, one_time_password, verify_password
from caseflow.auth.policy import check_password
from caseflow.auth.service import end_sessions
from caseflow.db.session import unit_of_work
from caseflow.errors import Conflict, InvalidInput
from caseflow.org.models import User


def reset_password(*, db_session: Session, agency_id: int | None, user_id: int, by: By) -> str:
    """A new one-time password for the user (returned to be handed over, never stored); they must
    change it when they next log in, and their sessions end now."""
    password = one_time_password()
    password_hash = hash_password(password)
    user = get_account(db_session=db_session, user_id=user_id, agency_id=agency_id)
    user.password_hash = password_hash
    user.must_change_password = True
    end_sessions(db_session=db_session, user_id=user.id)
    audit.record(db_session=db_session, subject=user, action="password_reset", by=by)
    return password


def set_password(*, db_session: Session, username: str, password: str, by: By) -> User:
    """Set a password the operator chose (the policy applies); the user's sessions end."""
    check_password(password, username=username.strip(), field="password")
    password_hash = hash_password(password)
    user = get_account_by_username(db_session=db_session, username=username)
    user.password_hash = password_hash
    user.must_change_password = False
    end_sessions(db_session=db_session, user_id=user.id)
    audit.record(db_session=db_session, subject=user, action="password_set", by=by)
    return user


def change_own_password(*, engine: Engine, user_id: int, current: str, new: str, repeat: str) -> None:
    """The signed-in user changes their password: the current one is checked (the caller counts
    the attempt with the login throttle first), the new one must pass the policy, differ from the
    current one and be typed the same twice. Their other sessions end."""
    with unit_of_work(engine, write=False) as s:
        username, old_hash = s.execute(select(User.username, User.password_hash)
                                       .where(User.id == user_id)).one()
    if not verify_password(old_hash, current):
        raise InvalidInput("当前密码不正确。", code="PASSWORD_WRONG", details={"current_password": "当前密码不正确"})
    check_password(new, username=username, field="new_password")
    if new != repeat:
        raise InvalidInput("两次输入的新密码不一致。", code="PASSWORD_MISMATCH",
                           details={"repeat_password": "两次输入不一致"})
    if verify_password(old_hash, new):
        raise InvalidInput("新密码不能与当前密码相同。", code="PASSWORD_UNCHANGED",
                           details={"new_password": "不能与当前密码相同"})
    new_hash = hash_password(new)
    with unit_of_work(engine) as s:
        user = get_account(db_session=s, user_id=user_id, agency_id=None)
        if user.password_hash != old_hash:  # reset or changed elsewhere meanwhile
            raise Conflict("密码刚被修改过，请重新输入。")
        user.password_hash = new_hash
        user.must_change_password = False
        end_sessions(db_session=s, user_id=user.id)
        audit.record(db_session=s, subject=user, action="password_changed", by=By.web(user.id))
