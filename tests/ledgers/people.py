"""Made-up but well-formed people for the test ledgers: names, mobile numbers and 18-digit
ID numbers with a valid check digit (GB 11643), all in 临沂市 (沂南县 and its neighbours).
Seeded, so every run of make_ledgers.py writes the same workbooks."""

from __future__ import annotations

import random
from datetime import date, timedelta

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = [
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "凤英",
    "建国",
    "建军",
    "建华",
    "志强",
    "国庆",
    "卫东",
    "红梅",
    "海燕",
    "丽娟",
    "德胜",
    "明亮",
    "淑珍",
    "玉珍",
    "金凤",
    "振华",
    "立新",
    "玉梅",
    "春生",
    "长青",
    "永胜",
    "庆华",
    "学军",
    "宝山",
    "翠花",
    "树林",
    "爱华",
    "晓明",
    "丽",
    "伟",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
    "平",
    "刚",
    "桂芳",
    "文华",
    "传芳",
    "成刚",
]
# 临沂市's county codes: 兰山区, 罗庄区, 河东区, 沂南县, 郯城县, 沂水县, 兰陵县, 费县, 莒南县
REGIONS = ("371302", "371311", "371312", "371321", "371321", "371321", "371322", "371323",
           "371324", "371325", "371327")  # fmt: skip
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
MOBILE = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
          "182", "183", "187", "188", "130", "131", "132", "155", "156", "185", "186", "133",
          "153", "180", "189", "177", "199")  # fmt: skip

TOWNS = ("界湖街道", "岸堤镇", "孙祖镇", "双堠镇", "青驼镇", "张庄镇", "砖埠镇", "葛沟镇",
         "杨家坡镇", "大庄镇", "辛集镇", "蒲汪镇", "湖头镇", "苏村镇", "铜井镇", "依汶镇",
         "马牧池乡")  # fmt: skip
VILLAGES = ("东村", "西村", "南楼村", "北沟村", "王家庄", "李家官庄", "后湖村", "前石岭村",
            "河阳村", "朱家坡村", "高家岭村", "柳树沟村", "常山庄村")  # fmt: skip
STREETS = ("澳柯玛大道", "振兴路", "历山路", "人民路", "澳柯玛小区", "银雀山路", "沂蒙路",
           "芙蓉路", "城东社区", "温泉路")  # fmt: skip


def check_digit(first17: str) -> str:
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


class People:
    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.seen: set[str] = set()

    def name(self) -> str:
        while True:
            name = self.rnd.choice(SURNAMES) + self.rnd.choice(GIVEN)
            if name not in self.seen:
                self.seen.add(name)
                return name

    def sex(self, id_number: str) -> str:
        return "男" if int(id_number[16]) % 2 else "女"

    def id_number(self, born_from: int = 1945, born_to: int = 1998) -> str:
        born = date(born_from, 1, 1) + timedelta(
            days=self.rnd.randrange((date(born_to, 12, 31) - date(born_from, 1, 1)).days)
        )
        first17 = f"{self.rnd.choice(REGIONS)}{born:%Y%m%d}{self.rnd.randrange(1000):03d}"
        return first17 + check_digit(first17)

    def phone(self) -> str:
        return self.rnd.choice(MOBILE) + f"{self.rnd.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"0539-{self.rnd.choice('35678')}{self.rnd.randrange(10**6):06d}"

    def rural_address(self, county: str = "沂南县") -> str:
        return f"{county}{self.rnd.choice(TOWNS)}{self.rnd.choice(VILLAGES)}"

    def town_address(self) -> str:
        return f"沂南县界湖街道{self.rnd.choice(STREETS)}{self.rnd.randrange(1, 300)}号"

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rnd.randrange((end - start).days + 1))

    def pick(self, items: tuple[str, ...] | list[str]) -> str:
        return self.rnd.choice(items)
