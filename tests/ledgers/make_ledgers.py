"""Writes the test ledgers of tests/test_import_layouts.py: nine old ledgers of the kinds
offices bring to xinfang (issue 18), each in its source's own header text, date and value
style, with the awkward rows real ledgers have (progress texts, anonymous rows, two rows
alike but for 办理人, a blank row, a row without a date, an ID stored as a number).

The generated files are committed: the test reads them, not this script. To remake them:

    .venv/bin/python tests/ledgers/make_ledgers.py

It writes each .xlsx with openpyxl; the .xls and the .ods are converted from an .xlsx by
LibreOffice (`soffice --headless --convert-to xls` / `ods`, not installed on CI, hence the
committed binaries). It also writes layouts.json: for each file, the import options a
clerk would give, the number of rows under the header, the rows that must be rejected,
the expected stage of some rows (found by a phrase of their own) and phrases that must
stay searchable. People are made up (seeded): names, mobile numbers and ID numbers with
valid check digits."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font

sys.path.insert(0, str(Path(__file__).parent))
from people import People, check_digit

HERE = Path(__file__).parent
START, END = date(2026, 1, 5), date(2026, 10, 20)
STILL = ["accepted", "assigned", "handling"]  # still being handled: not replied, not closed
DONE = ["closed"]
ACCUSED_ID = "37132119730415001" + check_digit("37132119730415001")
WEEKDAYS = "一二三四五六日"

# What people write in about, with a detail of their own so that rows differ.
MATTERS = [
    "反映{place}小区物业公司长期不清运垃圾，楼道堆放杂物存在消防隐患",
    "反映在{place}附近工地务工，包工头拖欠2025年工资{money}元至今未付",
    "反映{place}修路占用其承包地{area}亩，征地补偿款未足额发放",
    "反映其母亲年满80周岁，高龄津贴自{month}月起停发，要求核实补发",
    "反映{place}一烧烤店夜间经营噪音扰民，多次向城管反映未解决",
    "反映所购{place}商品房已逾期{days}天仍未交房，开发商拒绝支付违约金",
    "反映{place}低保评定不公，村干部亲属享受低保，困难户未纳入",
    "反映{place}供暖温度长期不达标，室温不足16度，要求退还部分取暖费",
    "反映{place}村务不公开，2025年土地流转收入{money}元去向不明",
    "反映其在{place}某企业工作期间工伤，企业不予申报工伤认定",
    "反映{place}养殖场粪污直排河道，周边水井异味严重",
    "反映{place}农村危房改造补助{money}元至今未拨付到户",
    "反映{place}道路破损严重，雨天积水无法通行，要求尽快维修",
    "反映其子在{place}某培训机构报名后机构跑路，{money}元学费无法退还",
    "反映{place}小区电梯频繁故障，维修基金申请迟迟未批",
    "反映{place}宅基地纠纷，邻居建房占用其通道，村委会调解未果",
    "反映其父亲退休后养老金待遇核定有误，每月少发{money}元",
    "反映{place}自来水水压低，高峰时段三楼以上停水",
]
PLACES = ["澳柯玛小区", "城东社区", "滨河花园", "历山路", "振兴路东段", "岸堤镇驻地",
          "孙祖镇东村", "青驼镇前石岭村", "依汶镇后湖村", "温泉路", "沂蒙人家小区",
          "县经济开发区", "界湖街道北村", "苏村镇王家庄", "湖头镇柳树沟村"]  # fmt: skip


def matter(p: People) -> str:
    return p.pick(MATTERS).format(
        place=p.pick(PLACES), money=p.rnd.randrange(8, 90) * 500, area=p.rnd.randrange(2, 9),
        month=p.rnd.randrange(1, 10), days=p.rnd.randrange(60, 400),
    )  # fmt: skip


def days(p: People, count: int) -> list[date]:
    return sorted(p.day(START, END) for _ in range(count))


def ts(day: date, p: People) -> datetime:
    return datetime(day.year, day.month, day.day, p.rnd.randrange(8, 18), p.rnd.randrange(60),
                    p.rnd.randrange(60))  # fmt: skip


class Layout:
    """One ledger: the rows under its header (None = a blank row) and what the test expects."""

    def __init__(self, name: str, file: str, options: list[str], kind: str) -> None:
        self.name, self.file, self.options, self.kind = name, file, options, kind
        self.titles: list[tuple[str, int]] = []  # (text, columns merged across)
        self.header: list[list[Any]] = []  # one or two header rows
        self.merges: list[str] = []
        self.rows: list[list[Any] | None] = []
        self.rejected: list[int] = []  # sheet row numbers
        self.stages: list[tuple[str, list[str]]] = []
        self.kept: list[str] = []
        self.blank: list[int] = []
        self.twins: str | None = None  # a phrase of two rows alike but for 办理人

    @property
    def first_row(self) -> int:
        return len(self.titles) + len(self.header) + 1

    def add(self, row: list[Any] | None, *, reject: bool = False,
            stage: tuple[str, list[str]] | None = None) -> None:  # fmt: skip
        if row is None:
            self.blank.append(self.first_row + len(self.rows))
        if reject:
            self.rejected.append(self.first_row + len(self.rows))
        if stage:
            self.stages.append(stage)
        self.rows.append(row)

    def append_column(self, title: str, values: list[str]) -> None:
        """A column no import knows (the office's own), filled in on every row."""
        self.header[0].append(title)
        if len(self.header) == 2:
            self.header[1].append(None)
            letter = openpyxl.utils.get_column_letter(len(self.header[0]))
            self.merges.append(f"{letter}{len(self.titles) + 1}:{letter}{len(self.titles) + 2}")
        filled = (row for row in self.rows if row is not None)
        for row, value in zip(filled, values * len(self.rows), strict=False):
            row.append(value)

    def manifest(self) -> dict[str, Any]:
        return {
            "name": self.name, "file": self.file, "options": self.options,
            "data_rows": len(self.rows), "first_row": self.first_row,
            "rejected_rows": self.rejected, "blank_rows": self.blank, "twins": self.twins,
            "stages": self.stages, "kept": self.kept,
        }  # fmt: skip

    def workbook(self, path: Path, formats: dict[int, str] | None = None) -> None:
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = self.name[:20]
        width = len(self.header[-1])
        for number, (text, span) in enumerate(self.titles, 1):
            sheet.cell(number, 1, text).font = Font(
                bold=number == 1, size=16 if number == 1 else 11
            )
            if span > 1:
                sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=span)
        for offset, header in enumerate(self.header):
            for column, text in enumerate(header, 1):
                if text is not None:
                    cell = sheet.cell(len(self.titles) + offset + 1, column, text)
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(horizontal="center", wrap_text=True)
        for ref in self.merges:
            sheet.merge_cells(ref)
        for index, row in enumerate(self.rows):
            for column, value in enumerate(row or [], 1):
                cell = sheet.cell(self.first_row + index, column, value)
                if formats and column in formats and isinstance(value, datetime | date):
                    cell.number_format = formats[column]
        for column in range(1, width + 1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = 14
        book.save(path)


def street() -> Layout:
    """(1) 街道 台账范本: dates typed as 2026.3.5, 是否办结 是/否, a 包案领导 column."""
    p = People(1)
    out = Layout(
        "界湖街道信访台账", "01_街道台账范本.xlsx", ["--default", "信访来源=本级"], "street"
    )
    out.titles = [("界湖街道信访事项登记台账（2026年）", 12),
                  ("填报单位：界湖街道办事处　　　　　　填报时间：2026年10月31日", 1)]  # fmt: skip
    out.header = [["序号", "登记日期", "信访人", "联系电话", "住址", "反映问题", "信访形式",
                   "承办单位", "办理情况", "是否办结", "包案领导", "备注"]]  # fmt: skip
    units = ["街道城管办", "街道民政办", "街道社会事务办", "东关社区居委会", "街道规划建设办"]
    leaders = ["党工委副书记 孟庆海", "办事处副主任 颜廷军", "人大工委主任 崔文华"]
    dates = days(p, 30)
    for i, day in enumerate(dates):
        name, phone, content = p.name(), p.phone(), matter(p)
        unit: str | None = p.pick(units)
        text, done = "经核实已协调解决，已向信访人答复", "是"
        stage = None
        if i == 3:
            content = "反映在沂南县鑫源建筑公司承建的工地务工，拖欠工资16500元"
            unit, text, done = None, "已转县人社局办理，尚未答复", "否"
            stage = ("鑫源建筑公司", STILL)
        elif i in (5, 14):
            text, done = "正在办理中", "否"
            if i == 5:
                content = "反映澳柯玛小区12号楼化粪池堵塞外溢，物业推诿不处理"
                stage = ("12号楼化粪池", STILL)
        elif i in (7, 11, 19, 24):  # no 承办单位, the text alone says what was done
            unit = None
            text = ["楼道照明已于3月10日修复，信访人表示满意", "已协调供热公司入户检测并整改",
                    "经调解双方达成协议，已签字", "已答复信访人，按政策不符合条件"][(i % 4)]  # fmt: skip
            if i == 7:
                content = "反映振兴路东段星河苑小区楼道照明损坏三个月无人维修"
                text = "楼道照明已于3月10日修复，信访人表示满意"
                stage = ("星河苑小区楼道照明", DONE)
        row: list[Any] = [i + 1, f"{day.year}.{day.month}.{day.day}", name, phone,
                          p.town_address(), content, p.pick(["来访", "来访", "来信", "来电"]),
                          unit, text, done, p.pick(leaders), None]  # fmt: skip
        if i == 9:  # an anonymous letter
            row[2], row[3], row[4], row[6] = "匿名", None, None, "来信"
            row[5] = "匿名反映东关社区主任在低保评定中优亲厚友"
            row[11] = "匿名来信，无法回复"
        if i == 16:
            out.add(None)  # a blank row between entries
        if i == 22:  # the date was never filled in
            row[1] = None
            out.add(row, reject=True)
            continue
        out.add(row, stage=stage)
    out.kept = ["已转县人社局办理，尚未答复", "孟庆海", "楼道照明已于3月10日修复"]
    out.workbook(HERE / out.file)
    return out


def stability() -> Layout:
    """(2) County 稳控台账: a merged title, dates as real date cells (yyyy/m/d), 重点人员
    columns and 稳控措施 nobody maps; one ID number stored by Excel as a number."""
    p = People(2)
    out = Layout("重点人员稳控台账", "02_县稳控台账.xlsx", ["--default", "信访来源=本级"], "county")
    out.titles = [("沂南县重点信访人员稳控台账", 17),
                  ("填报单位：沂南县信访局　　　　截止时间：2026年10月31日", 1)]  # fmt: skip
    out.header = [["序号", "姓名", "性别", "身份证号码", "联系电话", "住址", "所属乡镇", "主要诉求",
                   "信访时间", "信访方式", "重点人员类别", "责任单位", "包案领导", "稳控责任人",
                   "稳控措施", "化解情况", "备注"]]  # fmt: skip
    kinds = ["多次赴市上访", "进京非访", "缠访闹访", "集体访组织者", "一般关注"]
    units = ["岸堤镇政府", "孙祖镇政府", "县人社局", "县自然资源局", "县住建局", "青驼镇政府"]
    for i, day in enumerate(days(p, 25)):
        id_number = p.id_number(1950, 1975)
        town = p.pick(["岸堤镇", "孙祖镇", "青驼镇", "双堠镇", "依汶镇"])
        state = p.pick(
            ["正在化解，尚未息诉罢访", "已签订息诉罢访协议，问题已化解", "正在化解，待司法鉴定结论"]
        )
        row: list[Any] = [
            i + 1, p.name(), p.sex(id_number), id_number, p.phone(), p.rural_address(),
            town, matter(p), datetime(day.year, day.month, day.day), p.pick(["来访", "来访", "来信", "来电"]),
            p.pick(kinds), p.pick(units), p.pick(["县委常委 周长青", "副县长 高振华", "县政协副主席 侯立新"]),
            f"包保民警{p.name()}", "落实“五包一”稳控措施，每周入户走访一次", state, None,
        ]  # fmt: skip
        stage = None
        if i == 4:
            row[7] = "反映青驼镇前石岭村采石场爆破震裂其房屋，要求赔偿并关停采石场"
            row[15] = "正在化解，尚未息诉罢访"
            stage = ("采石场爆破震裂", STILL)
        if i == 8:
            row[14] = "敏感节点前安排专人24小时盯守，包保民警徐振东每日见面"
        if i == 12:  # Excel turned the ID into a number: 15 significant digits, the rest lost
            row[3] = float(row[3].rstrip("X")[:17] + "0")
            out.add(row, reject=True)
            continue
        if i == 19:
            row[8] = None
            out.add(row, reject=True)
            continue
        out.add(row, stage=stage)
    out.kept = ["包保民警徐振东", "五包一", "待司法鉴定结论"]
    out.workbook(HERE / out.file, {9: "yyyy/m/d"})
    return out


def police() -> Layout:
    """(3) A police 信访 work-order import: 接件时间 as `2026-06-22 11:49:49.0`."""
    p = People(3)
    out = Layout("信访工单", "03_公安信访工单导入.xlsx", ["--default", "信访来源=本级"], "police")
    out.header = [["工单编号", "接件时间", "信访人", "证件号码", "联系电话", "信访方式", "信访类型",
                   "问题属地", "反映的主要问题", "处置方式", "办理单位", "办结状态", "办结时间",
                   "办理结果"]]  # fmt: skip
    stations = ["界湖派出所", "岸堤派出所", "孙祖派出所", "交警大队", "治安大队", "刑侦大队"]
    police_matters = [
        "反映其在{p}被他人殴打致轻微伤，报警后至今未处理",
        "反映{p}有人组织赌博，多次举报无人查处",
        "反映其电动车在{p}被盗，立案两个月未破案",
        "反映其子户口迁移手续办理受阻，派出所要求提供材料过多",
        "反映{p}路口交通事故责任认定不公，要求复核",
        "反映遭遇电信诈骗被骗{m}元，要求追回损失",
    ]
    for i, day in enumerate(days(p, 24)):
        when = ts(day, p)
        id_number = p.id_number()
        content = p.pick(police_matters).format(p=p.pick(PLACES), m=p.rnd.randrange(3, 90) * 1000)
        state = p.pick(["已办结", "已办结", "办理中", "已受理"])
        closed = when + timedelta(days=p.rnd.randrange(5, 40), hours=3)
        result = {"已办结": "经调查核实，已依法处理并答复信访人", "办理中": "正在调查取证，待鉴定结果出具后答复",
                  "已受理": "已受理，正在核查"}[state]  # fmt: skip
        row: list[Any] = [
            f"YNGA{when:%Y%m%d}{i + 1:04d}", f"{when:%Y-%m-%d %H:%M:%S}.0", p.name(), id_number,
            p.phone(), p.pick(["来访", "来信", "来电", "网上信访"]), p.pick(["治安管理", "刑事案件", "交通管理", "户籍管理", "执法监督"]),
            p.pick(["界湖街道", "岸堤镇", "孙祖镇"]), content, p.pick(["转办", "直接办理", "调解"]),
            p.pick(stations), state, f"{closed:%Y-%m-%d %H:%M:%S}.0" if state == "已办结" else None, result,
        ]  # fmt: skip
        stage = None
        if i == 2:
            row[8], row[11], row[12] = (
                "反映其在滨河花园门口被三名男子围殴，要求追究刑事责任",
                "办理中",
                None,
            )
            row[13] = "正在调查取证，待鉴定结果出具后答复"
            stage = ("滨河花园门口被三名男子围殴", STILL)
        if i == 6:
            row[8], row[11] = "反映历山路与人民路路口红绿灯配时不合理，早高峰拥堵严重", "已办结"
            row[12], row[13] = (
                f"{closed:%Y-%m-%d %H:%M:%S}.0",
                "交警大队已调整配时方案，已电话答复信访人",
            )
            stage = ("红绿灯配时不合理", DONE)
        if i == 10:  # anonymous internet report: no name, no ID, no phone
            row[2], row[3], row[4], row[5] = None, None, None, "网上信访"
            row[8] = "匿名举报县经济开发区某KTV容留卖淫"
        if i == 15:
            out.add(None)
        out.add(row, stage=stage)
    out.append_column(
        "接件民警", [f"{p.name()}（警号{p.rnd.randrange(10**5, 10**6)}）" for _ in range(25)]
    )
    out.rows[0][-1] = "丛培军（警号371062）"
    out.kept = ["待鉴定结果出具后答复", "丛培军"]
    out.workbook(HERE / out.file)
    return out


def discipline() -> Layout:
    """(4) A 纪检 export: most informants anonymous; 身份证号 is the accused's; 处理状态 says
    初核后立案审查 / 正在初核; two anonymous rows alike but for 承办人."""
    p = People(4)
    out = Layout("信访举报登记", "04_纪检信访举报.xlsx",
                 ["--default", "信访来源=本级", "--default", "信访形式=来信"], "discipline")  # fmt: skip
    out.titles = [("中共沂南县纪委 沂南县监委信访举报登记表（2026年）", 15)]
    out.header = [["序号", "收件时间", "举报人姓名", "联系电话", "被反映人", "被反映人单位及职务",
                   "身份证号", "举报类型", "问题属性", "反映的主要问题", "承办部门", "办理人",
                   "处理状态", "处理情况", "备注"]]  # fmt: skip
    posts = [
        "岸堤镇党委副书记",
        "县自然资源局土地利用科科长",
        "孙祖镇东村党支部书记",
        "县教体局基建办主任",
        "青驼镇财政所所长",
        "县医保局稽核科副科长",
    ]
    problems = [("违反廉洁纪律", "利用职务便利在工程项目中为亲属承揽业务"),
                ("违反群众纪律", "在低保评定中优亲厚友，向群众索要好处费"),
                ("违反中央八项规定精神", "违规收受礼品礼金，公车私用"),
                ("违反工作纪律", "对群众反映问题推诿扯皮、长期不办"),
                ("涉嫌职务违法", "虚报冒领惠农补贴资金")]  # fmt: skip
    states = ["正在初核", "初核后立案审查", "谈话函询", "予以了结", "已办结"]
    for i, day in enumerate(days(p, 30)):
        attribute, problem = p.pick(problems)
        accused = p.name()
        anonymous = i % 3 != 0
        state = p.pick(states)
        row: list[Any] = [
            i + 1, f"{day:%Y-%m-%d}", "匿名" if anonymous else p.name(),
            None if anonymous else p.phone(), accused, p.pick(posts), p.id_number(1965, 1988),
            p.pick(["检举控告", "检举控告", "申诉", "批评建议"]), attribute, f"反映{accused}{problem}",
            p.pick(["第一纪检监察室", "第二纪检监察室", "案件审理室", "党风政风监督室"]),
            p.pick(["刘洋", "孙丽", "高杰"]), state,
            {"正在初核": "已成立初核组，正在调取相关资料", "初核后立案审查": "初核发现问题线索属实，已立案审查",
             "谈话函询": "已对被反映人进行谈话函询", "予以了结": "经初核反映问题不属实，予以了结",
             "已办结": "经查部分属实，给予党内警告处分，已向实名举报人反馈"}[state],
            None,
        ]  # fmt: skip
        stage = None
        if i == 0:
            row[5] = "县医保局稽核科副科长"
        if i == 4:
            row[9], row[12], row[13] = (
                "反映县教体局基建办主任在操场改造工程中收受施工方红包",
                "正在初核",
                "正在初核",
            )
            stage = ("操场改造工程中收受", STILL)
        if i == 7:
            row[9], row[12] = "反映孙祖镇东村党支部书记侵占村集体土地流转收入", "初核后立案审查"
            row[13] = "初核后立案审查，已移送审查调查室"
            stage = ("侵占村集体土地流转收入", STILL)
        if i == 10:
            row[9], row[12] = "反映青驼镇财政所所长上班时间打牌赌博", "已办结"
            row[13] = "经查部分属实，给予党内警告处分，已向实名举报人反馈"
            stage = ("上班时间打牌赌博", DONE)
        if i in (13, 14):  # the same anonymous letter logged twice, by two staff
            row[1:6] = ["2026-05-18", "匿名", None, "韩建军", "岸堤镇党委副书记"]
            row[9] = "反映岸堤镇党委副书记韩建军违规操办儿子婚宴，宴请管理服务对象"
            row[11] = "刘洋" if i == 13 else "孙丽"
            row[6], row[12], row[13] = ACCUSED_ID, "正在初核", "正在初核"
        if i == 20:
            row[1] = None
            out.add(row, reject=True)
            continue
        out.add(row, stage=stage)
    out.kept = ["已移送审查调查室", "县医保局稽核科副科长"]
    out.twins = "韩建军违规操办儿子婚宴"
    out.workbook(HERE / out.file)
    return out


HOTLINE_MATTERS = [
    "市民来电反映{place}小区地下车库长期积水，蚊虫滋生，物业不予处理，诉求尽快排水",
    "市民来电反映{place}一家餐馆油烟直排，影响居民开窗通风，诉求督促安装净化设备",
    "市民来电反映其在{place}购买的预付卡商家闭店，余额{money}元无法退还",
    "市民来电咨询灵活就业人员养老保险缴费基数及补缴政策",
    "市民来电反映{place}路灯不亮已有一个月，夜间出行不便",
    "市民来电反映{place}建筑工地夜间施工至凌晨，噪音扰民",
    "市民来电反映其公积金提取申请提交{days}天仍未到账",
]


def hotline_row_matter(p: People) -> str:
    return p.pick(HOTLINE_MATTERS).format(
        place=p.pick(PLACES), money=p.rnd.randrange(3, 40) * 100, days=p.rnd.randrange(20, 60)
    )


def hotline_new() -> Layout:
    """(5) City 12345 export, current system: ISO times with +08:00, 12345-prefixed names,
    two rows alike but for 办理人."""
    p = People(5)
    out = Layout("工单明细", "05_12345热线导出_新版.xlsx",
                 ["--default", "信访来源=12345热线", "--default", "信访形式=来电"], "hotline")  # fmt: skip
    out.header = [["12345工单编号", "工单来源", "12345受理时间", "姓名", "联系电话", "诉求地址",
                   "工单类型", "标题", "12345内容描述", "承办单位", "办理人", "答复市民要点",
                   "办结状态", "规定回复时间", "实际回复时间"]]  # fmt: skip
    units = [
        "沂南县住建局",
        "沂南县综合行政执法局",
        "沂南县人社局",
        "界湖街道办事处",
        "沂南县市场监管局",
    ]
    for i, day in enumerate(days(p, 32)):
        when = ts(day, p)
        content = hotline_row_matter(p)
        state = p.pick(["已办结", "已办结", "办理中"])
        due = when + timedelta(days=5)
        replied = when + timedelta(days=p.rnd.randrange(1, 5), hours=2)
        row: list[Any] = [
            f"2026{when:%m%d}{p.rnd.randrange(10**6):06d}", p.pick(["电话", "电话", "网站", "微信", "市长信箱"]),
            f"{when:%Y-%m-%dT%H:%M:%S}+08:00", p.name(), p.phone(), p.town_address(),
            p.pick(["投诉", "求助", "咨询", "建议"]), content[6:22], content, p.pick(units),
            p.pick(["张伟", "李娜", "王磊", "赵静"]),
            "已联系市民，现场核实后已处理完毕，市民表示认可" if state == "已办结" else "正在办理中",
            state, f"{due:%Y-%m-%dT%H:%M:%S}+08:00",
            f"{replied:%Y-%m-%dT%H:%M:%S}+08:00" if state == "已办结" else None,
        ]  # fmt: skip
        stage = None
        if i == 3:
            row[8] = "市民来电反映其在沂南县某物流公司工作期间被拖欠工资三个月，诉求帮助追讨"
            row[9], row[11], row[12], row[14] = (
                "沂南县人社局",
                "已转县人社局办理，尚未答复",
                "办理中",
                None,
            )
            stage = ("某物流公司工作期间被拖欠工资", STILL)
        if i == 5:
            row[8] = "市民来电反映滨河花园东门外下水井盖缺失，存在安全隐患"
            row[11], row[12] = "已安排维修人员更换井盖，已电话回复市民，市民满意", "已办结"
            row[14] = f"{replied:%Y-%m-%dT%H:%M:%S}+08:00"
            stage = ("东门外下水井盖缺失", DONE)
        if i in (9, 10):  # logged twice, by two call takers: all alike but 办理人
            row[:10] = ["20260420001287", "电话", "2026-04-20T09:12:33+08:00", "宋秀英",
                        "15853912876", "沂南县界湖街道温泉路86号", "投诉", "小区二次供水水质浑浊",
                        "市民来电反映温泉路86号小区二次供水水质浑浊发黄，诉求检测水质",
                        "沂南县住建局"]  # fmt: skip
            row[10] = "张伟" if i == 9 else "赵静"
            # answered after the call, as the twins' own 受理时间 says
            row[13], row[14] = "2026-04-25T09:12:33+08:00", "2026-04-23T16:40:05+08:00"
        if i == 17:
            out.add(None)
        if i == 21:
            row[2] = None
            out.add(row, reject=True)
            continue
        out.add(row, stage=stage)
    out.append_column("三级分类", ["城乡建设>物业管理>物业服务质量", "劳动和社会保障>劳动关系>拖欠工资",
                                   "市场监管>消费维权>预付卡", "城市管理>市容环境>噪音扰民"])  # fmt: skip
    out.kept = ["已转县人社局办理，尚未答复", "预付卡"]
    out.twins = "二次供水水质浑浊发黄"
    out.workbook(HERE / out.file)
    return out


def hotline_old() -> Layout:
    """(6) The same hotline's older export: a title line, 受理时间 (the call time, not
    xinfang's decision date) with milliseconds, 来电人 / 来电号码, 未办结/已办结."""
    p = People(6)
    out = Layout("Sheet1", "06_12345热线导出_旧版.xlsx",
                 ["--map", "来电人=信访人姓名", "--default", "信访来源=12345热线"], "hotline")  # fmt: skip
    out.titles = [("临沂市12345政务服务便民热线工单明细（导出时间：2024-12-31 16:02:11）", 13)]
    out.header = [["工单编号", "工单来源", "受理时间", "来电人", "来电号码", "问题属地", "诉求地址",
                   "工单类型", "内容描述", "承办单位", "办理答复情况", "办结状态", "回复时间"]]  # fmt: skip
    for i, day in enumerate(days(p, 28)):
        when = ts(day, p)
        state = p.pick(["已办结", "已办结", "未办结"])
        replied = when + timedelta(days=p.rnd.randrange(1, 6))
        row: list[Any] = [
            f"LY{when:%Y%m%d}{i + 7:05d}", p.pick(["电话", "电话", "网站"]),
            f"{when:%Y-%m-%d %H:%M:%S}.{p.rnd.randrange(1000):03d}", p.name(), p.phone(),
            p.pick(["沂南县", "沂南县界湖街道"]), p.town_address(), p.pick(["投诉", "求助", "咨询"]),
            hotline_row_matter(p), p.pick(["沂南县住建局", "沂南县水务局", "沂南县供电公司", "界湖街道办事处"]),
            "已处理，已回复市民" if state == "已办结" else "正在办理中", state,
            f"{replied:%Y-%m-%d %H:%M:%S}.000" if state == "已办结" else None,
        ]  # fmt: skip
        stage = None
        if i == 2:
            row[8] = "市民来电反映城东社区集中供热管道漏水，路面结冰，诉求抢修"
            row[10], row[11], row[12] = "正在办理中，供热公司已派人排查漏点", "未办结", None
            stage = ("集中供热管道漏水", STILL)
        if i == 6:
            row[8] = "市民来电反映沂蒙人家小区门口公交站牌被撞倒无人修复"
            row[10], row[11] = "公交公司已于次日重新安装站牌，已回复市民", "已办结"
            stage = ("公交站牌被撞倒", DONE)
        if i == 14:
            row[3], row[4] = "匿名", None
        if i == 11:
            out.add(None)
        if i == 19:
            row[2] = None
            out.add(row, reject=True)
            continue
        out.add(row, stage=stage)
    out.rows[0][4] = "0539-3216688"  # 来电号码: nobody maps it, but it is kept
    out.kept = ["供热公司已派人排查漏点", "3216688"]
    out.workbook(HERE / out.file)
    return out


def housing() -> Layout:
    """(7) 住建局 信访件 table: cases sent down by 转来机关 with their 转来编号 (上级交办),
    信访件状态 办理中/已受理/已办结, 承办科室, two rows alike but for 办理人."""
    p = People(7)
    out = Layout("信访件", "07_住建局信访件.xlsx", ["--default", "信访形式=来信"], "housing")
    out.titles = [("沂南县住房和城乡建设局信访件登记表", 16)]
    out.header = [["序号", "收文编号", "收文时间", "转来机关", "转来编号", "信访人", "联系电话",
                   "信访标题", "概况", "信访件状态", "承办科室", "办理人", "限办时间", "办结时间",
                   "办理答复情况"]]  # fmt: skip
    titles = [("商品房逾期交房", "反映所购{place}商品房逾期未交房，开发商拒不支付违约金"),
              ("物业服务问题", "反映{place}物业公司收费不服务，电梯长期停运"),
              ("房屋质量问题", "反映{place}新购住房墙体开裂、屋面渗水，开发商拒绝维修"),
              ("办证难", "反映{place}小区交房五年仍无法办理不动产权证"),
              ("维修资金", "反映{place}小区维修资金使用申请迟迟未审批")]  # fmt: skip
    for i, day in enumerate(days(p, 26)):
        title, text = p.pick(titles)
        state = p.pick(["已办结", "已办结", "办理中", "已受理"])
        finished = day + timedelta(days=p.rnd.randrange(10, 50))
        row: list[Any] = [
            i + 1, f"沂住建信〔2026〕{i + 11}号", f"{day:%Y/%m/%d}",
            p.pick(["沂南县信访局", "临沂市住建局", "沂南县信访局", "山东省住建厅"]),
            f"YNXF2026{p.rnd.randrange(10**5):05d}", p.name(), p.phone(), title,
            text.format(place=p.pick(PLACES)), state,
            p.pick(["房地产市场监管科", "物业管理科", "建筑市场监管科", "住房保障科"]),
            p.pick(["吴海燕", "邵明亮", "丁立新"]), f"{day + timedelta(days=60):%Y/%m/%d}",
            f"{finished:%Y/%m/%d}" if state == "已办结" else None,
            {"已办结": "经调查，已责令开发企业整改，书面答复信访人", "办理中": "已督促开发商整改，正在办理中",
             "已受理": None}[state],
        ]  # fmt: skip
        stage = None
        if i == 1:
            row[8], row[9], row[13] = (
                "反映滨河花园3号楼开发商擅自变更规划，绿地改建商铺",
                "办理中",
                None,
            )
            row[14] = "已约谈开发企业，正在联合自然资源局核查规划变更情况"
            stage = ("绿地改建商铺", STILL)
        if i == 4:
            row[8], row[9] = "反映县经济开发区公租房分配不公，有人一家占用两套", "已办结"
            row[13] = f"{day + timedelta(days=30):%Y/%m/%d}"
            row[14] = "经核查属实，已收回违规占用的一套公租房，书面答复信访人"
            stage = ("一家占用两套", DONE)
        if i in (12, 13):  # entered twice, once by each of two staff
            row[1:11] = ["沂住建信〔2026〕23号", "2026/06/22", "沂南县信访局", "YNXF202600871",
                         "黄桂芳", "13953921477", "物业服务问题",
                         "反映历山路锦绣家园物业擅自提高停车费，业主不同意", "办理中", "物业管理科"]  # fmt: skip
            row[11] = "吴海燕" if i == 12 else "邵明亮"
            row[13], row[14] = None, "已督促开发商整改，正在办理中"
            row[12] = "2026/08/21"  # 60 days from their own 收文时间, as every row's
        if i == 18:
            out.add(None)
        out.add(row, stage=stage)
    out.append_column(
        "局领导批示",
        ["请物业管理科牵头，会同街道办理", "请房地产市场监管科依法处理", "阅，按程序办理"],
    )
    out.kept = ["正在联合自然资源局核查规划变更情况", "会同街道办理"]
    out.twins = "锦绣家园物业擅自提高停车费"
    out.workbook(HERE / out.file)
    return out


def settled_xls(xlsx: Path) -> Layout:
    """(8) An old .xls 办结表 (县人社局): a 3-row merged title, a 2-row header (办理情况 over
    承办单位 / 办结时间 / 办理结果), dates written 2026年06月22日（周一） and 26-6-22."""
    p = People(8)
    out = Layout("办结表", "08_人社局办结表.xls",
                 ["--map", "来信来访日期=信访时间", "--default", "信访来源=本级"], "settled")  # fmt: skip
    out.titles = [("沂南县人力资源和社会保障局", 11), ("2026年信访事项办结情况表", 11),
                  ("填报单位（盖章）：县人社局信访办　　　　填报日期：2026年10月30日", 11)]  # fmt: skip
    out.header = [["序号", "信访人", "来信来访日期", "信访形式", "反映问题", "办理情况", None, None,
                   "是否办结", "备注"],
                  [None, None, None, None, None, "承办单位", "办结时间", "办理结果", None, None]]  # fmt: skip
    out.merges = ["A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:E5", "F4:H4", "I4:I5", "J4:J5"]
    wages = ["反映在{place}某建筑工地务工被拖欠工资{money}元", "反映其单位未依法缴纳社会保险",
             "反映其父亲养老金待遇核定有误", "反映劳动合同到期后单位不支付经济补偿金{money}元",
             "反映工伤认定申请超期未作出决定", "反映被辞退后单位拒不出具离职证明"]  # fmt: skip
    for i, day in enumerate(days(p, 24)):
        finished = day + timedelta(days=p.rnd.randrange(8, 55))
        done = p.pick(["是", "是", "否"])
        row: list[Any] = [
            i + 1, p.name(), f"{day:%Y年%m月%d日}（周{WEEKDAYS[day.weekday()]}）",
            p.pick(["来访", "来信", "来电"]),
            p.pick(wages).format(place=p.pick(PLACES), money=p.rnd.randrange(6, 80) * 500),
            p.pick(["劳动保障监察大队", "养老保险科", "工伤保险科", "劳动关系科"]),
            f"{finished.year % 100}-{finished.month}-{finished.day}" if done == "是" else None,
            "已督促用人单位支付，信访人已领取" if done == "是" else "正在办理中", done, None,
        ]  # fmt: skip
        stage = None
        if i == 3:
            row[4] = "反映在岸堤镇驻地新华书店工地务工，被拖欠工资23500元"
            row[6], row[7], row[8] = None, "正在办理中，已责令总包单位限期支付", "否"
            stage = ("新华书店工地务工", STILL)
        if i == 8:
            row[4] = "反映其父亲视同缴费年限认定有误，养老金每月少发300元"
            row[7], row[8] = "经复核已重新核定视同缴费年限，补发差额", "是"
            row[6] = f"{finished.year % 100}-{finished.month}-{finished.day}"
            stage = ("视同缴费年限认定有误", DONE)
        if i == 10:
            row[9] = "信访人系退役军人，已同步告知县退役军人事务局"
        if i == 15:
            row[2] = None
            out.add(row, reject=True)
            continue
        out.add(row, stage=stage)
    out.append_column("经办人", ["韦立新", "鞠红霞"])
    out.kept = ["已责令总包单位限期支付", "韦立新"]
    out.workbook(xlsx)
    return out


def township_ods(xlsx: Path) -> Layout:
    """(9) A 乡镇 来信来访登记簿 kept in WPS/LibreOffice as .ods: times typed 2026-6-22 9:5,
    办结情况 已办结/未办结/正在办理."""
    p = People(9)
    out = Layout("登记簿", "09_岸堤镇来信来访登记簿.ods",
                 ["--map", "来访事由=反映问题", "--default", "信访来源=本级"], "township")  # fmt: skip
    out.titles = [("岸堤镇来信来访登记簿", 13)]
    out.header = [["编号", "来访时间", "姓名", "人数", "身份证号码", "电话", "住址", "来访事由",
                   "信访形式", "接待人", "处理意见", "交办单位", "办结情况"]]  # fmt: skip
    for i, day in enumerate(days(p, 22)):
        when = ts(day, p)
        state = p.pick(["已办结", "已办结", "未办结", "正在办理"])
        row: list[Any] = [
            f"AD2026-{i + 1:03d}", f"{when.year}-{when.month}-{when.day} {when.hour}:{when.minute}",
            p.name(), p.pick([1, 1, 1, 2, 3]), p.id_number(), p.phone(), p.rural_address(),
            matter(p), p.pick(["来访", "来访", "来信"]), p.pick(["张庆华", "刘明"]),
            "当场解释政策" if state == "已办结" else "交村委会调查处理",
            p.pick(["镇民政办", "镇农业综合服务中心", "镇综治中心", None]),
            state,
        ]  # fmt: skip
        stage = None
        if i == 2:
            row[7] = "反映岸堤镇东村小学门前道路无减速带，学生上下学不安全"
            row[10], row[11], row[12] = "交镇交通管理站查看，尚未答复", "镇综治中心", "正在办理"
            stage = ("学生上下学不安全", STILL)
        if i == 5:
            row[7] = "反映岸堤镇河阳村自来水管道冻裂，全村停水三天"
            row[10], row[11], row[12] = (
                "镇水利站已抢修，当日恢复供水",
                "镇农业综合服务中心",
                "已办结",
            )
            stage = ("自来水管道冻裂", DONE)
        if i == 9:
            out.add(None)
        out.add(row, stage=stage)
    out.kept = ["交镇交通管理站查看"]
    out.workbook(xlsx)
    return out


def convert(xlsx: Path, to: str, target: Path) -> None:
    """LibreOffice writes the .xls / .ods (BIFF8 with its merged cells, as an office's would)."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{work}/profile",
             "--convert-to", to, "--outdir", work, str(xlsx)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        shutil.move(Path(work) / f"{xlsx.stem}.{to}", target)


def main() -> None:
    made: list[Layout] = [street(), stability(), police(), discipline(), hotline_new(),
                          hotline_old(), housing()]  # fmt: skip
    with tempfile.TemporaryDirectory() as work:
        for build, to in ((settled_xls, "xls"), (township_ods, "ods")):
            layout = build(Path(work) / f"{build.__name__}.xlsx")
            convert(Path(work) / f"{build.__name__}.xlsx", to, HERE / layout.file)
            made.append(layout)
    manifest = [layout.manifest() for layout in made]
    (HERE / "layouts.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    for layout in made:
        print(f"{layout.file}: {len(layout.rows)} rows")


if __name__ == "__main__":
    main()
