"""Time: dates as clerks type them, the holiday calendar, the deadline rule sets, every
deadline derived from the events, the overdue scan and the reporting periods."""
