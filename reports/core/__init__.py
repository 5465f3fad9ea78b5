"""Core: errors, settings, clock, formatting, atomic writes, locks and safe paths, used by every stage."""
