"""The county merge loses nothing: towns are known by their office id (not their name),
a case at the county is what the union of its merged events says, text is cleaned, and
a bundle's files land with the merge's transaction or not at all."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

from conftest import beside_ledger, dump, fresh_identity, ledger_files
from merging import (
    assert_every_town_case_once_as_it_stands,
    at,
    bundle,
    new_town,
    note_after,
    overdue,
    register,
    rewrite,
    rows,
)

from xinfang.core import demo
from xinfang.outputs.archive import CaseFolder
from xinfang.store.db import connect

# ------------------------------------------------------------- the four towns of the issue


def test_two_towns_of_the_same_name_both_keep_their_cases(run, tmp_path, template_ledger, db_path):
    """Neither town nor the county ran init: all three are 临泽县民政局."""
    a = new_town(run, tmp_path, template_ledger, "a")
    b = new_town(run, tmp_path, template_ledger, "b")
    register(run, a, "甲一", "甲镇低保金停发", "2026-11-02 09:00")
    run("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03", *at(a))
    register(run, b, "乙一", "乙镇敬老院供暖不足", "2026-11-02 10:00")
    register(run, b, "乙二", "乙镇公墓收费过高", "2026-11-04 10:00")
    out = run("merge", str(bundle(run, a, tmp_path / "a.zip", "2026-11")),
              str(bundle(run, b, tmp_path / "b.zip", "2026-11"))).stdout  # fmt: skip
    assert "新增 1 件" in out and "新增 2 件" in out
    assert "同名" in out  # the clerk is told two offices share the name
    assert_every_town_case_once_as_it_stands(db_path, [a, b])
    assert run("doctor").exit_code == 0


def test_an_older_bundle_after_a_newer_one_adds_nothing(run, tmp_path, template_ledger, db_path):
    """The README's `merge 沙河镇*.zip`: the shell sorts 10月 before 9月."""
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-09-21 09:00")
    run("accept", "2026-0001", "--on", "2026-09-22", "--notified-on", "2026-09-22", *at(town))
    september = bundle(run, town, tmp_path / "沙河镇_2026年9月.zip", "2026-09")
    for step in (
        ("assign", "--to", "沙河镇", "--due", "2026-10-20", "--on", "2026-10-08"),
        ("unit-accept", "--on", "2026-10-09"),
        ("unit-report", "--text", "已核实并恢复发放", "--on", "2026-10-12"),
        ("reply", "--result", "已解决", "--finding", "属实", "--text", "已恢复发放", "--on", "2026-10-14"),
        ("revisit", "--method", "电话回访", "--satisfaction", "满意", "--on", "2026-10-16"),
    ):  # fmt: skip
        run(step[0], "2026-0001", *step[1:], *at(town))
    register(run, town, "李四", "敬老院供暖不足", "2026-10-20 09:00")
    october = bundle(run, town, tmp_path / "沙河镇_2026年10月.zip", "2026-10")
    out = run("merge", str(october), str(september)).stdout.splitlines()
    assert out[1].startswith("沙河镇人民政府：新增 0 件，更新 0 件，无变化 1 件，新增办理记录 0 条")
    before = dump(db_path)
    assert "无变化 1 件" in run("merge", str(september)).stdout
    assert dump(db_path) == before
    assert_every_town_case_once_as_it_stands(db_path, [town])
    case = rows(db_path, "origin_no = '2026-0001'")[0]
    assert (case["status"], case["reply_text"]) == ("revisited", "已恢复发放")
    assert overdue(run, db_path) == overdue(run, town)  # nothing stale, nothing missing
    assert run("doctor").exit_code == 0


def test_a_renamed_town_is_one_office_under_its_latest_name(
    run, tmp_path, template_ledger, db_path
):
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-10-12 09:00")
    october = bundle(run, town, tmp_path / "10.zip", "2026-10")
    run("config", "set", "单位名称", "沙河街道办事处", *at(town))
    run("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03", *at(town))
    register(run, town, "李四", "敬老院供暖不足", "2026-11-05 09:00")
    november = bundle(run, town, tmp_path / "11.zip", "2026-11")
    run("merge", str(october))
    out = run("merge", str(november)).stdout
    assert "原名 沙河镇人民政府，现名 沙河街道办事处" in out
    assert_every_town_case_once_as_it_stands(db_path, [town])
    assert {c["origin"] for c in rows(db_path)} == {"沙河街道办事处"}
    assert run("doctor").exit_code == 0
    # The other way round, the older name does not come back.
    other = tmp_path / "county2.db"
    shutil.copyfile(template_ledger, other)
    fresh_identity(other)
    run("merge", str(november), "--db", str(other))
    run("merge", str(october), "--db", str(other))
    assert {c["origin"] for c in rows(other)} == {"沙河街道办事处"}
    assert_every_town_case_once_as_it_stands(other, [town])


