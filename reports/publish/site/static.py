"""The site's static files: stylesheet, fonts (shipped, no outside hosts), logo, overrides.

A `--templates DIR` folder may hold `assets/...` files that replace or add to the shipped
ones (assets/css/site.css, assets/img/logo.svg, ...) and `static/...` files copied to the
site root as they are (CNAME, favicon.ico, a verification file).
"""

from __future__ import annotations

from pathlib import Path

from reports.render.templating import ASSETS, FONTS

FONT_LICENSES = ("OFL-Inter.txt", "OFL-SourceSerif4.txt")


def static_files(overrides: Path | None) -> dict[str, bytes | Path]:
    files: dict[str, bytes | Path] = {
        "assets/css/site.css": ASSETS / "css" / "site.css",
        "assets/css/fonts.css": font_css().encode("utf-8"),
        "assets/img/logo.svg": ASSETS / "img" / "logo.svg",
        "assets/img/logo.png": ASSETS / "img" / "logo.png",  # the feeds' image: RSS takes GIF, JPEG or PNG
        "favicon.ico": ASSETS / "img" / "favicon.ico",
        "assets/js/search.js": ASSETS / "js" / "search.js",  # the search page's one script (Pagefind's UI)
    }
    for _family, _weight, stem in FONTS:
        files[f"assets/fonts/{stem}.woff2"] = ASSETS / "fonts" / f"{stem}.woff2"
    for name in FONT_LICENSES:
        files[f"assets/fonts/{name}"] = ASSETS / "fonts" / name
    if overrides is not None:
        files.update(_tree(overrides / "assets", "assets/"))
        files.update(_tree(overrides / "static", ""))
    return files


def font_css() -> str:
    """@font-face rules for the shipped WOFF2 files, relative to assets/css/."""
    return "".join(
        f'@font-face {{ font-family: "{family}"; font-style: normal; font-weight: {weight}; '
        f'font-display: swap; src: url("../fonts/{stem}.woff2") format("woff2"); }}\n'
        for family, weight, stem in FONTS
    )


def _tree(folder: Path, prefix: str) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {prefix + path.relative_to(folder).as_posix(): path
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.name.startswith(".")}
