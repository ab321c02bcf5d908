"""Account management from its requirement: a user is added with posts and a 执法证 and logs in with
a one-time password they must change; posts change; a password is reset; an account is disabled
and cannot log in; every change is in the append-only account trail, naming who did it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DatabaseError

from caseflow.auth import accounts, audit
from caseflow.auth.audit import By
from caseflow.auth.models import AccountEvent
from caseflow.auth.password_changes import change_own_password, reset_password, set_password
from caseflow.auth.service import LoginFailed, authenticate
from caseflow.auth.throttle import LoginThrottle
from caseflow.db.session import unit_of_work
from caseflow.errors import Conflict, InvalidInput, NotFound
from caseflow.org.models import User
from caseflow.org.service import describe_posts, load_actor
from tests.helpers import Org

CREDENTIAL = accounts.NewCredential("豫41032026099", date(2026, 1, 1), date(2030, 12, 31))


def _add(engine: Engine, org: Org, **kw) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    args = {"username": "wangfang", "full_name": "王芳", "posts": ["基金监管股·调查岗"],
            "credential": CREDENTIAL, "by": By.web(org.users["juzhang"])} | kw
    with unit_of_work(engine) as s:
        user, password = accounts.add_user(db_session=s, agency_id=org.agency_id, **args)
        return user.id, password


def _login(engine: Engine, username: str, password: str) -> int:
    return authenticate(engine=engine, username=username, password=password, ip="10.0.0.9",
                        throttle=LoginThrottle(engine))


def test_an_added_user_has_posts_a_credential_and_a_one_time_password(engine: Engine, org: Org) -> None:
    user_id, password = _add(engine, org)
    assert _login(engine, "wangfang", password) == user_id
    with unit_of_work(engine, write=False) as s:
        user = accounts.get_account(db_session=s, user_id=user_id, agency_id=org.agency_id)
        assert user.must_change_password and user.is_active
        assert describe_posts(load_actor(db_session=s, user_id=user_id)) == ["基金监管股·调查岗"]
        assert [(c.number, c.valid_on(date(2027, 5, 1))) for c in user.credentials] == [("豫41032026099", True)]
        trail = audit.events(db_session=s, agency_id=org.agency_id, subject_id=user_id)
    assert [(e.action, e.actor) for e in trail] == [("credential_issued", "张局长"), ("created", "张局长")]
    assert "基金监管股·调查岗" in trail[1].detail and "豫41032026099" in trail[0].detail
    assert password not in str([e.raw for e in trail])


def test_the_one_time_password_is_changed_by_its_owner(engine: Engine, org: Org) -> None:
    user_id, password = _add(engine, org)
    with pytest.raises(InvalidInput) as refused:
        change_own_password(engine=engine, user_id=user_id, current=password, new="wangfang", repeat="wangfang")
    assert refused.value.code == "PASSWORD_TOO_SHORT"
    with pytest.raises(InvalidInput) as refused:
        change_own_password(engine=engine, user_id=user_id, current="not-it-at-all", new="基金监管须严格依法执法",
                            repeat="基金监管须严格依法执法")
    assert refused.value.code == "PASSWORD_WRONG"
    with pytest.raises(InvalidInput) as refused:
        change_own_password(engine=engine, user_id=user_id, current=password, new="基金监管须严格依法执法",
                            repeat="基金监管须严格依法执法！")
    assert refused.value.code == "PASSWORD_MISMATCH"
    change_own_password(engine=engine, user_id=user_id, current=password, new="基金监管须严格依法执法",
                        repeat="基金监管须严格依法执法")
    with pytest.raises(LoginFailed):
        _login(engine, "wangfang", password)
    assert _login(engine, "wangfang", "基金监管须严格依法执法") == user_id
    with unit_of_work(engine, write=False) as s:
        user = s.get(User, user_id)
        assert user is not None and not user.must_change_password and user.sessions_valid_after
        assert audit.events(db_session=s, agency_id=None, subject_id=user_id)[0].action == "password_changed"


def test_a_reset_while_the_user_changes_it_is_not_overwritten(engine: Engine, org: Org,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    user_id, password = _add(engine, org)
    from caseflow.auth import password_changes

    real = password_changes.hash_password

    def reset_meanwhile(p: str) -> str:  # the head resets it while the new one is being hashed
        monkeypatch.setattr(password_changes, "hash_password", real)
        with unit_of_work(engine) as s:
            reset_password(db_session=s, agency_id=org.agency_id, user_id=user_id, by=By.cli())
        return real(p)

    monkeypatch.setattr(password_changes, "hash_password", reset_meanwhile)
    with pytest.raises(Conflict):
        change_own_password(engine=engine, user_id=user_id, current=password, new="基金监管须严格依法执法",
                            repeat="基金监管须严格依法执法")


def test_posts_change_and_only_known_posts_are_given(engine: Engine, org: Org) -> None:
    user_id, _ = _add(engine, org, credential=None)
    head = By.web(org.users["juzhang"])
    with unit_of_work(engine) as s:
        accounts.set_posts(db_session=s, agency_id=org.agency_id, user_id=user_id,
                           posts=["基金监管股·立案岗", "法制审核股/审查岗"], by=head)
    with unit_of_work(engine, write=False) as s:
        assert describe_posts(load_actor(db_session=s, user_id=user_id)) == ["基金监管股·立案岗", "法制审核股·审查岗"]
        e = audit.events(db_session=s, agency_id=org.agency_id, subject_id=user_id)[0]
        assert e.action == "posts_changed" and e.raw["removed"] == ["基金监管股·调查岗"]
    for bad in (["基金监管股·审查岗"], ["办公室·立案岗"], ["局长"]):
        with pytest.raises(InvalidInput) as refused, unit_of_work(engine) as s:
            accounts.set_posts(db_session=s, agency_id=org.agency_id, user_id=user_id, posts=bad, by=head)
        assert refused.value.code == "POST_UNKNOWN"
    with unit_of_work(engine, write=False) as s:
        labels = [c.label for c in accounts.post_choices(db_session=s, agency_id=org.agency_id)]
    assert labels[0] == "局负责人" and "基金监管股·股长" in labels and "法制审核股·执行岗" in labels


def test_the_head_cannot_disable_themself_nor_drop_their_own_head_post(engine: Engine, org: Org) -> None:
    head = org.users["juzhang"]
    with pytest.raises(InvalidInput) as refused, unit_of_work(engine) as s:
        accounts.disable(db_session=s, agency_id=org.agency_id, user_id=head, by=By.web(head))
    assert refused.value.code == "ACCOUNT_SELF"
    with pytest.raises(InvalidInput) as refused, unit_of_work(engine) as s:
        accounts.set_posts(db_session=s, agency_id=org.agency_id, user_id=head, posts=[], by=By.web(head))
    assert refused.value.code == "ACCOUNT_SELF"


def test_a_disabled_user_cannot_log_in_and_their_sessions_end(engine: Engine, org: Org) -> None:
    user_id, password = _add(engine, org)
    with unit_of_work(engine) as s:
        accounts.disable(db_session=s, agency_id=org.agency_id, user_id=user_id,
                         by=By.web(org.users["juzhang"]), reason="调离")
    with pytest.raises(LoginFailed):
        _login(engine, "wangfang", password)
    with unit_of_work(engine, write=False) as s:
        user = s.get(User, user_id)
        assert user is not None and not user.is_active and user.sessions_valid_after is not None
        with pytest.raises(NotFound):
            load_actor(db_session=s, user_id=user_id)
        e = audit.events(db_session=s, agency_id=org.agency_id, subject_id=user_id)[0]
        assert (e.action, e.detail) == ("disabled", "原因：调离")
    with unit_of_work(engine) as s:
        accounts.enable(db_session=s, agency_id=None, user_id=user_id, by=By.cli())
    assert _login(engine, "wangfang", password) == user_id


def test_a_reset_gives_a_new_one_time_password_and_ends_the_old_one(engine: Engine, org: Org) -> None:
    user_id, first = _add(engine, org)
    change_own_password(engine=engine, user_id=user_id, current=first, new="基金监管须严格依法执法",
                        repeat="基金监管须严格依法执法")
    with unit_of_work(engine) as s:
        second = reset_password(db_session=s, agency_id=org.agency_id, user_id=user_id,
                                by=By.web(org.users["juzhang"]))
    with pytest.raises(LoginFailed):
        _login(engine, "wangfang", "基金监管须严格依法执法")
    assert _login(engine, "wangfang", second) == user_id
    with unit_of_work(engine, write=False) as s:
        assert s.get(User, user_id).must_change_password  # type: ignore[union-attr]


def test_the_command_line_sets_a_password_under_the_policy(engine: Engine, org: Org) -> None:
    with pytest.raises(InvalidInput) as refused, unit_of_work(engine) as s:
        set_password(db_session=s, username="lian", password="lian", by=By.cli())
    assert refused.value.code == "PASSWORD_TOO_SHORT"
    with unit_of_work(engine) as s:
        set_password(db_session=s, username="lian", password="立案须依法依规及时办理", by=By.cli())
    assert _login(engine, "lian", "立案须依法依规及时办理") == org.users["lian"]
    with unit_of_work(engine, write=False) as s:
        e = audit.events(db_session=s, agency_id=None, subject_id=org.users["lian"])[0]
    assert (e.action, e.actor) == ("password_set", audit.CLI_ACTOR)


def test_another_agencys_user_is_not_found(engine: Engine, org: Org) -> None:
    with pytest.raises(NotFound), unit_of_work(engine) as s:
        accounts.disable(db_session=s, agency_id=org.agency_id, user_id=org.other_users["ps_lian"],
                         by=By.web(org.users["juzhang"]))


def test_usernames_and_credential_numbers_are_unique(engine: Engine, org: Org) -> None:
    _add(engine, org)
    with pytest.raises(InvalidInput) as refused:
        _add(engine, org, username="wangfang2")
    assert refused.value.code == "CREDENTIAL_NUMBER_TAKEN"
    with pytest.raises(InvalidInput) as refused:
        _add(engine, org, credential=None)
    assert refused.value.details == {"username": "用户名重复"}
    with unit_of_work(engine, write=False) as s:  # the refused additions left nothing behind
        assert s.scalar(select(User.id).where(User.username == "wangfang2")) is None


def test_the_account_trail_cannot_be_changed(engine: Engine, org: Org) -> None:
    _add(engine, org)
    for sql in ("UPDATE account_events SET action = 'x'", "DELETE FROM account_events"):
        with engine.connect() as conn:
            with pytest.raises(DatabaseError, match="append-only"):
                conn.execute(text(sql))
            conn.rollback()
    with unit_of_work(engine, write=False) as s:
        assert s.scalar(select(AccountEvent.action).limit(1)) == "created"
