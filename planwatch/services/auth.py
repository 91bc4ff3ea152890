"""Use case: who may do what — web login passwords (argon2) and API tokens (store.repo), checked by role.

Roles (store.models.ROLES): `admin` and `editor` may change the ledger, `viewer` may only read (which matters
when the site is private). Passwords are stored as argon2id hashes only; tokens as SHA-256 hashes only.
"""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import PlanwatchError
from ..store.models import ROLES, User
from ..store.repo import ensure_user, issue_token, user_for_token

WRITE_ROLES = ("admin", "editor")
_hasher = PasswordHasher()


class AuthError(PlanwatchError):
    """A user cannot be created or found, or a password is unusable."""


def can_write(user: User | None) -> bool:
    return user is not None and user.role in WRITE_ROLES


def set_password(session: Session, name: str, password: str, role: str | None = None) -> User:
    """Create the user (or update it) with an argon2 hash of `password`; `role` changes the role when given."""
    if len(password) < 8:
        raise AuthError("a password needs at least 8 characters")
    if role is not None and role not in ROLES:
        raise AuthError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    user = ensure_user(session, name, role or "editor")
    if role is not None:
        user.role = role
    user.password_hash = _hasher.hash(password)
    session.flush()
    return user


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user when `password` is theirs, else None (same answer for an unknown name: nothing to probe)."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None or not user.password_hash:
        _hasher.hash(password)  # spend the same time as a real check
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def create_token(session: Session, name: str) -> str:
    """A new API token for an existing user (replaces the old one). Shown once; only its hash is stored."""
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise AuthError(f"no user {name!r}: create it first (planwatch users add {name} --role editor)")
    return issue_token(session, name, user.role)


def user_by_token(session: Session, token: str) -> User | None:
    return user_for_token(session, token) if token else None


def user_by_name(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name)) if name else None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))
