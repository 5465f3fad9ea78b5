"""Build: the pipeline (one week, one brief), per-asset builds, and backfill batches."""
