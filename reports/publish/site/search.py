"""The site's full-text search: a Pagefind index of the brief pages, made at build time.

Pagefind (the `pagefind` package's binary, driven through its Python API) reads the pages' HTML
as the site will serve it and writes a static index: the files under pagefind/, which the
search page loads in the browser. Only what a page marks `data-pagefind-body` is indexed (the
brief's article), so search finds briefs, not archive or topic pages. The index is made from the
rendered pages in memory and written to a scratch folder, then returned as bytes beside every
other file of the site: it is published in the same atomic swap, and files whose bytes did not
change are left in place like any other. Search is the one place the site uses JavaScript.
"""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Callable, Coroutine, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from reports.core.errors import UsageError
from reports.publish.site import urls


def search_index(pages: Mapping[str, bytes], lang: str) -> dict[str, bytes]:
    """The Pagefind index of `pages` ({site path of an HTML file: its bytes}), keyed by site path."""
    try:
        from pagefind.index import IndexConfig, PagefindIndex
        from pagefind.service import get_executable
    except ImportError:
        raise UsageError("the site's search needs the pagefind package: pip install 'pagefind[bin]'.") from None
    if get_executable() is None:
        raise UsageError("the site's search needs the Pagefind binary: pip install 'pagefind[bin]' "
                         "(or set PAGEFIND_BINARY_PATH to a pagefind executable).")

    async def index(folder: Path) -> None:
        config = IndexConfig(output_path=str(folder), force_language=lang.split("-")[0].lower() or "en")
        async with PagefindIndex(config=config) as pagefind:  # writes the index to `folder` on leaving
            for path, html in sorted(pages.items()):
                await pagefind.add_html_file(content=html.decode("utf-8"), url="/" + _address(path))

    with tempfile.TemporaryDirectory(prefix="brief-search-") as scratch:
        folder = Path(scratch) / "pagefind"
        _run_to_end(lambda: index(folder))
        return {urls.PAGEFIND + path.relative_to(folder).as_posix(): path.read_bytes()
                for path in sorted(folder.rglob("*")) if path.is_file()}


def _run_to_end(task: Callable[[], Coroutine[object, object, None]]) -> None:
    """Run the async task to its end from synchronous code, also when the caller's thread already runs
    an event loop (an async application, a browser driver): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(task())
        return
    with ThreadPoolExecutor(1, thread_name_prefix="search-index") as pool:
        pool.submit(lambda: asyncio.run(task())).result()


def _address(path: str) -> str:
    """A page's address from its file: `briefs/x/index.html` is `briefs/x/`."""
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path
