"""The subscription service as a Starlette application (served by uvicorn: see serve.py).

    GET  /                      the sign-up form             POST /              ask for a confirmation mail
    GET  /confirm?token=T       a page with a button         POST /confirm       subscribe (signed token)
    GET  /unsubscribe?token=T   a page with a button         POST /unsubscribe   RFC 8058 one-click
    GET  /preferences?token=T   the tags one gets            POST /preferences   save them

No page does anything on GET, so a link scanner that fetches every URL of a mail changes nothing.
Every form but the one-click POST carries a CSRF token bound to a cookie; RFC 8058 forbids
requiring cookies there, and the opaque token in the URL is what authorises it. Sign-up always
gives the same answer, known address or not, and mails one address at most once per
`resend_after` seconds. Requests are rate-limited per IP. Logs name an address only by its keyed
hash, and uvicorn's access log (which would print the tokens in URLs) stays off.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route

from reports.core.settings import Settings
from reports.publish.mail.store import open_store
from reports.publish.mail.subscribers import normalise_address
from reports.publish.subscribe import confirmation, members
from reports.publish.subscribe.signing import Signer
from reports.render.templating import html_environment

LOG = logging.getLogger("reports.subscribe")
COOKIE = "brief_form"
HEADERS = {"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                                      "frame-ancestors 'none'"}


@dataclass(frozen=True)
class Options:
    public_url: str                  # where the service is reached from outside, ending in '/'
    tags: tuple[str, ...] = ("market",)
    per_minute: int = 30             # requests a minute from one IP
    resend_after: float = 600.0      # seconds between two confirmation mails to one address


class RateLimit:
    """A sliding one-minute window of request times per IP."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.seen: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, ip: str) -> bool:
        now = time.monotonic()
        with self.lock:
            times = self.seen[ip]
            while times and now - times[0] > 60:
                times.popleft()
            if len(times) >= self.per_minute:
                return False
            times.append(now)
            return True


def log(event: str, **fields: Any) -> None:
    LOG.info(json.dumps({"event": event, **fields}, sort_keys=True))


