"""`serve`: preview a built site on localhost with the standard library's file server."""

from __future__ import annotations

import os
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from reports.core.errors import UsageError

TYPES = {".md": "text/markdown; charset=utf-8", ".xml": "application/xml", ".json": "application/json"}


class Handler(SimpleHTTPRequestHandler):
    """Files and folders' index.html only: a folder without one is 404, never a listing of its files."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A missing page is answered with the site's own 404 page, as a web server set up for it would."""
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or self.command == "HEAD" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        if isinstance(self.server, PreviewServer) and self.server.quiet:
            return
        super().log_message(format, *args)


class PreviewServer(ThreadingHTTPServer):
    """The preview's server; `quiet` turns its request log off (for tests)."""

    quiet: bool = False


def make_server(site_dir: Path, port: int = 8000, host: str = "127.0.0.1", quiet: bool = False) -> PreviewServer:
    """A server for `site_dir` (not started). The folder is looked up on every request, so a
    site published again while it runs is served at once."""
    if not (site_dir / "index.html").is_file():
        raise UsageError(f"{site_dir}: no site here (no index.html). Build one with `python build.py site --out {site_dir}`.")
    try:
        server = PreviewServer((host, port), partial(Handler, directory=str(site_dir.absolute())))
    except OSError as error:
        raise UsageError(f"cannot listen on {host}:{port} ({error.strerror}). Pick another --port.") from None
    server.quiet = quiet
    return server
