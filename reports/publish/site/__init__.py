"""The static web site: the briefs already written to OUT/<date>/, published as pages and feeds.

briefs (read, never recomputed) -> pages, feeds, sitemap -> incremental, atomic publish.
"""
