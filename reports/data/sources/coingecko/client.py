"""The CoinGecko API client: the three endpoints the brief needs, politely and safely.

Every call has a timeout; timeouts, connection errors, 429 and 5xx answers are retried
with exponential backoff and jitter (tenacity), honouring `Retry-After`; a client-side
rate limit keeps a large universe under the plan's calls a minute. A 4xx other than 429
is a mistake a retry cannot fix, so it stops at once with the endpoint and the answer's
message. The API key comes from the environment only and is redacted from every message
this module writes, because an exception text can end up in a log or a support ticket:
from every string of a decoded answer before anyone reads it, and from every excerpt
before it is cut (a cut made first can split the key, and the redaction then misses the
piece that shows). Coin ids go into URLs quoted.
"""

from __future__ import annotations

import json
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from reports.core.errors import BriefError, UsageError

KEY_ENV = "COINGECKO_API_KEY"
PLAN_ENV = "COINGECKO_PLAN"
BASE_URL_ENV = "COINGECKO_BASE_URL"
PLANS = {  # plan -> (default base URL, header that carries the key)
    "demo": ("https://api.coingecko.com/api/v3", "x-cg-demo-api-key"),
    "pro": ("https://pro-api.coingecko.com/api/v3", "x-cg-pro-api-key"),
}
REDACTED = "[redacted]"
USER_AGENT = "crypto-weekly-brief (+https://www.coingecko.com attribution)"
log = logging.getLogger(__name__)


class ApiError(BriefError):
    """The API could not give an answer we can use (after retries, or a 4xx that retrying cannot fix)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class BadAnswer(ApiError):
    """An answer that is not in the shape CoinGecko documents: bad input (exit 2), not a failure to reach it."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(f"{message} Check that {BASE_URL_ENV} points at CoinGecko or a mirror you trust.")


