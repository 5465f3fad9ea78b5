"""The service's secrets at work: signed, expiring confirmation tokens (itsdangerous), CSRF tokens
bound to a cookie, and the keyed hash that stands for an address in logs and in the sign-up
throttle, so no address is ever written in clear outside the subscriber list.

The key comes from the environment only (SUBSCRIBE_SECRET), never from a settings file or a flag.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping

from itsdangerous import BadSignature, URLSafeTimedSerializer

from reports.core.errors import UsageError

SECRET_ENV = "SUBSCRIBE_SECRET"
CONFIRM_MAX_AGE = 48 * 3600  # a confirmation link works for two days
CSRF_MAX_AGE = 2 * 3600


def secret_from(env: Mapping[str, str] | None = None) -> str:
    value = (os.environ if env is None else env).get(SECRET_ENV, "")
    if len(value) < 32:
        raise UsageError(f"{SECRET_ENV} must hold a random secret of at least 32 characters (for example the "
                         "output of `python -c 'import secrets; print(secrets.token_urlsafe(32))'`).")
    return value


class Signer:
    def __init__(self, secret: str) -> None:
        self._key = secret.encode("utf-8")
        self._confirm = URLSafeTimedSerializer(secret, salt="confirm-subscription")
        self._csrf = URLSafeTimedSerializer(secret, salt="csrf")

    def confirm_token(self, address: str, tags: tuple[str, ...]) -> str:
        return self._confirm.dumps({"a": address, "t": list(tags)})

    def read_confirm(self, token: str) -> tuple[str, tuple[str, ...]] | None:
        """The address and tags a confirmation token was made for, or None if forged or expired."""
        try:
            data = self._confirm.loads(token, max_age=CONFIRM_MAX_AGE)
        except BadSignature:  # SignatureExpired is a BadSignature
            return None
        if not isinstance(data, dict) or not isinstance(data.get("a"), str) or not isinstance(data.get("t"), list):
            return None
        return data["a"], tuple(str(tag) for tag in data["t"])

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, session: str) -> str:
        return self._csrf.dumps(session)

    def csrf_ok(self, session: str | None, token: str | None) -> bool:
        if not session or not token:
            return False
        try:
            return hmac.compare_digest(str(self._csrf.loads(token, max_age=CSRF_MAX_AGE)), session)
        except BadSignature:
            return False

    def pseudonym(self, address: str) -> str:
        """A keyed hash of the address: the same address always gives the same value, and no one
        without the key can tell which address it is."""
        return hmac.new(self._key, address.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
