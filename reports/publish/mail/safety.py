"""Settings a real campaign cannot go out without: a From address and an unsubscribe link on real
domains, and the sender's postal address (CAN-SPAM). The defaults are placeholders on
localhost.localdomain, so that a dry run works out of the box; `send` refuses them.

Documentation domains (example.com, example.org, .test, .example) are allowed, as the tests use them.
"""

from __future__ import annotations

from email.utils import getaddresses
from urllib.parse import urljoin, urlsplit

from reports.core.errors import UsageError
from reports.core.settings import Settings

PLACEHOLDER_HOSTS = ("localhost", "localdomain")  # the host itself, or any name under it


def _placeholder(host: str) -> bool:
    host = host.lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in PLACEHOLDER_HOSTS)


def unsubscribe_base(settings: Settings) -> str:
    """Where unsubscribe links point: unsubscribe_url when set, else the subscription service's own
    /unsubscribe when subscribe_url is set (the service serves both the page and RFC 8058's POST there),
    else the placeholder default that `send` refuses."""
    if "unsubscribe_url" not in settings.model_fields_set and settings.subscribe_url:
        return urljoin(settings.subscribe_url if settings.subscribe_url.endswith("/") else settings.subscribe_url + "/",
                       "unsubscribe")
    return settings.unsubscribe_url


def _unsubscribe_set(settings: Settings) -> bool:
    return "unsubscribe_url" in settings.model_fields_set or settings.subscribe_url is not None


def problems(settings: Settings) -> list[str]:
    """What makes a real campaign unsafe to send, one line per setting, each naming it."""
    found = []
    address = getaddresses([settings.mail_from])[0][1]
    if "mail_from" not in settings.model_fields_set or _placeholder(address.rpartition("@")[2]):
        found.append(f"mail_from (MAIL_FROM) is {'not set' if 'mail_from' not in settings.model_fields_set else address!r}"
                     ": set it to the address you send from, on your own domain")
    host = urlsplit(unsubscribe_base(settings)).hostname or ""
    if not _unsubscribe_set(settings) or _placeholder(host):
        found.append(f"unsubscribe_url is {'not set' if not _unsubscribe_set(settings) else 'on ' + host}"
                     ": set it (or subscribe_url) to the address of the subscription service's /unsubscribe "
                     "(serve-subscriptions)")
    if not settings.postal_address:
        found.append("postal_address is not set: commercial email must carry the sender's postal address (CAN-SPAM)")
    return found


def require_safe(settings: Settings) -> None:
    """Refuse a real campaign (exit 2) while any setting is unsafe, naming each."""
    found = problems(settings)
    if found:
        raise UsageError("not sending: " + "; ".join(found) + ". (--dry-run and --to still work.)")


def warnings(settings: Settings) -> list[str]:
    """The same problems, as warnings for a dry run or a test copy."""
    return [f"warning: {problem} (a real send would refuse)" for problem in problems(settings)]
