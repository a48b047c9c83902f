"""Passwords (argon2), session tokens, CSRF tokens and the login rate limit."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from dudao.web.models import LoginFailure, User, WebSession, utcnow

_hasher = PasswordHasher()
# Verified against when the user name does not exist, so both cases cost the same time.
_DUMMY_HASH = _hasher.hash("dudao-no-such-user")
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(user: User | None, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """A Chinese reason the password is unacceptable, or None."""
    if len(password) < MIN_PASSWORD:
        return f"密码至少需要 {MIN_PASSWORD} 个字符"
    if password.isdigit() or password.isalpha():
        return "密码需同时包含字母和数字（或其他字符）"
    return None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_session(db: Session, user: User, hours: float) -> tuple[str, WebSession]:
    """Create a session; return the raw token (only ever in the cookie) and the row."""
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=_digest(token), csrf_token=secrets.token_urlsafe(32), user_id=user.id,
                     expires_at=utcnow() + dt.timedelta(hours=hours))
    db.add(row)
    db.flush()
    return token, row


def find_session(db: Session, token: str | None) -> WebSession | None:
    if not token:
        return None
    row = db.scalar(select(WebSession).where(WebSession.token_hash == _digest(token)))
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        return None
    return row


def end_session(db: Session, token: str | None) -> None:
    if token:
        db.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected and given) and hmac.compare_digest(expected, given)


def login_blocked(db: Session, username: str, address: str, limit: int, minutes: int) -> bool:
    since = utcnow() - dt.timedelta(minutes=minutes)
    n = db.scalar(select(func.count()).select_from(LoginFailure).where(
        LoginFailure.username == username, LoginFailure.address == address, LoginFailure.at > since))
    return (n or 0) >= limit


def record_failure(db: Session, username: str, address: str) -> None:
    db.add(LoginFailure(username=username[:64], address=address[:64]))


def clear_failures(db: Session, username: str, address: str) -> None:
    db.execute(delete(LoginFailure).where(LoginFailure.username == username,
                                          LoginFailure.address == address))
