-- The floor for `xinfang overdue --as-of :as_of`: the overdue deadlines of the ledger in
-- one hand-written query, for the sqlite3 shell. It counts the due dates itself from
-- starts_on, amount, unit and paused_days on the precomputed `calendar` table instead of
-- reading deadlines.due_on (xinfang/core/clock/deadlines.py counts them the same way):
-- - working days: the (amount + paused)-th working day after starts_on (day zero is not
--   counted), i.e. the working day numbered workdays_so_far(starts_on) + amount + paused;
-- - calendar days: starts_on + amount + paused days, or the next working day after it,
--   i.e. the working day numbered workdays_so_far(that day - 1) + 1;
-- - a date the clerk set (交办, 督办: unit NULL) is read as stored.
-- A NULL due_on means the case's clock is stopped (paused): no due date, never overdue.
-- Stages: the office's duties in xinfang/core/clock/rules.py STAGES (复查申请 is the
-- petitioner's window, not ours) and its FIXED_STAGES. Loans are not included.
-- Known difference: a deadline that opens while the clock is stopped (accepted during a
-- pause) is counted here from the resume day, which the pause rule leaves counted;
-- xinfang counts it from the day after, one working day later. No generated ledger has
-- pauses, so the benchmark's check does not meet it.
-- :as_of is bound by the runner (bench/run.py).
WITH
numbered_workdays AS MATERIALIZED (  -- working day number n (since 2004-01-01) -> its day
    SELECT workdays_so_far AS n, day FROM calendar WHERE workday = 1
),
open_deadlines AS (
    SELECT case_id, stage, round, starts_on, unit, due_on, amount + paused_days AS days
    FROM deadlines
    WHERE met_on IS NULL AND due_on IS NOT NULL
      AND stage IN ('notice', 'unit_accept', 'reply', 'revisit', 'publicize', 'archive',
                    'review', 'online_reply', 'upper_report', 'assign_due', 'supervise_due')
),
due AS (
    SELECT o.case_id, o.stage, o.round, o.unit, w.day AS due_on
    FROM open_deadlines o
    JOIN calendar base ON base.day = CASE o.unit
        WHEN 'workday' THEN o.starts_on
        ELSE date(o.starts_on, (o.days - 1) || ' days') END
    JOIN numbered_workdays w ON w.n = base.workdays_so_far + CASE o.unit
        WHEN 'workday' THEN o.days
        ELSE 1 END
    WHERE o.unit IS NOT NULL
    UNION ALL
    SELECT case_id, stage, round, unit, due_on FROM open_deadlines WHERE unit IS NULL
),
today AS (SELECT workdays_so_far AS n FROM calendar WHERE day = :as_of)
SELECT
    printf('%d-%04d', c.year, c.seq) AS case_no,
    d.stage,
    d.round,
    CASE WHEN d.stage IN ('unit_accept', 'assign_due', 'supervise_due', 'reply')
        THEN coalesce(c.unit, '本单位') ELSE '本单位' END AS handled_by,
    d.due_on,
    CASE d.unit
        WHEN 'workday' THEN (SELECT n FROM today) - due_cal.workdays_so_far
        ELSE CAST(julianday(:as_of) - julianday(d.due_on) AS INTEGER) END AS days_overdue,
    CASE WHEN c.anonymous THEN '（匿名）' ELSE substr(c.name, 1, 1) || '**' END AS petitioner,
    c.content,
    c.status
FROM due d
JOIN cases c ON c.id = d.case_id
JOIN calendar due_cal ON due_cal.day = d.due_on
LEFT JOIN units u ON u.name = c.unit
WHERE d.due_on < :as_of
ORDER BY d.stage, handled_by <> '本单位', u.position, d.due_on, c.year, c.seq;
