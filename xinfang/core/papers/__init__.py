"""What is printed for a case: which documents exist and the values that fill them, and
the 公示."""