@dataclass(frozen=True)
class ApiConfig:
    """Where to call and how hard to try. `key` is kept out of repr so it never prints by accident."""

    base_url: str
    key: str | None = field(default=None, repr=False)
    header: str = PLANS["demo"][1]
    calls_per_minute: float = 30.0
    timeout: float = 20.0
    attempts: int = 5
    backoff: float = 1.0  # seconds before the first retry; doubles each time, plus jitter
    max_wait: float = 120.0  # cap on any single wait, Retry-After included

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> ApiConfig:
        """The plan, key and base URL from the environment; works keyless on the public tier."""
        env = os.environ if env is None else env
        plan = env.get(PLAN_ENV, "demo").strip().lower() or "demo"
        if plan not in PLANS:
            raise UsageError(f"{PLAN_ENV} is {plan!r}; set it to demo or pro (or unset it for the public tier).")
        default_url, header = PLANS[plan]
        base_url = (env.get(BASE_URL_ENV) or default_url).rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise UsageError(f"{BASE_URL_ENV} is {base_url!r}; give a full URL including /api/v3, e.g. {default_url}.")
        return cls(base_url=base_url, key=env.get(KEY_ENV) or None, header=header, **overrides)

    def redact(self, text: str) -> str:
        return text.replace(self.key, REDACTED) if self.key else text

    def excerpt(self, text: str, limit: int) -> str:
        """At most `limit` characters of `text`, redacted first: the one way an answer is quoted."""
        return self.redact(text)[:limit]

    def scrub(self, value: Any) -> Any:
        """A decoded JSON answer with the key redacted from every string in it, keys of objects too
        (decoding first also catches an echo written with escapes, such as \\u0043G-...)."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(key): self.scrub(item) for key, item in value.items()}
        return value


class RateLimiter:
    """At most `per_minute` calls a minute, evenly spaced (a token bucket of one)."""

    def __init__(self, per_minute: float, clock: Callable[[], float], sleep: Callable[[float], None]) -> None:
        self.interval = 60.0 / per_minute
        self.clock, self.sleep = clock, sleep
        self.next_at = 0.0
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            now = self.clock()
            if self.next_at > now:
                self.sleep(self.next_at - now)
                now = self.next_at
            self.next_at = now + self.interval


class _Transient(Exception):
    """A failure worth another try; carries the server's Retry-After (seconds) when it gave one."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Client:
    """GET calls against the API; `calls` records each endpoint called, in order (tests and reports use it).

    `sleep` and `clock` are injectable so tests drive the real retry and rate-limit code
    without waiting in real time.
    """

    def __init__(
        self,
        config: ApiConfig,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.config = config
        self.sleep = sleep
        self.limiter = RateLimiter(config.calls_per_minute, clock, sleep)
        headers = {"accept": "application/json", "user-agent": USER_AGENT}
        if config.key:
            headers[config.header] = config.key
        self.http = httpx.Client(base_url=config.base_url, headers=headers, timeout=config.timeout, transport=transport)
        self.calls: list[str] = []

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the endpoints -------------------------------------------------------------------------

    def markets(self, top: int) -> list[dict[str, Any]]:
        """The `top` coins by market cap, in CoinGecko's /coins/markets records."""
        params = {"vs_currency": "usd", "order": "market_cap_desc", "per_page": min(top, 250), "page": 1}
        answer = self.get("/coins/markets", params)
        if not isinstance(answer, list):
            raise BadAnswer(f"GET /coins/markets: expected a list of coins, got {type(answer).__name__}.")
        return answer[:top]

    def market_chart(self, coin: str, days: int) -> dict[str, Any]:
        """Daily prices, market caps and volumes for the last `days` days (plus the current point)."""
        path = f"/coins/{_segment(coin)}/market_chart"
        answer = self.get(path, {"vs_currency": "usd", "days": days, "interval": "daily"})
        if not isinstance(answer, dict) or not isinstance(answer.get("prices"), list):
            raise BadAnswer(f"GET {path}: expected an object with a 'prices' list.")
        return answer

    def global_market(self) -> dict[str, Any]:
        answer = self.get("/global", {})
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict):
            raise BadAnswer("GET /global: expected an object with a 'data' object.")
        return answer["data"]

    # --- one call, with retries ----------------------------------------------------------------

    def get(self, path: str, params: Mapping[str, Any]) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self.config.attempts),
            wait=self._wait,
            retry=retry_if_exception(lambda error: isinstance(error, _Transient)),
            sleep=self.sleep,
            before_sleep=lambda state: log.warning(
                "GET %s failed (%s); retry %d in %.1f s", path, state.outcome.exception() if state.outcome else None,
                state.attempt_number, state.upcoming_sleep,
            ),
            reraise=True,
        )
        try:
            return retrying(self._get_once, path, params)
        except _Transient as error:
            raise ApiError(
                f"GET {path}: {error}; gave up after {self.config.attempts} attempts. "
                "Check the network and the API status, then run the pull again (what was stored is kept), "
                "or build from the store as it is with --offline."
            ) from None

    def _get_once(self, path: str, params: Mapping[str, Any]) -> Any:
        """One call. Every error it raises has the key redacted here, the one place they all pass
        (a server may echo the key in an error body, a URL or a non-JSON answer), before any log
        line, retry message or final error can show it."""
        try:
            return self._call(path, params)
        except (_Transient, ApiError) as error:
            error.args = (self.config.redact(str(error)),)
            raise

    def _call(self, path: str, params: Mapping[str, Any]) -> Any:
        self.limiter.wait()
        self.calls.append(path)
        try:
            response = self.http.get(path, params=dict(params))
        except httpx.TimeoutException:
            raise _Transient(f"no answer within {self.config.timeout:g} s") from None
        except httpx.TransportError as error:
            raise _Transient(f"connection failed ({type(error).__name__}: {error})") from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise _Transient(f"HTTP {status} {response.reason_phrase}", _retry_after(response.headers.get("retry-after")))
        if status >= 400:
            message = _message(response, self.config)
            raise ApiError(f"GET {path}: HTTP {status} {response.reason_phrase}: {message}. {self._hint(status)}", status)
        return self._body(response)

    def _body(self, response: httpx.Response) -> Any:
        """The answer's content (JSON here; a text source keeps the text); a body that cannot be read is retried."""
        try:
            return _json(response, self.config)
        except ValueError:
            raise _Transient(f"the answer is not valid JSON (starts {self.config.excerpt(response.text, 40)!r})") from None

    def _hint(self, status: int) -> str:
        return _hint(status)

    def _wait(self, state: RetryCallState) -> float:
        """Retry-After when the server gave one, else exponential backoff with full jitter."""
        error = state.outcome.exception() if state.outcome else None
        hinted = getattr(error, "retry_after", None)
        if hinted is not None:
            return min(hinted, self.config.max_wait)
        ceiling = self.config.backoff * 2 ** (state.attempt_number - 1)
        return min(ceiling / 2 + random.uniform(0, ceiling / 2), self.config.max_wait)


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (it may be a number of seconds or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _segment(coin: str) -> str:
    """A coin id as one URL path segment: quoted, so no character of it can end the segment."""
    if coin in ("", ".", ".."):  # quoting leaves these, and a URL reads them as "here" or "up"
        raise ApiError(f"{coin!r} is not a coin id; refusing to put it in a URL.")
    return quote(coin, safe="")


def _json(response: httpx.Response, config: ApiConfig) -> Any:
    """The answer decoded (strict UTF-8, as JSON must be) and scrubbed of the key; ValueError if it is not JSON."""
    return config.scrub(json.loads(response.content.decode("utf-8")))


def _message(response: httpx.Response, config: ApiConfig) -> str:
    """The error text CoinGecko puts in its answer (`error`, `status.error_message`), else the body's start."""
    try:
        body = _json(response, config)
    except ValueError:
        return config.excerpt(response.text.strip(), 200) or "no message"
    if isinstance(body, dict):
        status = body.get("status")
        for text in (body.get("error"), status.get("error_message") if isinstance(status, dict) else None):
            if text:
                return config.excerpt(str(text), 200)
    return config.excerpt(json.dumps(body), 200)


def _hint(status: int) -> str:
    if status in (401, 403):
        return f"Check {KEY_ENV} and {PLAN_ENV} (demo keys go to api.coingecko.com, pro keys to pro-api.coingecko.com)."
    if status == 404:
        return "The coin or endpoint is unknown to this API; check the id and COINGECKO_BASE_URL (it must end in /api/v3)."
    return "The request was refused; it will not succeed by retrying."
