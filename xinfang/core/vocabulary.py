"""The clerk's words and the office's thresholds, each defined once, with its glossary name.

Every module takes them from here; tests/test_vocabulary.py fails if a copy of a value
appears as a literal anywhere else in xinfang/. Standard library only: `show` imports it.

Two kinds of list:
- the legal lists, fixed in code (答复结果, 是否属实, 保管期限 …): a value outside them is
  refused;
- the office's own lists (信访来源, 信访形式, 回访方式, 满意度 …, settings.LISTS) live in the
  ledger (table `choices`; a new ledger gets schema.sql's defaults) and the office edits
  them. The code names only the few values a rule hangs on (上级交办, 不满意 …); a test
  checks that schema.sql's defaults hold each of them, and the forms print the office's
  lists as they stand, never a copy.

Statuses and their labels are the state machine's (states.Status); the deadline stages
and their labels are the rule sets' (rules.STAGES).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

# --- The legal lists, fixed ------------------------------------------------------------
REPLY_RESULTS = ("已解决", "正在解决", "暂时无法解决", "不能解决")  # seed 000 五
FINDINGS = ("属实", "部分属实", "不属实")
RETENTIONS = ("永久", "30年", "10年")
NOTICE_METHODS = ("书面告知书", "当场告知", "电话告知", "短信告知", "网上告知")
WRITTEN_NOTICE = NOTICE_METHODS[0]  # the notice a clerk gives unless told otherwise
# Notices given by word of mouth: recorded, but no 书面告知 where the rules want one.
# (当场告知 is the decision handed over on the spot, which seed 000 三 asks no letter for.)
ORAL_NOTICES = (NOTICE_METHODS[2],)  # 电话告知
# A notice or revisit that could not be made (信访人无法联系): the duty is met with the
# reason on record (seed 000 四: "信访人匿名投诉或无法与信访人取得联系的除外").
UNREACHABLE = "无法联系"
REVIEW_OUTCOMES = ("维持", "撤销", "变更")  # 复查 / 复核 conclusions
# 送达: how a written decision (答复书, 复查意见书) reached the petitioner.
DELIVERY_METHODS = ("直接送达", "邮寄", "电子送达", "公告")
# Where an attachment goes in the 案卷目录 (seed 000 案卷目录: sections 2, 4, 5 and 8).
SOURCE_MATERIALS, INQUIRY_MATERIALS, OTHER_MATERIALS = "来源材料", "调查材料", "其他材料"
RECEIPTS = "送达回执"  # filed with the 答复书 (section 5: 信访答复意见书（送达回执）)
ATTACHMENT_KINDS = (SOURCE_MATERIALS, INQUIRY_MATERIALS, RECEIPTS, OTHER_MATERIALS)

# --- Values of the office's lists that a rule hangs on ----------------------------------
OWN_SOURCE = "本级"  # the petition came to the office itself: no "（来源）" on the forms
UPPER_SOURCE = "上级交办"  # needs the upper case number; always within 督办 scope
RECEPTION_SOURCE = "领导接访"  # a leader's reception day: its own two forms (seed 003)
HOTLINE_SOURCE = "12345热线"  # a city hotline's work order
LETTER_FORM, CALL_FORM, ONLINE_FORM = "来信", "来电", "网上信访"  # forms a pasted text tells
# The channels a 12345 work order names (工单来源) as the forms they are.
HOTLINE_CHANNELS = {
    "电话": CALL_FORM, "热线": CALL_FORM, "网站": ONLINE_FORM, "微信": ONLINE_FORM,
    "市长信箱": ONLINE_FORM, "APP": ONLINE_FORM, "手机APP": ONLINE_FORM, "短信": ONLINE_FORM,
    "网络": ONLINE_FORM,
}  # fmt: skip
ONLINE_SOURCE = "网络舆情"  # online opinion: its own reply deadline on the original site
# Two scales of satisfaction: seed 000's four boxes (非常满意/满意/一般/不满意) and seed
# 002's three values (满意/基本满意/不满意). Each value is counted on its own; 满意率 counts
# SATISFACTION_COUNTED, and 基本满意 only where the office's setting says so.
VERY_SATISFIED = "非常满意"  # seed 000's top box
SATISFIED = "满意"  # how a revisit that is not 不满意 is published
BASICALLY_SATISFIED = "基本满意"  # seed 002's middle value
DISSATISFIED = "不满意"  # the revisit that sends a case round again
SATISFACTION_COUNTED = (VERY_SATISFIED, SATISFIED)
# list (settings.LISTS) -> the values of it the code relies on
RELIED_ON: dict[str, tuple[str, ...]] = {
    "source": (OWN_SOURCE, UPPER_SOURCE, RECEPTION_SOURCE, ONLINE_SOURCE),
    "satisfaction": (VERY_SATISFIED, SATISFIED, BASICALLY_SATISFIED, DISSATISFIED),
}
OWN_UNIT = "本单位"  # the office itself, where a breakdown names handling units
# 事项类别 whose petitioner is named on no paper sent out of the office (条例 art. 30).
ACCUSATION = "检举控告类"
URGENT = "紧急"  # how a 重大、紧急信访事项 is marked in the lists and the morning check

# --- Thresholds ------------------------------------------------------------------------
COLLECTIVE = 5  # 人数 ≥ this: 集体访 (DOMAIN.md)
REPEAT_WINDOW_DAYS = 180  # default of the setting repeat_window_days (schema.sql)
SIMILAR = 0.5  # Dice coefficient of character pairs above which two complaints match
SIMILARITY_LOOKBACK = 3000  # petitions whose content a new one is compared with
RECEPTION_LOOKBACK = timedelta(days=7)  # petitions written up in the week after a reception
TREND_DAYS = 30  # the length of each window compared for 同类事项集中反映
TREND_WINDOWS = 3  # how many earlier windows make the baseline
TREND_MINIMUM = 3  # a trend needs at least this many cases in the latest window


@dataclass(frozen=True)
class Term:
    chinese: str
    english: str


# Constant -> its glossary names (the README's glossary lists them; a test keeps this whole).
GLOSSARY: dict[str, Term] = {
    "REPLY_RESULTS": Term("答复结果", "reply result"),
    "FINDINGS": Term("是否属实", "finding"),
    "RETENTIONS": Term("保管期限", "retention"),
    "NOTICE_METHODS": Term("告知方式", "notice method"),
    "WRITTEN_NOTICE": Term("书面告知书", "written notice"),
    "ORAL_NOTICES": Term("口头告知", "oral notices"),
    "UNREACHABLE": Term("无法联系", "unreachable"),
    "REVIEW_OUTCOMES": Term("复查/复核结论", "review outcome"),
    "SOURCE_MATERIALS": Term("来源材料", "source materials"),
    "INQUIRY_MATERIALS": Term("调查材料", "inquiry materials"),
    "OTHER_MATERIALS": Term("其他材料", "other materials"),
    "RECEIPTS": Term("送达回执", "delivery receipts"),
    "DELIVERY_METHODS": Term("送达方式", "delivery method"),
    "ATTACHMENT_KINDS": Term("材料类别", "attachment kind"),
    "OWN_SOURCE": Term("本级", "own source"),
    "UPPER_SOURCE": Term("上级交办", "upper source"),
    "RECEPTION_SOURCE": Term("领导接访", "reception source"),
    "ONLINE_SOURCE": Term("网络舆情", "online source"),
    "HOTLINE_SOURCE": Term("12345热线", "hotline source"),
    "LETTER_FORM": Term("来信", "letter form"),
    "CALL_FORM": Term("来电", "call form"),
    "ONLINE_FORM": Term("网上信访", "online form"),
    "HOTLINE_CHANNELS": Term("12345工单来源", "hotline channel"),
    "VERY_SATISFIED": Term("非常满意", "very satisfied"),
    "SATISFIED": Term("满意", "satisfied"),
    "BASICALLY_SATISFIED": Term("基本满意", "basically satisfied"),
    "SATISFACTION_COUNTED": Term("计入满意率的满意度", "satisfaction counted"),
    "DISSATISFIED": Term("不满意", "dissatisfied"),
    "RELIED_ON": Term("代码依赖的列表值", "relied-on list values"),
    "OWN_UNIT": Term("本单位", "own unit"),
    "ACCUSATION": Term("检举控告类", "accusation"),
    "URGENT": Term("重大、紧急信访事项", "urgent"),
    "COLLECTIVE": Term("集体访人数", "collective (persons)"),
    "REPEAT_WINDOW_DAYS": Term("重复信访查找天数", "repeat window (days)"),
    "SIMILAR": Term("内容相似度", "similar (Dice)"),
    "SIMILARITY_LOOKBACK": Term("比对的近期信访件数", "similarity lookback"),
    "RECEPTION_LOOKBACK": Term("领导接访补登天数", "reception lookback"),
    "TREND_DAYS": Term("同类事项集中反映窗口天数", "trend days"),
    "TREND_WINDOWS": Term("比较的此前窗口数", "trend windows"),
    "TREND_MINIMUM": Term("集中反映最少件数", "trend minimum"),
}
