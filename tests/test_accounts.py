"""Accounts: sign-in with lockout and its audit trail, passwords, administration, demo users."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app import audit, settings
from app.accounts import passwords
from app.accounts import service as accounts
from app.accounts.service import AccountDisabled, AccountLocked, UserSummary
from app.actor import TOWN_ROLES, Actor, Role
from app.audit import AuditEvent, authorize
from app.cli import build_parser, main
from app.demo.users import DEMO_PASSWORD, DEMO_USERS, seed_demo_users
from app.errors import AuthenticationError, NotFound, PermissionDenied, ValidationError
from app.outbox.envelope import parse_envelope
from app.units.runner import Units
from db.models import AuditEntry, OutboxEntry, User
from db.store import Store
from tests.cases.helpers import assert_no_local_ids

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
PASSWORD = "Window2026"
# Whoever holds the store key acts as admin when bootstrapping (as `onewindow users create` does).
BOOTSTRAP = Actor(0, "bootstrap", "初始化", frozenset({Role.ADMIN}), "W00")


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2 with tiny costs so the many sign-ins here run fast (real costs: test_passwords)."""
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    monkeypatch.setattr(passwords, "_dummy_hash", None)
    yield


def new_user(store: Store, username: str, *roles: Role, password: str = PASSWORD) -> UserSummary:
    with store.session() as session:
        return accounts.create_user(
            session,
            BOOTSTRAP,
            username,
            f"{username}的姓名",
            password,
            roles,
            must_change_password=False,
        )


def login(store: Store, username: str, password: str = PASSWORD, *, at: datetime = T0) -> Actor:
    with store.session() as session:
        return accounts.authenticate(session, username, password, "W01", now=at)


def refusal(
    store: Store, username: str, password: str, *, at: datetime = T0
) -> AuthenticationError:
    with pytest.raises(AuthenticationError) as caught:
        login(store, username, password, at=at)
    return caught.value


def events(store: Store, *, prefix: str = "") -> list[tuple[str, str, dict[str, object]]]:
    with store.session() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    return [(r.event, r.actor, r.detail) for r in rows if r.event.startswith(prefix)]


def user_row(store: Store, username: str) -> User:
    with store.session() as session:
        return session.scalars(select(User).where(User.username == username)).one()


@pytest.fixture
def admin(store: Store) -> Actor:
    summary = new_user(store, "admin1", Role.ADMIN)
    return login(store, summary.username)


# --- signing in ---------------------------------------------------------------------------------


def test_successful_login_returns_the_actor_and_is_audited(store: Store) -> None:
    created = new_user(store, "clerk1", Role.CLERK, Role.SUPERVISOR)
    actor = login(store, "  Clerk1 ")
    assert actor == Actor(
        created.user_id, "clerk1", "clerk1的姓名", frozenset({Role.CLERK, Role.SUPERVISOR}), "W01"
    )
    assert events(store, prefix="login") == [
        ("login_ok", "clerk1", {"user_id": created.user_id, "roles": ["clerk", "supervisor"]})
    ]


GENERIC = "用户名或密码不正确。连续输错 5 次，账号将锁定 15 分钟"


def answer(error: AuthenticationError) -> tuple[str, str, str]:
    """What the login window shows and how: the words, the code and the error's kind."""
    return error.message, error.code, type(error).__name__


