-- xinfang ledger schema. This file is the schema of a new ledger; PRAGMA user_version
-- records its version and xinfang/store/migrations.py brings older files forward to it.
-- schema-version: 6

-- Office settings: one row per key, value as JSON text.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The lists the clerk picks from (信访来源, 信访形式, 问题类型, 属地, 类别 …), in display order.
CREATE TABLE choices (
    list     TEXT NOT NULL,
    value    TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (list, value)
);

-- Handling units (承办单位): townships and departments, with their liaison (联络员).
CREATE TABLE units (
    name     TEXT PRIMARY KEY,
    liaison  TEXT,
    phone    TEXT,
    position INTEGER NOT NULL
);

-- Yearly number sequences: case numbers, 交办单, later 督办 and 联系函.
CREATE TABLE sequences (
    name TEXT NOT NULL,
    year INTEGER NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (name, year)
);

-- The deadline rules in force when a case was registered; a case keeps its version.
CREATE TABLE rule_versions (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    rules      TEXT NOT NULL,  -- JSON: stage -> {amount, unit, maximum} or null
    created_at TEXT NOT NULL
);

-- A case's current state. Every change is also an event below, written in the same
-- transaction; the events are the history, this row is where the case stands now.
CREATE TABLE cases (
    id               INTEGER PRIMARY KEY,
    year             INTEGER NOT NULL,
    seq              INTEGER NOT NULL,
    status           TEXT NOT NULL,
    round            INTEGER NOT NULL DEFAULT 1,
    -- registration (登记)
    name             TEXT,
    persons          INTEGER NOT NULL DEFAULT 1,
    phone            TEXT,
    id_number        TEXT,
    address          TEXT,
    anonymous        INTEGER NOT NULL DEFAULT 0,
    received_at      TEXT NOT NULL,
    source           TEXT NOT NULL,
    form             TEXT NOT NULL,
    upper_ref        TEXT,
    content          TEXT NOT NULL,
    category         TEXT,
    kind             TEXT,
    township         TEXT,
    receiver         TEXT,
    receiver_opinion TEXT,
    -- acceptance (受理 / 不予受理 / 转送) and notice (告知)
    decided_on       TEXT,
    decision_reason  TEXT,
    reject_channel   TEXT,
    transfer_to      TEXT,
    notified_on      TEXT,
    notice_method    TEXT,
    -- assignment (交办) and the unit's answer
    unit             TEXT REFERENCES units(name) ON UPDATE CASCADE,
    assign_year      INTEGER,
    assign_seq       INTEGER,
    assigned_on      TEXT,
    assign_due       TEXT,
    unit_accepted_on TEXT,
    unit_reported_on TEXT,
    unit_report      TEXT,
    -- reply (答复) of the current round
    replied_on       TEXT,
    reply_result     TEXT,
    reply_finding    TEXT,
    reply_text       TEXT,
    -- revisit (回访) of the current round
    revisited_on     TEXT,
    revisit_method   TEXT,
    satisfaction     TEXT,
    revisit_opinion  TEXT,
    -- end of the case
    publicized_on    TEXT,
    closed_on        TEXT,
    archived_on      TEXT,
    retention        TEXT,
    updated_at       TEXT NOT NULL,
    -- deadlines (期限)
    rule_version     INTEGER REFERENCES rule_versions(id),
    complex          INTEGER NOT NULL DEFAULT 0,
    paused_since     TEXT,
    -- supervision scope, repeats and online opinion (issue 5/8)
    raised_by        TEXT,     -- 人大代表 | 政协委员 | 社会知名人士
    repeat_of        INTEGER REFERENCES cases(id),
    platform         TEXT,     -- 网络舆情: where it was posted
    post_url         TEXT,
    posted_at        TEXT,
    -- county roll-up (issue 8/8): a case merged from a town's bundle
    origin           TEXT,     -- the town office it came from
    origin_no        TEXT,     -- its case number there (2026-0001)
    origin_office    TEXT,     -- the town's office id (settings office_id there): the key
    -- 性别 and 年龄 (seed 001 二(三)1), optional (schema v8)
    sex              TEXT,     -- 男 | 女
    age              INTEGER,  -- 1 to 120
    -- 重大、紧急信访事项 (seed 000 三, 001 四(三)): registered or marked so (schema v9)
    urgent           INTEGER NOT NULL DEFAULT 0,
    UNIQUE (year, seq),
    UNIQUE (assign_year, assign_seq)
);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_received ON cases (received_at);
CREATE INDEX cases_unit ON cases (unit);
CREATE INDEX cases_phone ON cases (phone);
CREATE INDEX cases_id_number ON cases (id_number);
CREATE INDEX cases_repeat_of ON cases (repeat_of);
CREATE INDEX cases_name ON cases (name, address);  -- repeats: the same name and address
CREATE INDEX cases_urgent ON cases (year, seq) WHERE urgent = 1;  -- listed first (v9)
CREATE UNIQUE INDEX cases_origin ON cases (origin_office, origin_no) WHERE origin_office IS NOT NULL;