def test_a_bundle_claiming_another_towns_name_replaces_nothing(
    run, tmp_path, template_ledger, db_path
):
    real = new_town(run, tmp_path, template_ledger, "real", "沙河镇人民政府")
    register(run, real, "张三", "低保金停发", "2026-11-02 09:00")
    run("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03", *at(real))
    fake = new_town(run, tmp_path, template_ledger, "fake", "沙河镇人民政府")
    register(run, fake, "假名", "伪造的内容", "2026-11-02 09:00")
    run("merge", str(bundle(run, real, tmp_path / "real.zip", "2026-11")))
    out = run("merge", str(bundle(run, fake, tmp_path / "fake.zip", "2026-11"))).stdout
    assert "新增 1 件" in out and "同名" in out
    assert_every_town_case_once_as_it_stands(db_path, [real, fake])
    assert run("doctor").exit_code == 0


def test_every_kind_of_step_a_town_records_merges_as_it_stands(
    run, tmp_path, template_ledger, db_path
):
    """The demo office (every stage, second rounds, anonymous cases, archived files) with
    every side step on top: the county gets each case as the town has it."""
    town = new_town(run, tmp_path, template_ledger, "demo", "沙河镇人民政府")
    demo.build(connect(town), binder=CaseFolder)
    by_status = {}
    for case in rows(town):
        by_status.setdefault(case["status"], f"{case['year']}-{case['seq']:04d}")
    on = ("--on", "2026-11-23", *at(town))
    archived, replied = by_status["archived"], by_status["replied"]
    handling, assigned = by_status["handling"], by_status["assigned"]
    scan = tmp_path / "照片.jpg"
    scan.write_bytes(b"\xff\xd8 photo")
    for args in (
        ("lend", archived, "--to", "王五", "--unit", "县纪委", "--approved-by", "李主任",
         "--due", "2026-11-30"),
        ("return", archived),
        ("deliver", replied, "--method", "邮寄", "--receipt", str(scan)),
        ("review", replied, "--requested-on", "2026-11-23"),
        ("review", replied, "--outcome", "维持", "--text", "原处理意见正确"),
        ("deliver", replied, "--method", "直接送达"),
        ("recheck", replied, "--requested-on", "2026-11-23"),
        ("recheck", replied, "--extend", "--reason", "需要听证"),
        ("recheck", replied, "--outcome", "维持"),
        ("supervise", assigned, "--due", "2026-11-30", "--reason", "群众反映强烈"),
        ("supervise-answer", assigned, "--text", "已办结"),
        ("instruct", assigned, "--leader", "县长", "--text", "抓紧核实"),
        ("liaise", assigned, "--to", "县人社局", "--matter", "请核实"),
        ("liaise-answer", assigned, "--text", "已核实"),
        ("pause", handling, "--reason", "等待鉴定"),
        ("resume", handling),
        ("extend", handling, "--reason", "情况复杂", "--approved-by", "李主任"),
        ("correct", handling, "--field", "联系电话", "--value", "13912345678"),
        ("note", handling, "信访人来电询问"),
        ("attach", handling, str(scan), "--kind", "调查材料"),
    ):  # fmt: skip
        run(*args, *on)
    full = tmp_path / "2026.zip"
    run("bundle", "--year", "2026", "-o", str(full), "--force", "--with-attachments", *at(town))
    out = run("merge", str(full)).stdout
    assert f"新增 {len(rows(town))} 件" in out and "2 个材料文件" in out  # a 送达回执 too
    assert_every_town_case_once_as_it_stands(db_path, [town])
    assert run("doctor").exit_code == 0
    before = dump(db_path)
    run("merge", str(full))
    assert dump(db_path) == before


def test_a_repeat_petition_stays_linked_to_its_first_at_the_county(
    run, tmp_path, template_ledger, db_path
):
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-10-12 09:00")
    october = bundle(run, town, tmp_path / "10.zip", "2026-10")
    run("register", "--name", "张三", "--source", "本级", "--form", "来访", "--content",
        "低保金停发", "--town", "沙河镇", "--link", "2026-0001", "--on", "2026-11-02 09:00",
        *at(town))  # fmt: skip
    november = bundle(run, town, tmp_path / "11.zip", "2026-11")
    run("merge", str(november), str(october))  # the repeat comes before its first
    run("merge", str(november))  # and is linked once the first is there
    first, repeat = sorted(rows(db_path), key=lambda case: case["origin_no"])
    assert (first["origin_no"], repeat["origin_no"]) == ("2026-0001", "2026-0002")
    assert (first["repeat_of"], repeat["repeat_of"]) == (None, first["id"])


