"""Argon2 hashing and the password policy."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.accounts import passwords
from app.errors import ValidationError


def test_hash_is_argon2id_salted_and_verifies() -> None:
    first = passwords.hash_password("Window2026")
    second = passwords.hash_password("Window2026")
    assert first.startswith("$argon2id$")
    assert "Window2026" not in first
    assert first != second  # a fresh salt each time
    assert passwords.verify_password(first, "Window2026")
    assert passwords.verify_password(second, "Window2026")
    assert not passwords.verify_password(first, "window2026")
    assert not passwords.needs_rehash(first)


def test_unreadable_hash_never_verifies_and_wants_a_rehash() -> None:
    assert not passwords.verify_password("not-a-hash", "Window2026")
    assert not passwords.verify_password("", "")
    assert passwords.needs_rehash("not-a-hash")


def test_hash_with_old_parameters_needs_rehash() -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("Window2026")
    assert passwords.verify_password(weak, "Window2026")
    assert passwords.needs_rehash(weak)


def test_dummy_verification_accepts_any_input() -> None:
    passwords.verify_dummy("whatever1")
    passwords.verify_dummy("")


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("", "请填写新密码"),
        ("abc123", "新密码至少需要8个字符（当前6个）"),
        ("abcdefgh", "新密码须同时包含英文字母和数字"),
        ("12345678", "新密码须同时包含英文字母和数字"),
        ("密码密码12345678", "新密码须同时包含英文字母和数字"),  # Chinese is not a letter here
        ("a1" * 65, "新密码不能超过128个字符"),
        ("Clerk123", "新密码不能与用户名相同"),
    ],
)
def test_policy_refuses_with_a_message_naming_the_field(password: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.check_policy(password, username="clerk123")
    assert caught.value.field == "新密码"
    assert fragment in caught.value.message


@pytest.mark.parametrize("password", ["abcdefg1", "1234567a", "清河镇Window1", "a1" * 64])
def test_policy_accepts(password: str) -> None:
    passwords.check_policy(password, username="clerk1")


def test_policy_label_can_name_another_field() -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.check_policy("short1", label="初始密码")
    assert caught.value.field == "初始密码"
    assert caught.value.message.startswith("初始密码")