def test_wrong_passwords_are_counted_and_each_failure_is_committed(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    messages = [refusal(store, "clerk1", "wrong-pass1").message for _ in range(3)]
    assert messages == [GENERIC] * 3  # no count of tries left: it would tell the name exists
    assert user_row(store, "clerk1").failed_attempts == 3
    assert [(e, d["reason"], d["failures"]) for e, _, d in events(store, prefix="login")] == [
        ("login_failed", "wrong_password", 1),
        ("login_failed", "wrong_password", 2),
        ("login_failed", "wrong_password", 3),
    ]


def test_a_wrong_password_and_an_unknown_user_get_the_identical_answer(store: Store) -> None:
    """Whatever others did to the account before (typos of its owner, a lock), someone without
    the password cannot tell a real user name from an invented one."""
    new_user(store, "clerk1", Role.CLERK)
    new_user(store, "clerk2", Role.CLERK)
    refusal(store, "clerk1", "typo-1")  # its owner mistyped twice this morning
    refusal(store, "clerk1", "typo-2")
    for _ in range(5):
        refusal(store, "clerk2", "guess")  # someone locked clerk2
    assert user_row(store, "clerk2").locked_until is not None

    fresh = [answer(refusal(store, "nobody", "x")) for _ in range(7)]
    typos = [answer(refusal(store, "clerk1", "x")) for _ in range(7)]  # locks it on the 3rd
    locked = [answer(refusal(store, "clerk2", "x")) for _ in range(7)]
    assert fresh == typos == locked == [(GENERIC, "E410", "AuthenticationError")] * 7
    assert user_row(store, "clerk1").locked_until is not None  # the lockout still holds


def test_the_lock_is_named_only_to_whoever_gives_the_right_password(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    for _ in range(4):
        refusal(store, "clerk1", "wrong-pass1")
    locking = refusal(store, "clerk1", "wrong-pass1")
    assert answer(locking) == (GENERIC, "E410", "AuthenticationError")
    assert user_row(store, "clerk1").locked_until == T0 + timedelta(minutes=15)
    # A wrong password during the lock: the same answer again. The right one is refused too,
    # and only it is told of the lock and the remaining wait, rounded up.
    assert refusal(store, "clerk1", "wrong-pass1", at=T0 + timedelta(minutes=1)).message == GENERIC
    for elapsed, minutes in [
        (timedelta(seconds=1), 15),
        (timedelta(minutes=5, seconds=1), 10),
        (timedelta(minutes=14, seconds=30), 1),
    ]:
        during = refusal(store, "clerk1", PASSWORD, at=T0 + elapsed)
        assert isinstance(during, AccountLocked) and during.code == "E411"
        assert during.minutes_left == minutes
        assert during.message == f"账号已锁定，请在 {minutes} 分钟后重试，或联系系统管理员解锁"
    actor = login(store, "clerk1", at=T0 + timedelta(minutes=15))
    assert actor.username == "clerk1"
    row = user_row(store, "clerk1")
    assert (row.failed_attempts, row.locked_until) == (0, None)
    trail = [(e, d.get("reason")) for e, _, d in events(store, prefix="login")]
    assert trail == [
        *[("login_failed", "wrong_password")] * 5,
        ("login_locked", None),
        *[("login_failed", "locked")] * 4,
        ("login_ok", None),
    ]


def test_after_a_lock_expires_the_full_allowance_is_back(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    for _ in range(5):
        refusal(store, "clerk1", "wrong-pass1")
    later = T0 + timedelta(minutes=20)
    for _ in range(4):
        refusal(store, "clerk1", "wrong-pass1", at=later)
    assert user_row(store, "clerk1").failed_attempts == 4
    assert login(store, "clerk1", at=later).username == "clerk1"


def test_lockout_policy_comes_from_the_settings(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    with store.session() as session, session.begin():
        settings.LOCKOUT_MAX_FAILURES.set(session, 3)
        settings.LOCKOUT_MINUTES.set(session, 30)
    expected = "用户名或密码不正确。连续输错 3 次，账号将锁定 30 分钟"
    assert refusal(store, "clerk1", "x").message == expected
    assert refusal(store, "nobody", "x").message == expected
    refusal(store, "clerk1", "x")
    refusal(store, "clerk1", "x")
    locked = refusal(store, "clerk1", PASSWORD)
    assert isinstance(locked, AccountLocked) and locked.minutes_left == 30


def test_success_resets_the_count(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    refusal(store, "clerk1", "x")
    refusal(store, "clerk1", "x")
    login(store, "clerk1")
    assert user_row(store, "clerk1").failed_attempts == 0


def test_admin_resets_a_lockout(store: Store, admin: Actor) -> None:
    clerk = new_user(store, "clerk1", Role.CLERK)
    for _ in range(5):
        refusal(store, "clerk1", "x")
    with store.session() as session:
        summary = accounts.reset_lockout(session, admin, clerk.user_id)
    assert not summary.is_locked(T0) and summary.failed_attempts == 0
    assert login(store, "clerk1", at=T0 + timedelta(minutes=1)).username == "clerk1"
    (reset,) = [(a, d) for e, a, d in events(store) if e == AuditEvent.LOCKOUT_RESET]
    assert reset == (
        "admin1",
        {"user_id": clerk.user_id, "locked_until": "2026-11-23T01:15:00+00:00"},
    )


def test_unknown_user_names_are_audited_but_lock_nothing(store: Store) -> None:
    for _ in range(6):
        assert refusal(store, "nobody", "x").message == GENERIC
    unknown_trail = [(e, d) for e, a, d in events(store) if a == "nobody"]
    assert unknown_trail == [("login_failed", {"reason": "unknown_user"})] * 6


def test_every_attempt_is_audited(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    attempts = [("clerk1", "x"), ("clerk1", PASSWORD), ("ghost", "x"), ("", ""), ("clerk1", "y")]
    for name, word in attempts:
        with contextlib.suppress(AuthenticationError):
            login(store, name, word)
    trail = [(e, a) for e, a, _ in events(store, prefix="login")]
    assert trail == [
        ("login_failed", "clerk1"),
        ("login_ok", "clerk1"),
        ("login_failed", "ghost"),
        ("login_failed", "(空)"),
        ("login_failed", "clerk1"),
    ]
    # No password, right or wrong, reaches the audit log.
    for _, _, detail in events(store):
        assert PASSWORD not in str(detail)


def test_disabled_account_is_named_only_after_the_right_password(
    store: Store, admin: Actor
) -> None:
    clerk = new_user(store, "clerk1", Role.CLERK)
    with store.session() as session:
        accounts.set_active(session, admin, clerk.user_id, False)
    assert refusal(store, "clerk1", "x").message.startswith("用户名或密码不正确")
    disabled = refusal(store, "clerk1", PASSWORD)
    assert isinstance(disabled, AccountDisabled)
    assert disabled.message == "账号已停用，请联系系统管理员"
    with store.session() as session:
        accounts.set_active(session, admin, clerk.user_id, True)
    assert login(store, "clerk1").username == "clerk1"
    toggles = [e for e, _, _ in events(store) if e in ("user_enabled", "user_disabled")]
    assert toggles == ["user_disabled", "user_enabled"]


def test_an_old_hash_is_upgraded_on_login(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    old = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1).hash(PASSWORD)
    with store.session() as session, session.begin():
        session.scalars(select(User)).one().password_hash = old
    login(store, "clerk1")
    upgraded = user_row(store, "clerk1").password_hash
    assert upgraded != old and not passwords.needs_rehash(upgraded)
    assert login(store, "clerk1").username == "clerk1"


def test_naive_now_is_refused(store: Store) -> None:
    with store.session() as session, pytest.raises(ValueError):
        accounts.authenticate(session, "x", "y", "W01", now=datetime(2026, 1, 1))


# --- own password -------------------------------------------------------------------------------


def test_change_password(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    actor = login(store, "clerk1")
    with store.session() as session:
        accounts.change_password(session, actor, PASSWORD, "NewWindow7")
    refusal(store, "clerk1", PASSWORD)
    assert login(store, "clerk1", "NewWindow7").username == "clerk1"
    assert ("password_changed", "clerk1") in [(e, a) for e, a, _ in events(store)]


def test_change_password_with_wrong_old_password_is_refused_and_audited(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    actor = login(store, "clerk1")
    with store.session() as session, pytest.raises(ValidationError) as caught:
        accounts.change_password(session, actor, "not-it-1", "NewWindow7")
    assert (caught.value.field, caught.value.message) == ("原密码", "原密码不正确")
    assert events(store)[-1][0] == AuditEvent.PASSWORD_CHANGE_FAILED
    assert login(store, "clerk1").username == "clerk1"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short1", "新密码至少需要8个字符"),
        ("onlyletters", "新密码须同时包含英文字母和数字"),
        (PASSWORD, "新密码不能与原密码相同"),
    ],
)
def test_new_password_follows_the_policy(store: Store, new: str, message: str) -> None:
    new_user(store, "clerk1", Role.CLERK)
    actor = login(store, "clerk1")
    with store.session() as session, pytest.raises(ValidationError) as caught:
        accounts.change_password(session, actor, PASSWORD, new)
    assert caught.value.field == "新密码"
    assert caught.value.message.startswith(message)


def test_a_new_account_must_change_its_initial_password(store: Store, admin: Actor) -> None:
    with store.session() as session:
        created = accounts.create_user(session, admin, "clerk9", "王芳", "Initial123", [Role.CLERK])
    assert created.must_change_password
    actor = login(store, "clerk9", "Initial123")
    with store.session() as session:
        assert accounts.password_change_required(session, actor)
    with store.session() as session:
        accounts.change_password(session, actor, "Initial123", "Mine12345")
    with store.session() as session:
        assert not accounts.password_change_required(session, actor)


# --- administration -----------------------------------------------------------------------------


def test_create_user_is_audited_without_personal_data(store: Store, admin: Actor) -> None:
    with store.session() as session:
        created = accounts.create_user(
            session, admin, "Approver7", " 李强 ", "Initial123", [Role.APPROVER, Role.CLERK]
        )
    assert (created.username, created.display_name) == ("approver7", "李强")
    assert created.roles == {Role.APPROVER, Role.CLERK}
    assert created.role_text == "窗口受理员、后台审批人员"
    (entry,) = [(a, d) for e, a, d in events(store) if e == "user_created" and a == "admin1"]
    assert entry == ("admin1", {"user_id": created.user_id, "roles": ["clerk", "approver"]})


@pytest.mark.parametrize(
    ("username", "name", "password", "roles", "field"),
    [
        ("ab", "王芳", "Initial123", [Role.CLERK], "用户名"),
        ("1clerk", "王芳", "Initial123", [Role.CLERK], "用户名"),
        ("王芳", "王芳", "Initial123", [Role.CLERK], "用户名"),
        ("clerk9", "  ", "Initial123", [Role.CLERK], "姓名"),
        ("clerk9", "王芳", "short", [Role.CLERK], "初始密码"),
        ("clerk9", "王芳", "Initial123", [], "角色"),
        ("admin1", "王芳", "Initial123", [Role.CLERK], "用户名"),  # taken
    ],
)
def test_create_user_validation(
    store: Store,
    admin: Actor,
    username: str,
    name: str,
    password: str,
    roles: list[Role],
    field: str,
) -> None:
    with store.session() as session, pytest.raises(ValidationError) as caught:
        accounts.create_user(session, admin, username, name, password, roles)
    assert caught.value.field == field


@pytest.mark.parametrize(
    "roles",
    [
        {Role.ADMIN, Role.CLERK},
        {Role.ADMIN, Role.APPROVER},
        {Role.ADMIN, Role.SUPERVISOR},
        {Role.ADMIN, Role.PROXY},
        {Role.AUDITOR, Role.ADMIN},
        {Role.AUDITOR, Role.CLERK},
        {Role.AUDITOR, Role.SUPERVISOR},
    ],
)
def test_separation_of_duties_refuses_combinations(
    store: Store, admin: Actor, roles: set[Role]
) -> None:
    with store.session() as session, pytest.raises(ValidationError) as caught:
        accounts.create_user(session, admin, "mixed1", "某人", "Initial123", roles)
    assert caught.value.field == "角色"
    assert "三员分立" in caught.value.message
    clerk = new_user(store, "clerk1", Role.CLERK)
    with store.session() as session, pytest.raises(ValidationError):
        accounts.set_roles(session, admin, clerk.user_id, roles)


@pytest.mark.parametrize(
    "roles",
    [
        {Role.CLERK, Role.APPROVER, Role.SUPERVISOR},
        {Role.PROXY, Role.CLERK},
        {Role.ADMIN},
        {Role.AUDITOR},
    ],
)
def test_allowed_combinations(roles: set[Role]) -> None:
    assert accounts.check_role_combination(roles) == roles


def test_set_roles_is_audited_with_before_and_after(store: Store, admin: Actor) -> None:
    clerk = new_user(store, "clerk1", Role.CLERK)
    with store.session() as session:
        summary = accounts.set_roles(
            session, admin, clerk.user_id, [Role.APPROVER, Role.SUPERVISOR]
        )
    assert summary.roles == {Role.APPROVER, Role.SUPERVISOR}
    assert login(store, "clerk1").roles == {Role.APPROVER, Role.SUPERVISOR}
    (change,) = [d for e, _, d in events(store) if e == "roles_changed"]
    assert change == {
        "user_id": clerk.user_id,
        "before": ["clerk"],
        "after": ["approver", "supervisor"],
    }


def test_admin_cannot_lock_the_centre_out(store: Store, admin: Actor) -> None:
    with store.session() as session, pytest.raises(ValidationError) as caught:
        accounts.set_roles(session, admin, admin.user_id, [Role.CLERK])
    assert "不能取消自己的系统管理员角色" in caught.value.message
    with store.session() as session, pytest.raises(ValidationError) as caught:
        accounts.set_active(session, admin, admin.user_id, False)
    assert "不能停用自己的账号" in caught.value.message
    # Another admin can.
    other = new_user(store, "admin2", Role.ADMIN)
    with store.session() as session:
        assert not accounts.set_active(session, login(store, "admin2"), admin.user_id, False).active
    assert other.roles == {Role.ADMIN}


@pytest.mark.parametrize(
    "role", [Role.CLERK, Role.APPROVER, Role.PROXY, Role.SUPERVISOR, Role.AUDITOR]
)
def test_only_the_admin_administers_and_refusals_are_audited(store: Store, role: Role) -> None:
    target = new_user(store, "target1", Role.CLERK)
    someone = login(store, new_user(store, "someone", role).username)
    calls = [
        lambda s: accounts.create_user(s, someone, "newbie", "某人", "Initial123", [Role.CLERK]),
        lambda s: accounts.set_roles(s, someone, target.user_id, [Role.SUPERVISOR]),
        lambda s: accounts.reset_lockout(s, someone, target.user_id),
        lambda s: accounts.reset_password(s, someone, target.user_id, "Temp12345"),
        lambda s: accounts.set_active(s, someone, target.user_id, False),
    ]
    for call in calls:
        with store.session() as session, pytest.raises(PermissionDenied) as caught:
            call(session)
        assert "管理用户账号" in caught.value.message
    with pytest.raises(PermissionDenied, match="管理用户账号"):  # a read: its unit records it
        Units(store.session, store.reader, authorize).run(someone, accounts.list_users)
    denied = [d["permission"] for e, a, d in events(store) if e == "permission_denied"]
    assert denied == ["user_admin"] * (len(calls) + 1)
    assert user_row(store, "target1").active


def test_unknown_user_id(store: Store, admin: Actor) -> None:
    with store.session() as session, pytest.raises(NotFound):
        accounts.reset_lockout(session, admin, 999)


def test_reset_password_forces_a_change(store: Store, admin: Actor) -> None:
    clerk = new_user(store, "clerk1", Role.CLERK)
    with store.session() as session:
        summary = accounts.reset_password(session, admin, clerk.user_id, "Temp12345")
    assert summary.must_change_password
    assert login(store, "clerk1", "Temp12345").username == "clerk1"


def test_list_users_gives_plain_summaries(store: Store, admin: Actor) -> None:
    new_user(store, "clerk1", Role.CLERK)
    with store.session() as session:
        users = accounts.list_users(session, admin)
    assert [u.username for u in users] == ["admin1", "clerk1"]
    assert all(isinstance(u, UserSummary) for u in users)
    assert "password_hash" not in UserSummary.__dataclass_fields__


def test_logout_is_audited(store: Store) -> None:
    new_user(store, "clerk1", Role.CLERK)
    actor = login(store, "clerk1")
    with store.session() as session:
        accounts.logout(session, actor)
    assert events(store)[-1][:2] == ("logout", "clerk1")


# --- demo users and the command line ------------------------------------------------------------


def test_demo_users_cover_every_town_role_and_sign_in(store: Store) -> None:
    with store.session() as session, session.begin():
        created = seed_demo_users(session)
    assert created == [u.username for u in DEMO_USERS]
    assert {u.role for u in DEMO_USERS} == set(TOWN_ROLES)  # the county's staff are not here
    for demo in DEMO_USERS:
        actor = login(store, demo.username, DEMO_PASSWORD)
        assert actor.roles == {demo.role}
        assert actor.display_name == demo.display_name
    with store.session() as session, session.begin():
        assert seed_demo_users(session) == []
    with store.session() as session:
        verified = audit.verify(session)
    assert verified.ok


def test_cli_creates_the_first_admin_from_stdin(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("Initial123\n"))
    code = main(
        ["users", "create", "--username", "admin9", "--name", "周磊", "--role", "admin",
         "--data-dir", str(store.data_dir)]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "已创建用户 admin9（周磊，系统管理员）" in out
    actor = login(store, "admin9", "Initial123")
    assert actor.roles == {Role.ADMIN}
    (created,) = [a for e, a, _ in events(store) if e == "user_created"]
    assert created.startswith("cli:")


def test_cli_reads_a_password_file_and_refuses_bad_roles(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "pw.txt"
    secret.write_text("Initial123\n", encoding="utf-8")
    base = ["--data-dir", str(store.data_dir), "users", "create", "--password-file", str(secret)]
    code = main(
        [*base, "--username", "mixed", "--name", "某人", "--role", "admin", "--role", "clerk"]
    )
    assert code == 1
    assert "三员分立" in capsys.readouterr().err
    code = main(
        [*base, "--username", "clerk5", "--name", "某人", "--role", "clerk", "--role", "approver"]
    )
    assert code == 0
    assert login(store, "clerk5", "Initial123").roles == {Role.CLERK, Role.APPROVER}


# --- what goes to the county --------------------------------------------------------------------


def _queued(store: Store) -> list[tuple[str, str, dict[str, object]]]:
    with store.reader() as session:
        rows = session.scalars(select(OutboxEntry).order_by(OutboxEntry.id)).all()
    return [(r.kind, r.key, r.payload) for r in rows]


def test_account_changes_are_queued_for_the_county_by_username(store: Store, admin: Actor) -> None:
    """The county holds the centre's accounts; every change goes up named by username, with
    the Argon2 hash where a password changed, and no local id."""
    created = new_user(store, "clerk1", Role.CLERK)
    with store.session() as session:
        accounts.set_roles(session, admin, created.user_id, [Role.CLERK, Role.SUPERVISOR])
    with store.session() as session:
        accounts.reset_password(session, admin, created.user_id, "Temp12345")
    with store.session() as session:
        accounts.set_active(session, admin, created.user_id, False)
    with store.session() as session:
        accounts.set_active(session, admin, created.user_id, False)  # no change: nothing queued
    queued = [(kind, key) for kind, key, _ in _queued(store)]
    assert queued == [
        ("user.create", "admin1"),
        ("user.create", "clerk1"),
        ("user.roles", "clerk1"),
        ("user.password", "clerk1"),
        ("user.active", "clerk1"),
    ]
    row = user_row(store, "clerk1")
    payloads = [payload for _, key, payload in _queued(store) if key == "clerk1"]
    for payload in payloads:
        assert_no_local_ids(payload)
        envelope = parse_envelope(payload)
        assert envelope.payload["username"] == "clerk1" and envelope.key == "clerk1"
    create, roles, password, active = (parse_envelope(p).payload for p in payloads)
    assert create["roles"] == ["clerk"] and create["display_name"] == "clerk1的姓名"
    assert str(create["password_hash"]).startswith("$argon2")
    assert roles["roles"] == ["clerk", "supervisor"]
    assert password == {
        "username": "clerk1",
        "password_hash": row.password_hash,
        "must_change_password": True,
    }
    assert active == {"username": "clerk1", "active": False}
    assert parse_envelope(payloads[1]).actor.username == "admin1"


def test_no_town_account_holds_the_county_role(store: Store, admin: Actor) -> None:
    with store.session() as session, pytest.raises(ValidationError, match="县级审批人员的账号"):
        accounts.create_user(session, admin, "county1", "县里的人", "Initial123", [Role.COUNTY])
    with pytest.raises(SystemExit) as refused:  # the command line does not offer it either
        build_parser().parse_args(
            ["users", "create", "--username", "x", "--name", "x", "--role", "county"]
        )
    assert refused.value.code == 2
