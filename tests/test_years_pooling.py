"""Minimum years by pooling area, on a fixed set of rows (not the live data/min_years.csv).

The rows below are test fixtures shaped like the issue's cases (天津 25/20 + 5 actual, 重庆 + 10
actual, 广东's phase-in with 10 local years, 清远's own yearly steps, 江门 from 2026, 苏州 under
江苏, 青岛 until 2025 under 山东); they are not claims about those places. Every call gives its
retirement date: nothing depends on today.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from yibao_lib import YibaoInputError, minimum_years_check
from yibao_lib.store import get_store

DATA = Path(__file__).resolve().parent.parent / "data"
S = "S_SEED002"  # an id sources.csv has always held; the fixture rows cite it
HEADER = (
    "region_code,sex,total_years,actual_years,local_years,local_years_note,effective_from,"
    "effective_to,status,source_ids,confidence,note"
)


def _rows() -> list[str]:
    rows = [
        f"000000,male,30,,,,,,fallback,{S},seed,全国兜底（测试）",
        f"000000,female,25,,,,,,fallback,{S},seed,全国兜底（测试）",
        f"120000,male,25,5,,,,,in_force,{S},aggregator,天津（测试）",
        f"120000,female,20,5,,,,,in_force,{S},aggregator,天津（测试）",
        f"500000,male,30,10,,,,,in_force,{S},aggregator,重庆（测试）",
        f"500000,female,25,10,,,,,in_force,{S},aggregator,重庆（测试）",
        f"320000,male,25,,,,2023-06-01,,in_force,{S},contested,江苏（测试）",
        f"320000,female,20,,,,2023-06-01,,in_force,{S},contested,江苏（测试）",
        f"320500,male,25,,10,在本市实际缴费,2024-01-01,,in_force,{S},weak,苏州（测试）",
        f"320500,female,20,,10,在本市实际缴费,2024-01-01,,in_force,{S},weak,苏州（测试）",
        f"440000,male,30,,10,在退休后待遇享受地实际缴费,2022-01-01,2029-12-31,phasing_in,{S},aggregator,广东（测试）",
        f"440000,female,25,,10,在退休后待遇享受地实际缴费,2022-01-01,2029-12-31,phasing_in,{S},aggregator,广东（测试）",
        f"440000,male,30,,10,在退休后待遇享受地实际缴费,2030-01-01,,in_force,{S},aggregator,广东（测试）",
        f"440000,female,25,,10,在退休后待遇享受地实际缴费,2030-01-01,,in_force,{S},aggregator,广东（测试）",
        f"370000,male,30,,,,,,in_force,{S},aggregator,山东（测试）",
        f"370000,female,25,,,,,,in_force,{S},aggregator,山东（测试）",
        f"370200,male,25,,,,,2025-12-31,in_force,{S},aggregator,青岛（测试）",
        f"370200,female,20,,,,,2025-12-31,in_force,{S},aggregator,青岛（测试）",
        f"510000,male,30,,15,在本省实际缴费年限,,,phasing_in,{S},contested,四川（测试）",
        f"510100,male,,,20,或在本市连续实际缴费满15年,2022-01-01,,in_force,{S},contested,成都（测试）",
    ]
    qingyuan = {"male": [16, 17, 19, 21, 23, 25, 27], "female": [16, 17, 18, 19, 20, 21, 23]}
    final = {"male": 30, "female": 25}
    for sex, steps in qingyuan.items():
        for year, years in zip(range(2023, 2030), steps, strict=True):
            rows.append(f"441800,{sex},{years},,,,{year}-01-01,{year}-12-31,in_force,{S},aggregator,清远（测试）")
        rows.append(f"441800,{sex},{final[sex]},,,,2030-01-01,,in_force,{S},aggregator,清远（测试）")
    jiangmen = {"male": [22, 24, 26, 28], "female": [21, 22, 23, 24]}
    for sex, steps in jiangmen.items():
        for year, years in zip(range(2026, 2030), steps, strict=True):
            rows.append(f"440700,{sex},{years},,,,{year}-01-01,{year}-12-31,in_force,{S},aggregator,江门（测试）")
        rows.append(f"440700,{sex},{final[sex]},,,,2030-01-01,,in_force,{S},aggregator,江门（测试）")
    return rows


@pytest.fixture(scope="module", autouse=True)
def fixture_rows(tmp_path_factory):
    copy = tmp_path_factory.mktemp("years") / "data"
    shutil.copytree(DATA, copy)
    (copy / "min_years.csv").write_text("\n".join([HEADER, *_rows()]) + "\n", encoding="utf-8")
    sources = copy / "sources.csv"
    if "S_SD_2021_54," not in sources.read_text(encoding="utf-8"):  # cited by transfer.yaml
        with sources.open("a", encoding="utf-8") as out:
            out.write("S_SD_2021_54,鲁医保发〔2021〕54号（测试）,测试,,测试,2021-12-15,2026-12-01,aggregator,\n")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("YIBAO_DATA_DIR", str(copy))
        get_store.cache_clear()
        yield copy
    get_store.cache_clear()


D = Decimal
ON = date(2026, 6, 1)


# ---- whose rule: own rows first, then up the chain --------------------------------------------


def test_county_uses_its_prefectures_rows():
    r = minimum_years_check("昆山", "男", 25, on=ON)
    assert r.rule_region.name == "苏州市"
    assert r.steps[0] == "昆山市属苏州市，按苏州市的规定（2024年1月1日起）。"
    assert r.required_total == D(25) and r.required_local == D(10)
    assert r.fallback and r.confidence == "weak"


def test_county_whose_prefecture_has_no_rows_uses_the_province():
    r = minimum_years_check("江阴", "女", 20, on=ON)
    assert r.rule_region.name == "江苏省"
    assert r.steps[0] == "江阴市属无锡市；无锡市没有单独的规定，按江苏省的规定（2023年6月1日起）。"
    assert r.met and r.required_local is None


def test_city_without_rows_uses_the_province():
    r = minimum_years_check("佛山", "男", 28, local_years=12, on=ON)
    assert r.steps[0] == "佛山市没有单独的规定，按广东省的规定（2022年1月1日至2029年12月31日）。"
    assert r.phasing_in and r.estimated and not r.met
    assert (r.required_total, r.short_total, r.required_local, r.short_local) == (D(30), D(2), D(10), D(0))


def test_district_of_a_municipality():
    r = minimum_years_check("和平区（天津市）", "女", 20, on=ON)
    assert r.steps[0] == "和平区属天津市，按天津市的规定（起始日期不详）。"
    assert r.rule_region.code == "120000"


def test_no_local_rule_is_the_labelled_national_fallback():
    r = minimum_years_check("拉萨", "男", 28, on=ON)
    assert r.steps[0].startswith("未收录到拉萨市、西藏自治区的地方规定，按常见的“男30年、女25年”估算")
    assert "全国没有统一数字" in r.steps[0]
    assert r.fallback and r.estimated and r.confidence == "seed" and r.short_total == D(2)


def test_blank_total_is_inherited_from_up_the_chain():
    r = minimum_years_check("成都", "男", 30, local_years=20, on=ON)
    assert r.rule_region.name == "成都市"
    assert "成都市的规定没有写累计缴费年限，按四川省的规定：30年。" in r.steps
    assert r.required_total == D(30) and r.required_local == D(20)  # 成都's own local, not 四川's 15


# ---- actual years (not deemed) -----------------------------------------------------------------


def test_tianjin_needs_five_years_actually_paid():
    short = minimum_years_check("天津", "男", 3, deemed_years=22, on=ON)
    assert short.counted_total == D(25) and short.short_total == D(0)
    assert short.required_actual == D(5) and short.short_actual == D(2)
    assert not short.met and short.options
    assert "视同缴费年限不能抵" in " ".join(short.steps)
    assert any("还差 2 年" in s for s in short.steps)
    met = minimum_years_check("天津", "男", 5, deemed_years=20, on=ON)
    assert met.met and met.short_actual == D(0) and not met.estimated and not met.fallback


def test_actual_years_keyword_is_the_same_figure():
    by_keyword = minimum_years_check("重庆", "女", actual_years=8, deemed_years=20, on=ON)
    by_position = minimum_years_check("重庆", "女", 8, deemed_years=20, on=ON)
    assert by_keyword == by_position
    assert by_keyword.actual_years == D(8) and by_keyword.short_actual == D(2)
    assert minimum_years_check("重庆", "女", 12, actual_years=12, deemed_years=20, on=ON).met


@pytest.mark.parametrize(
    "kwargs",
    [dict(), dict(total_years=10, actual_years=12), dict(actual_years=-1), dict(actual_years="x")],
)
def test_actual_years_input_errors(kwargs):
    with pytest.raises(YibaoInputError) as info:
        minimum_years_check("重庆", "男", on=ON, **kwargs)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))


def test_no_actual_requirement_leaves_it_none():
    r = minimum_years_check("江阴", "男", 25, on=ON)
    assert r.required_actual is None and r.short_actual is None


# ---- a city's own phase-in: the retirement year picks the row ----------------------------------


@pytest.mark.parametrize(
    ("sex", "on", "required"),
    [("男", date(2023, 3, 1), 16), ("男", date(2026, 6, 1), 21), ("男", date(2029, 12, 31), 27),
     ("男", date(2030, 1, 1), 30), ("女", date(2025, 6, 1), 18), ("女", date(2031, 6, 1), 25)],
)  # fmt: skip
def test_qingyuan_steps_by_year(sex, on, required):
    r = minimum_years_check("清远", sex, 10, local_years=10, on=on)
    assert r.rule_region.name == "清远市"
    assert r.required_total == D(required)
    assert not r.phasing_in and not r.estimated  # the step for that year is known


def test_qingyuan_takes_the_local_years_from_guangdong_and_says_where_it_leads():
    r = minimum_years_check("清远", "男", 22, local_years=8, on=date(2026, 6, 1))
    assert r.steps[0] == "按清远市的规定（2026年1月1日至2026年12月31日）。"
    assert "清远市的年限逐年调整：2026年退休需满21年，2030年1月1日起为30年。" in r.steps
    assert "清远市的规定没有写本地实际缴费年限，按广东省的规定。" in r.steps
    assert r.required_local == D(10) and r.short_local == D(2) and r.short_total == D(0)
    assert r.local_years_note == "在退休后待遇享受地实际缴费"
    assert not r.met and r.confidence == "aggregator"


def test_county_of_a_phasing_city_uses_the_citys_step():
    r = minimum_years_check("清新区", "女", 19, local_years=19, on=date(2026, 6, 1))
    assert r.steps[0].startswith("清新区属清远市，按清远市的规定")
    assert r.required_total == D(19) and r.met


def test_rows_not_yet_in_force_are_passed_over_and_said_so():
    before = minimum_years_check("江门", "男", 25, local_years=25, on=date(2025, 6, 1))
    assert before.rule_region.name == "广东省" and before.phasing_in
    assert before.steps[0] == "江门市收录的规定2026年1月1日起才执行，不适用于2025年6月1日退休。"
    assert before.steps[1].startswith("江门市那时没有单独的规定，按广东省的规定")
    after = minimum_years_check("江门", "男", 25, local_years=25, on=date(2027, 6, 1))
    assert after.rule_region.name == "江门市" and after.required_total == D(24) and after.met


def test_qingdao_until_2025_then_shandong():
    old = minimum_years_check("青岛", "女", 20, on=date(2025, 12, 31))
    assert old.required_total == D(20) and old.met
    assert old.steps[0] == "按青岛市的规定（起始日期不详，至2025年12月31日）。"
    new = minimum_years_check("青岛", "女", 20, on=date(2026, 1, 1))
    assert new.required_total == D(25) and new.short_total == D(5)
    assert new.steps[0] == "青岛市收录的规定已于2025年12月31日结束，不适用于2026年1月1日退休。"
    assert new.steps[1] == "青岛市那时没有单独的规定，按山东省的规定（起始日期不详）。"


def test_no_sentinel_dates_in_any_answer():
    for place in ("天津", "青岛", "成都", "清远", "江门", "拉萨", "昆山"):
        for on in (date(2023, 6, 1), date(2026, 6, 1), date(2031, 6, 1)):
            r = minimum_years_check(place, "男", 30, local_years=10, on=on)
            text = r.explain()
            assert "1900" not in text and "0001" not in text
            assert r.steps and r.sources
