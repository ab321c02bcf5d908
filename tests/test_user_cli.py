"""`caseflow user …` as an operator uses it: add a user with a post and a 执法证 (a one-time password
printed once), set a password, disable, list and read the account trail — JSON with --json, Chinese
otherwise, the usual exit codes for refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from caseflow.auth.service import LoginFailed, authenticate
from caseflow.auth.throttle import LoginThrottle
from caseflow.cli.main import app
from caseflow.config import get_settings
from tests.helpers import Org

AGENCY = ["--agency", "栾川县医疗保障局"]


@pytest.fixture
def cli(database_url: str, org: Org, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("CASEFLOW_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _login(engine: Engine, username: str, password: str) -> int:
    return authenticate(engine=engine, username=username, password=password, ip="10.0.0.7",
                        throttle=LoginThrottle(engine))


def test_add_a_user_then_list_them(cli: CliRunner, engine: Engine) -> None:
    r = cli.invoke(app, ["user", "add", "wangfang", "--name", "王芳", *AGENCY, "--post", "基金监管股·调查岗",
                         "--post", "基金监管股·告知岗", "--credential", "豫41032026088",
                         "--valid-from", "2026年1月1日", "--valid-until", "2030-12-31", "--json"])
    assert r.exit_code == 0, r.output
    added = json.loads(r.stdout)
    assert added["posts"] == ["基金监管股·调查岗", "基金监管股·告知岗"] and added["must_change_password"]
    assert added["credentials"] == [{"number": "豫41032026088", "valid_from": "2026-01-01",
                                     "valid_until": "2030-12-31", "revoked": False}]
    assert _login(engine, "wangfang", added["one_time_password"])
    listed = json.loads(cli.invoke(app, ["user", "list", *AGENCY, "--json"]).stdout)
    assert [u["username"] for u in listed if u["username"] == "wangfang"] == ["wangfang"]
    assert all(u["agency"] == "栾川县医疗保障局" for u in listed)
    text = cli.invoke(app, ["user", "list", *AGENCY]).stdout
    assert "王芳" in text and "待改密码" in text and "豫41032026088" in text


def test_add_prints_the_one_time_password_once_in_chinese(cli: CliRunner) -> None:
    r = cli.invoke(app, ["user", "add", "lina", "--name", "李娜", *AGENCY, "--post", "局负责人"])
    assert r.exit_code == 0, r.output
    assert "已新增用户" in r.stdout and "一次性密码" in r.stdout and "首次登录后须修改" in r.stdout


@pytest.mark.parametrize(("args", "code"), [
    (["BadName", "--name", "某人", *AGENCY], "USERNAME_INVALID"),
    (["zhao", "--name", "赵", *AGENCY, "--post", "基金监管股·局长"], "POST_UNKNOWN"),
    (["zhao", "--name", "赵", *AGENCY, "--credential", "X1", "--valid-from", "2026-02-30",
      "--valid-until", "2027-01-01"], "INVALID_INPUT"),
    (["zhao", "--name", "赵"], "INVALID_INPUT"),  # two agencies: which one?
])
def test_add_refusals_carry_a_code_and_exit_2(cli: CliRunner, args: list[str], code: str) -> None:
    r = cli.invoke(app, ["user", "add", *args, "--json"])
    assert r.exit_code == 2, r.output
    assert json.loads(r.stdout)["error"]["code"] == code


def test_set_password_asks_twice_and_applies_the_policy(cli: CliRunner, engine: Engine, org: Org) -> None:
    r = cli.invoke(app, ["user", "set-password", "lian"], input="1234567890\n1234567890\n")
    assert r.exit_code == 2 and "太常见" in r.output
    r = cli.invoke(app, ["user", "set-password", "lian"], input="立案须依法依规及时办理\n立案须依法依规及时办理\n")
    assert r.exit_code == 0, r.output
    assert "已为 lian 设置密码" in r.stdout and "立案须依法依规及时办理" not in r.stdout
    assert _login(engine, "lian", "立案须依法依规及时办理") == org.users["lian"]
    r = cli.invoke(app, ["user", "set-password", "lian", "--one-time", "--json"])
    one_time = json.loads(r.stdout)["one_time_password"]
    assert _login(engine, "lian", one_time) == org.users["lian"]


def test_disable_then_enable(cli: CliRunner, engine: Engine, org: Org) -> None:
    r = cli.invoke(app, ["user", "set-password", "songda"], input="送达须依法及时准确进行\n送达须依法及时准确进行\n")
    assert r.exit_code == 0, r.output
    r = cli.invoke(app, ["user", "disable", "songda", "--reason", "退休", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["active"] is False
    with pytest.raises(LoginFailed):
        _login(engine, "songda", "送达须依法及时准确进行")
    assert cli.invoke(app, ["user", "enable", "songda"]).exit_code == 0
    assert _login(engine, "songda", "送达须依法及时准确进行") == org.users["songda"]
    events = json.loads(cli.invoke(app, ["user", "events", "songda", "--json"]).stdout)
    assert [e["action"] for e in events] == ["enabled", "disabled", "password_set"]
    assert events[1]["detail"] == {"reason": "退休"} and {e["actor"] for e in events} == {"命令行（系统管理）"}


def test_an_unknown_user_is_not_found(cli: CliRunner) -> None:
    r = cli.invoke(app, ["user", "disable", "nobody", "--json"])
    assert r.exit_code == 4 and json.loads(r.stdout)["error"]["code"] == "NOT_FOUND"