def create_app(settings: Settings, secret: str, options: Options) -> Starlette:
    signer = Signer(secret)
    db = open_store(settings)
    members.prepare(db)
    lock = threading.Lock()  # one connection, one transaction at a time
    limit = RateLimit(options.per_minute)
    template = html_environment().get_template("email/service.html.j2")

    def store(action: Callable[[sqlite3.Connection], Any]) -> Any:
        with lock:
            return action(db)

    def page(request: Request, view: str, title: str, *lines: str, status: int = 200, **extra: Any) -> Response:
        session = request.cookies.get(COOKIE) or signer.new_session()
        body = template.render(view=view, title=title, lines=lines, publication=settings.publication_name,
                               root=options.public_url, csrf=signer.csrf_token(session),
                               **{"email": "", "token": "", "tags": (), "chosen": (), **extra})
        response = HTMLResponse(body, status_code=status, headers=HEADERS)
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict", secure=request.url.scheme == "https",
                            max_age=7200)
        return response

    def limited(request: Request) -> Response | None:
        if limit.allow(request.client.host if request.client else "?"):
            return None
        return PlainTextResponse("Too many requests; try again in a minute.", status_code=429,
                                 headers={"Retry-After": "60", **HEADERS})

    async def form(request: Request) -> dict[str, Any]:
        data = await request.form()
        return {key: data.getlist(key) if key == "tag" else str(data.get(key, "")) for key in data.keys()}

    def csrf_ok(request: Request, fields: dict[str, Any]) -> bool:
        return signer.csrf_ok(request.cookies.get(COOKIE), fields.get("csrf"))

    async def signup(request: Request) -> Response:
        if request.method == "GET":
            return page(request, "signup", f"Subscribe to {settings.publication_name}")
        if (refused := limited(request)) is not None:
            return refused
        fields = await form(request)
        if not csrf_ok(request, fields):  # e.g. a form embedded in the site: ask once more, here
            return page(request, "signup", "Confirm you want to subscribe", email=fields.get("email", ""))
        try:
            address = normalise_address(fields.get("email", ""))
        except EmailNotValidError:
            return page(request, "signup", "That is not an email address", "Check it and try again.",
                        status=400, email=fields.get("email", ""))
        who = signer.pseudonym(address)
        if await run_in_threadpool(store, lambda db: members.may_mail(db, who, options.resend_after)):
            link = f"{options.public_url}confirm?token={signer.confirm_token(address, ('market',))}"
            try:
                sent = await run_in_threadpool(confirmation.send, settings, address, link)
            except Exception as error:  # the SMTP server: logged, and the same answer to the visitor
                sent = False
                log("confirmation_failed", who=who, error=type(error).__name__)
            log("confirmation_sent" if sent else "confirmation_refused", who=who)
        else:
            log("confirmation_throttled", who=who)
        return page(request, "done", "Check your inbox",
                    "If the address can receive mail, a message with a confirmation link is on its way. "
                    "Nothing is subscribed until you confirm.")

    async def confirm(request: Request) -> Response:
        if request.method == "GET":
            return page(request, "confirm", "One more step", "Press the button to confirm your subscription.",
                        token=request.query_params.get("token", ""))
        if (refused := limited(request)) is not None:
            return refused
        fields = await form(request)
        if not csrf_ok(request, fields):
            return page(request, "confirm", "One more step", "Press the button once more to confirm.",
                        token=fields.get("token", ""))
        read = signer.read_confirm(fields.get("token", ""))
        if read is None:
            return page(request, "expired", "This link has expired", "Sign up again to get a new one.", status=400)
        address, tags = read
        active = await run_in_threadpool(store, lambda db: members.confirm(db, address, tags))
        log("subscribed" if active else "confirm_refused", who=signer.pseudonym(address))
        if not active:
            return page(request, "expired", "This address cannot be subscribed here",
                        "Write to us if you want to receive the brief again.")
        return page(request, "subscribed", "You are subscribed", "The next brief will reach you.")

    async def unsubscribe(request: Request) -> Response:
        token = request.query_params.get("token", "")
        if request.method == "GET":
            return page(request, "unsubscribe", "Unsubscribe", "Press the button to stop receiving the brief.",
                        token=token)
        if (refused := limited(request)) is not None:
            return refused
        fields = await form(request)  # RFC 8058: List-Unsubscribe=One-Click, no cookie, no further step
        token = token or fields.get("token", "")
        known = bool(token) and await run_in_threadpool(store, lambda db: members.unsubscribe(db, token))
        log("unsubscribed" if known else "unsubscribe_unknown")
        return PlainTextResponse("You are unsubscribed.", headers=HEADERS) \
            if fields.get("List-Unsubscribe") == "One-Click" and "text/html" not in request.headers.get("accept", "") \
            else page(request, "unsubscribed", "You are unsubscribed", "You will receive no more briefs.")

    async def preferences(request: Request) -> Response:
        if request.method == "POST" and (refused := limited(request)) is not None:
            return refused
        fields = await form(request) if request.method == "POST" else {}
        token = fields.get("token") or request.query_params.get("token", "")
        person = await run_in_threadpool(store, lambda db: members.by_token(db, token)) if token else None
        offered = tuple(sorted(set(options.tags) | (set(person.tags) if person else set())))
        if person is None or person.status != "active":
            return page(request, "expired", "This link does not open any preferences",
                        "Use the link at the bottom of your latest brief.", status=404)
        if request.method == "POST" and csrf_ok(request, fields):
            chosen = tuple(tag for tag in fields.get("tag", []) if tag in offered)
            await run_in_threadpool(store, lambda db: members.set_tags(db, token, chosen))
            log("preferences_saved", who=signer.pseudonym(person.email))
            return page(request, "preferences", "Saved", token=token, tags=offered, chosen=chosen)
        return page(request, "preferences", "What you receive", token=token, tags=offered, chosen=person.tags)

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [Route("/", signup, methods=["GET", "POST"]), Route("/confirm", confirm, methods=["GET", "POST"]),
              Route("/unsubscribe", unsubscribe, methods=["GET", "POST"]),
              Route("/preferences", preferences, methods=["GET", "POST"]), Route("/healthz", health)]
    return Starlette(routes=routes)