def test_a_version_1_bundle_still_merges_known_by_its_name(run, tmp_path, template_ledger, db_path):
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-11-02 09:00")
    path = bundle(run, town, tmp_path / "v2.zip", "2026-11")
    old = rewrite(path, tmp_path / "v1.zip", _as_version_1)
    out = run("merge", str(old)).stdout
    assert "第 1 版" in out and "新增 1 件" in out
    case = rows(db_path)[0]
    assert (case["origin_office"], case["origin"], case["content"]) == (
        "name:沙河镇人民政府",
        "沙河镇人民政府",
        "低保金停发",
    )
    # The town's next bundle (version 2) takes over the cases known by its name.
    run("accept", "2026-0001", "--on", "2026-11-03", "--notified-on", "2026-11-03", *at(town))
    assert "新增 0 件，更新 1 件" in run("merge", str(bundle(run, town, path, "2026-11"))).stdout
    assert_every_town_case_once_as_it_stands(db_path, [town])
    assert run("doctor").exit_code == 0


def _as_version_1(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
    manifest["version"] = 1
    del manifest["office_id"]
    for case in manifest["cases"]:
        case["fields"] = {"status": "closed", "content": "快照里的旧内容"}  # never trusted


def test_a_history_that_differs_from_what_was_merged_is_refused(
    run, tmp_path, template_ledger, db_path
):
    """A town restored from a backup re-entered its steps differently: the county does not
    guess which history is true."""
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-11-02 09:00")
    run("accept", "2026-0001", "--on", "2026-11-03", *at(town))
    good = bundle(run, town, tmp_path / "good.zip", "2026-11")
    run("merge", str(good))

    def rewritten(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        accept = manifest["cases"][0]["events"][1]
        accept.update(action="reject", status_after="rejected",
                      data={"reason": "属诉讼事项", "channel": "人民法院"})  # fmt: skip

    before = dump(db_path)
    err = run("merge", str(rewrite(good, tmp_path / "other.zip", rewritten)), expect=2).stderr
    assert "与已汇入的不一致" in err and err.count("\n") == 1
    assert dump(db_path) == before


# ------------------------------------------------------------------- text and files


def test_text_from_a_bundle_is_cleaned_as_typed_text_is(run, tmp_path, template_ledger, db_path):
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-11-02 09:00")
    run("note", "2026-0001", "来电询问", "--on", "2026-11-03", *at(town))

    def hostile(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        register_data = manifest["cases"][0]["events"][0]["data"]
        register_data["name"] = "张\x1b[2J\x1b]0;pwned\x07三"
        register_data["content"] = "低保\x00金\x1b[31m停发\r\n第二行"
        manifest["cases"][0]["events"][1]["data"]["text"] = "\x1b[1m来电\x00询问"

    run(
        "merge",
        str(rewrite(bundle(run, town, tmp_path / "b.zip", "2026-11"), tmp_path / "h.zip", hostile)),
    )
    case = rows(db_path)[0]
    assert case["name"] == "张[2J]0;pwned三"
    assert case["content"] == "低保金[31m停发\n第二行"
    for args in (
        ("list",),
        ("show", "2026-0001"),
        ("search", "低保"),
        ("show", "2026-0001", "--json"),
    ):
        out = run(*args).stdout
        assert "\x1b" not in out and "\x00" not in out and "\x07" not in out, args
    conn = connect(db_path)
    stored = " ".join(r[0] for r in conn.execute("SELECT data FROM events"))
    assert "\\u001b" not in stored and "\\u0000" not in stored


def _town_with_a_scan(run, tmp_path, template_ledger, text: str = "来信原件") -> tuple[Path, Path]:
    town = new_town(run, tmp_path, template_ledger, "shahe", "沙河镇人民政府")
    register(run, town, "张三", "低保金停发", "2026-11-02 09:00")
    scan = tmp_path / "来信.txt"
    scan.write_text(text, encoding="utf-8")
    run("attach", "2026-0001", str(scan), "--kind", "来源材料", "--on", "2026-11-02", *at(town))
    return town, bundle(run, town, tmp_path / "full.zip", "2026-11", "--with-attachments")


def test_merged_files_are_recorded_and_verified(run, tmp_path, template_ledger, db_path):
    _town, full = _town_with_a_scan(run, tmp_path, template_ledger)
    assert "1 个材料文件" in run("merge", str(full)).stdout
    conn = connect(db_path)
    ((stored, size, kind),) = conn.execute(
        "SELECT stored_path, size, kind FROM attachments"
    ).fetchall()
    assert (size, kind) == (len("来信原件".encode()), "来源材料")
    assert (ledger_files(db_path) / stored).read_text(encoding="utf-8") == "来信原件"
    case_no = json.loads(run("list", "--json").stdout)[0]["case_no"]
    assert "完好" in run("verify", case_no).stdout
    before = dump(db_path)
    run("merge", str(full))  # again: the file is not recorded twice
    assert dump(db_path) == before
    assert len(list((ledger_files(db_path)).rglob("*来信*"))) == 1
    assert not [p for p in beside_ledger(db_path) if "merge" in p.name]  # no staging left


def test_a_refused_merge_leaves_no_file_and_overwrites_none(
    run, tmp_path, template_ledger, db_path
):
    _town, full = _town_with_a_scan(run, tmp_path, template_ledger)
    run("merge", str(full))
    (kept,) = (ledger_files(db_path)).rglob("*来信*")

    def forged(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        name = next(n for n in members if n.startswith("attachments/"))
        members[name] = "篡改内容".encode()  # as long, but the sha256 no longer matches
        manifest["cases"][0]["events"].append(note_after(manifest, "另一条备注"))

    before = dump(db_path)
    files = sorted((ledger_files(db_path)).rglob("*"))
    err = run("merge", str(rewrite(full, tmp_path / "forged.zip", forged)), expect=2).stderr
    assert "校验值" in err
    assert dump(db_path) == before
    assert kept.read_text(encoding="utf-8") == "来信原件"
    assert sorted((ledger_files(db_path)).rglob("*")) == files
    assert not [p for p in beside_ledger(db_path) if "merge" in p.name]


def test_a_small_bundle_cannot_write_a_huge_file(
    run, tmp_path, template_ledger, db_path, monkeypatch
):
    from xinfang.core.exchange import bundle_zip

    monkeypatch.setattr(bundle_zip, "FILE_LIMIT", 1 << 20)
    _town, full = _town_with_a_scan(run, tmp_path, template_ledger)
    huge = bytes(8 << 20)  # 8 MiB of zeros: a few KB in the zip

    def inflated(manifest: dict[str, Any], members: dict[str, bytes]) -> None:
        name = next(n for n in members if n.startswith("attachments/"))
        members[name] = huge
        entry = manifest["cases"][0]["attachments"][0]
        entry["size"] = len(huge)
        entry["sha256"] = hashlib.sha256(huge).hexdigest()

    bomb = rewrite(full, tmp_path / "bomb.zip", inflated)
    assert bomb.stat().st_size < 100_000
    before = dump(db_path)
    assert "过大" in run("merge", str(bomb), expect=2).stderr
    assert dump(db_path) == before
    assert not (ledger_files(db_path)).exists() or not [
        p for p in (ledger_files(db_path)).rglob("*") if p.is_file()
    ]
    assert not [p for p in beside_ledger(db_path) if "merge" in p.name]


def test_a_manifest_bomb_is_refused_before_it_is_read(run, tmp_path, db_path):
    """196 KB expanding to 192 MB of JSON ran at 5 GB: the size is bounded first."""
    path = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("bundle.json", "w", force_zip64=True) as member,
    ):
        member.write(b'{"format": "xinfang-bundle", "version": 2, "pad": "')
        for _ in range(96):
            member.write(b" " * (1 << 20))
        member.write(b'"}')
    assert path.stat().st_size < 400_000
    before = dump(db_path)
    assert "过大" in run("merge", str(path), expect=2).stderr
    assert dump(db_path) == before


def test_the_countys_own_bundle_is_refused_by_its_id(run, tmp_path, db_path):
    run("config", "set", "单位名称", "临泽县信访局")
    run("register", "--name", "张三", "--source", "本级", "--form", "来访", "--content", "x",
        "--on", "2026-11-02")  # fmt: skip
    own = tmp_path / "own.zip"
    run("bundle", "--month", "2026-11", "-o", str(own))
    renamed = rewrite(own, tmp_path / "renamed.zip", lambda m, z: m.update(office="别的名字"))
    before = dump(db_path)
    assert "来自本单位" in run("merge", str(renamed), expect=2).stderr
    assert dump(db_path) == before