-- The append-only history. One row per action, never changed, never removed.
CREATE TABLE events (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    action       TEXT NOT NULL,
    occurred_at  TEXT NOT NULL,   -- when it happened (the clerk's --on)
    recorded_at  TEXT NOT NULL,   -- when it was written
    actor        TEXT NOT NULL,
    round        INTEGER NOT NULL,
    status_after TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}'  -- the values given, as JSON
);
CREATE INDEX events_case ON events (case_id, id);
-- 并案: the cases joined into a main case, found from its number (`show` asks on every case).
CREATE INDEX events_join ON events (json_extract(data, '$.into')) WHERE action = 'join';

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, '事件记录只能追加，不能修改');
END;

CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, '事件记录只能追加，不能删除');
END;

-- Every deadline of every case, derived from its events (xinfang/core/clock/deadlines.py) and
-- stored so that the overdue scan is one indexed query. met_on NULL = still open;
-- due_on NULL = the case's clock is paused.
CREATE TABLE deadlines (
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    stage       TEXT NOT NULL,
    round       INTEGER NOT NULL,
    starts_on   TEXT NOT NULL,
    amount      INTEGER,
    unit        TEXT,
    due_on      TEXT,
    met_on      TEXT,
    paused_days INTEGER NOT NULL DEFAULT 0,
    provisional INTEGER NOT NULL DEFAULT 0,
    ended_by    TEXT,     -- join | archive: ended on met_on by 并案 or 归档, not met
    PRIMARY KEY (case_id, stage, round)
) WITHOUT ROWID;
CREATE INDEX deadlines_open ON deadlines (due_on) WHERE met_on IS NULL;

-- Holidays (休) and adjusted workdays (班) the office entered from the State Council's
-- notice, for years the installed chinese-calendar does not know (or to correct it).
CREATE TABLE calendar_entries (
    day  TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('休', '班')),
    note TEXT
) WITHOUT ROWID;

-- One row per day from 2004: whether it is a working day (and a public holiday), the
-- running count of working days (so counting is a subtraction), and whether its year's
-- holidays are known. Rebuilt from chinese-calendar and calendar_entries
-- (xinfang/core/clock/workdays.py).
CREATE TABLE calendar (
    day             TEXT PRIMARY KEY,
    workday         INTEGER NOT NULL,
    holiday         INTEGER NOT NULL,
    workdays_so_far INTEGER NOT NULL,
    known           INTEGER NOT NULL
) WITHOUT ROWID;

-- Files the clerk added to a case (scanned letters, photos …), copied into the ledger's
-- folder and hashed so that an archived file can be verified later.
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases(id),
    kind          TEXT NOT NULL,   -- 来源材料 | 调查材料 | 其他材料
    title         TEXT NOT NULL,
    original_name TEXT NOT NULL,
    stored_path   TEXT NOT NULL,   -- relative to the ledger's files folder
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    pages         INTEGER NOT NULL DEFAULT 1,
    added_at      TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments (case_id, id);

-- The files of a case's archive folder (一案一卷) as written, in catalogue order.
CREATE TABLE archive_files (
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    position INTEGER NOT NULL,
    path     TEXT NOT NULL,      -- relative to the ledger's files folder
    sha256   TEXT NOT NULL,
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

-- 查阅/借阅登记 (seed 000 八): who took an archived file, approved by whom, until when.
CREATE TABLE loans (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id),
    borrower    TEXT NOT NULL,
    unit        TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    purpose     TEXT,
    lent_on     TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    returned_on TEXT
);
CREATE INDEX loans_open ON loans (due_on) WHERE returned_on IS NULL;

-- 领导接访日程安排表 (seed 003): the days a leader receives petitioners.
CREATE TABLE reception_days (
    day        TEXT PRIMARY KEY,
    starts     TEXT NOT NULL,   -- 09:00
    ends       TEXT NOT NULL,   -- 11:00
    leader     TEXT NOT NULL,
    place      TEXT
) WITHOUT ROWID;

