"""sitemap.xml (every page, with the time its content last changed) and robots.txt."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from xml.etree import ElementTree as ET

from reports.publish.site import urls

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def sitemap(pages: Mapping[str, datetime | None], base_url: str) -> bytes:
    """`pages` maps each page address to when its content last changed (None: unknown)."""
    root = ET.Element("urlset", xmlns=NAMESPACE)
    for page, changed in pages.items():
        entry = ET.SubElement(root, "url")
        ET.SubElement(entry, "loc").text = urls.absolute(base_url, page)
        if changed is not None:
            ET.SubElement(entry, "lastmod").text = changed.isoformat().replace("+00:00", "Z")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(base_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base_url, SITEMAP)}\n".encode("ascii")
