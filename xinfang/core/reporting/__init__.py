"""What the ledger tells upward and to leaders: the two monthly tables, the statistics and
the units' ranking, the supervision suggestions, and reading (show, list, search)."""
