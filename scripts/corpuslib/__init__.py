"""Helpers of scripts/corpus: PostgreSQL (pg), accrete (accrete), the corpora (realworld, convergence,
miniyaml) and the report (report). Standard library only."""
