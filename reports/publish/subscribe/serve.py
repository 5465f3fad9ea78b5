"""Running the subscription service with uvicorn: structured logs on stderr, no access log."""

from __future__ import annotations

import logging
import sys

from reports.core.settings import Settings
from reports.publish.subscribe.app import Options, create_app
from reports.publish.subscribe.signing import secret_from


def serve(settings: Settings, host: str, port: int, tags: tuple[str, ...], per_minute: int,
          resend_after: float) -> None:
    import uvicorn

    secret = secret_from()
    public = settings.subscribe_url or f"http://{host}:{port}/"
    options = Options(public if public.endswith("/") else public + "/", tags or ("market",), per_minute, resend_after)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    logger = logging.getLogger("reports.subscribe")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # its own timestamped event log: not again through the CLI's -q/-v handler
    app = create_app(settings, secret, options)
    print(f"subscription service on http://{host}:{port}/ (links point at {options.public_url})", file=sys.stderr,
          flush=True)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning")  # URLs carry tokens: no access log