-- Full-text index over what the clerk searches: names, content, address, notes.
-- Trigram tokens give substring search that works for Chinese without word splitting.
-- Kept by triggers, so every way of writing a case keeps it in step.
CREATE VIRTUAL TABLE cases_fts USING fts5 (
    name, content, address, notes, tokenize = 'trigram'
);

CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO cases_fts (rowid, name, content, address, notes)
    VALUES (new.id, new.name, new.content, new.address, '');
END;

CREATE TRIGGER cases_fts_update AFTER UPDATE OF name, content, address ON cases
BEGIN
    UPDATE cases_fts SET name = new.name, content = new.content, address = new.address
    WHERE rowid = new.id;
END;

CREATE TRIGGER cases_fts_note AFTER INSERT ON events WHEN new.action = 'note'
BEGIN
    UPDATE cases_fts SET notes = notes || char(10) || json_extract(new.data, '$.text')
    WHERE rowid = new.case_id;
END;

-- The columns of an old ledger that no field holds, kept with the imported case
-- (imported_extra: column -> text), are searched like its notes.
CREATE TRIGGER cases_fts_extra AFTER INSERT ON events
WHEN new.action = 'register' AND json_extract(new.data, '$.imported_extra') IS NOT NULL
BEGIN
    UPDATE cases_fts SET notes = notes || char(10) || (
        SELECT group_concat(key || '：' || value, char(10))
        FROM json_each(new.data, '$.imported_extra')
    )
    WHERE rowid = new.case_id;
END;

-- A new ledger starts with the seeds' office (临泽县民政局) so that `xinfang register`
-- works at once; `xinfang init` and `xinfang config` change all of it.
INSERT INTO settings (key, value) VALUES
    ('unit_name', '"临泽县民政局"'),
    ('case_prefix', '"临民信"'),
    ('assign_prefix', '"临民交"'),
    ('clerk', '""'),
    ('review_government', '"临泽县人民政府"'),
    ('review_department', '"张掖市民政局"'),
    ('templates_dir', '""'),
    ('supervise_prefix', '"临民督办字"'),
    ('liaison_prefix', '"临民联"'),
    ('repeat_window_days', '180'),
    ('reception_place', '"局接访室"'),
    ('time_zone', '"Asia/Shanghai"'),
    ('rule_set', '"seed000"'),
    ('rule_overrides', '{}');

INSERT INTO choices (list, value, position) VALUES
    ('source', '本级', 1),
    ('source', '上级交办', 2),
    ('source', '部门转办', 3),
    ('source', '领导接访', 4),
    ('source', '12345热线', 5),
    ('source', '网络舆情', 6),
    ('form', '来信', 1),
    ('form', '来访', 2),
    ('form', '来电', 3),
    ('form', '网上信访', 4),
    ('form', '信访代办', 5),
    ('category', '最低生活保障', 1),
    ('category', '特困人员救助供养', 2),
    ('category', '临时救助', 3),
    ('category', '养老服务', 4),
    ('category', '残疾人两项补贴', 5),
    ('category', '儿童福利', 6),
    ('category', '殡葬管理', 7),
    ('category', '婚姻登记', 8),
    ('category', '社会组织', 9),
    ('category', '区划地名', 10),
    ('category', '其他', 11),
    ('kind', '建议意见类', 1),
    ('kind', '检举控告类', 2),
    ('kind', '申诉求决类', 3),
    ('township', '沙河镇', 1),
    ('township', '新华镇', 2),
    ('township', '蓼泉镇', 3),
    ('township', '平川镇', 4),
    ('township', '板桥镇', 5),
    ('township', '鸭暖镇', 6),
    ('township', '倪家营镇', 7),
    ('revisit_method', '现场走访', 1),
    ('revisit_method', '电话回访', 2),
    ('revisit_method', '网页公示', 3),
    ('revisit_method', '当面', 4),
    ('revisit_method', '其它', 5),
    ('satisfaction', '非常满意', 1),
    ('satisfaction', '满意', 2),
    ('satisfaction', '基本满意', 3),
    ('satisfaction', '一般', 4),
    ('satisfaction', '不满意', 5);

INSERT INTO units (name, liaison, phone, position) VALUES
    ('沙河镇', NULL, NULL, 1),
    ('新华镇', NULL, NULL, 2),
    ('蓼泉镇', NULL, NULL, 3),
    ('平川镇', NULL, NULL, 4),
    ('板桥镇', NULL, NULL, 5),
    ('鸭暖镇', NULL, NULL, 6),
    ('倪家营镇', NULL, NULL, 7),
    ('社会救助股', NULL, NULL, 8),
    ('养老服务股', NULL, NULL, 9),
    ('社会事务股', NULL, NULL, 10);
