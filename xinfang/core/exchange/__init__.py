"""Cases in and out of the ledger: old ledgers imported, exports, and the bundles a town
sends to its county."""
