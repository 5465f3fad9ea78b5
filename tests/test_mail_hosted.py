"""Hosted images: with a base_url the charts are linked from the published site, the PDF is linked
rather than attached, and the message is small. The links are checked against the site that
`build_site` actually publishes from the same week's folder."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from conftest import run_cli
from mail_support import brief_folder, mail_env, parse, server, subscribe  # noqa: F401
from test_mail import tree

BASE = "https://brief.example.com/news/"
LIMIT = 100 * 1024


def _html(message) -> str:
    return message.get_body(("html",)).get_content()


def test_hosted_images_link_the_published_site_and_keep_the_message_small(tmp_path, brief_folder, mail_env,
                                                                           monkeypatch):
    from reports.core.settings import load_settings
    from reports.publish.site.build import build_site

    monkeypatch.setenv("BRIEF_BASE_URL", BASE)
    subscribe(tmp_path, "email,name\nana@example.com,Ana\n")
    result = run_cli("send", str(brief_folder))
    assert result.exit_code == 0, result.output
    ((_, raw),) = mail_env.messages
    print(f"\nhosted-images message: {len(raw):,} bytes ({len(raw) / 1024:.1f} KB) without the PDF")
    assert len(raw) < LIMIT
    message = parse(raw)
    assert tree(message) == ["multipart/alternative", "  text/plain", "  text/html"]  # no image parts, no PDF
    html = _html(message)
    week = brief_folder.name
    page = f"{BASE}briefs/{week}/"
    sources = re.findall(r'<img[^>]*src="([^"]+)"', html)
    assert sources and all(source.startswith(page + "charts/") for source in sources)
    assert f'href="{page}"' in html and f'href="{page}brief.pdf"' in html and f'href="{BASE}archive/"' in html
    assert "Read online" in html
    text = message.get_body(("plain",)).get_content()
    assert f"Read online: {page}" in text and f"The PDF: {page}brief.pdf" in text and f"{BASE}archive/" in text
    assert "1 Example Street" in text  # the postal address closes the text part too

    site = tmp_path / "site"  # what the links point at is what the site publishes
    build_site(load_settings(flags={"out_dir": brief_folder.parent, "site_dir": site, "base_url": BASE}))
    for url in [*sources, f"{page}brief.pdf"]:
        assert (site / urlsplit(url).path.removeprefix(urlsplit(BASE).path)).is_file(), url
    assert (site / "archive" / "index.html").is_file() and (site / "briefs" / week / "index.html").is_file()


def _sent_with(tmp_path, brief_folder, mail_env, monkeypatch, **env: str):
    """The one message a campaign sends with base_url and these BRIEF_* settings."""
    monkeypatch.setenv("BRIEF_BASE_URL", BASE)
    for name, value in env.items():
        monkeypatch.setenv(f"BRIEF_{name.upper()}", value)
    subscribe(tmp_path, "email\nana@example.com\n")
    assert run_cli("send", str(brief_folder)).exit_code == 0
    return parse(mail_env.messages[0][1])


def test_attach_pdf_set_explicitly_still_attaches_it_with_hosted_images(tmp_path, brief_folder, mail_env, monkeypatch):
    message = _sent_with(tmp_path, brief_folder, mail_env, monkeypatch, attach_pdf="true")
    assert tree(message) == ["multipart/mixed", "  multipart/alternative", "    text/plain", "    text/html",
                             "  application/pdf"]


def test_embedded_images_remain_an_option(tmp_path, brief_folder, mail_env, monkeypatch):
    message = _sent_with(tmp_path, brief_folder, mail_env, monkeypatch, images="embedded")
    assert "      image/png" in tree(message) and tree(message)[-1] == "  application/pdf"
    sources = re.findall(r'<img[^>]*src="([^"]+)"', _html(message))
    assert sources and all(source.startswith("cid:") for source in sources)
    assert f'href="{BASE}briefs/{brief_folder.name}/"' in _html(message)  # read online still links the site
