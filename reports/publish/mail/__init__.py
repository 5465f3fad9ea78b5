"""Emailing the brief: subscribers, the message built from a brief folder, the send ledger and the sender.

The publisher reads what the renderers wrote (OUT/<week>/brief.json, charts/*.png, brief.pdf);
it never recomputes a figure. Everything it remembers lives in one SQLite file under the
data directory: the subscribers and, per brief, a ledger row for each of them.
"""
