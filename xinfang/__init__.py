"""xinfang: a command-line case ledger for 信访 (petitions) at a town or county office."""

__version__ = "0.1.0"
