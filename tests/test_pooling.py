"""Rules at the pooling-area grain: whose rule applies, and which average pension a share rule
uses. Run on a small data folder made here, so the cases do not move when data/ grows."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from yibao_lib import MissingInputError, retiree_monthly_credit
from yibao_lib.store import CREDIT_COLUMNS, get_store

DATA = Path(__file__).resolve().parent.parent / "data"
DAY = "2026-06-01"
HEADER = ",".join(c.name for c in CREDIT_COLUMNS)


def credit_row(rule_id, code, *, variant="primary", method="pension_share", rate="0.03",
               amount="", base_year="", base_area="", start="2023-01-01", end="",
               applies_to="", confidence="aggregator", age_min="", age_max=""):  # fmt: skip
    basis = "gross" if amount else ""
    base = "当地月人均基本养老金" if method == "pension_share" else ""
    cells = [rule_id, code, start, end, variant, method, age_min, age_max, amount, basis, "month",
             rate if method == "pension_share" else "", base, base_year, base_area, "", "", "",
             applies_to, "S_SEED000", confidence, "2026-12-03", f"测试行 {rule_id}"]  # fmt: skip
    return ",".join(cells)


RULES = [
    credit_row("NAT", "000000", rate="0.02"),
    credit_row("GZ", "520000", base_year="2022"),  # 贵州: 3% of the pooling area's 2022 average
    credit_row("GZ-G", "520000", variant="group", method="fixed", amount="120",
               applies_to="省直参保单位退休人员"),
    credit_row("GY", "520100", base_year="2022", base_area="province"),  # 贵阳: the province's
    credit_row("ZY", "520300", base_year="2021"),  # 遵义: 2021, only 2022 is known
    credit_row("LP-OLD", "520200", variant="alternative", method="fixed", amount="70",
               end="2024-12-31", confidence="contested"),
    credit_row("TJ", "120000", rate="0.02", start=""),
]
AVERAGES = [
    "520000,2022,2969,enterprise,S_SEED000,official,2026-12-03,",
    "520200,2022,3188,all,S_SEED000,official,2026-12-03,",
    "520300,2022,2474,all,S_SEED000,official,2026-12-03,",
    "520400,2022,2909,all,S_SEED000,weak,2026-12-03,",
]


@pytest.fixture(autouse=True)
def small_data(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    (folder / "credit_rules.csv").write_text(HEADER + "\n" + "\n".join(RULES) + "\n", encoding="utf-8")
    header = (DATA / "avg_pensions.csv").read_text(encoding="utf-8").splitlines()[0]
    (folder / "avg_pensions.csv").write_text(header + "\n" + "\n".join(AVERAGES) + "\n", encoding="utf-8")
    monkeypatch.setenv("YIBAO_DATA_DIR", str(folder))
    get_store.cache_clear()
    yield folder
    get_store.cache_clear()


def test_the_pooling_areas_own_average_for_the_rules_year_is_not_an_estimate():
    r = retiree_monthly_credit("六盘水", 68, on=DAY)
    assert r.monthly_net == Decimal("95.64")  # 3188 × 3%
    assert not r.estimated and r.fallback and r.rule_region.code == "520000"
    assert r.base_origin == "published" and r.base_region.code == "520200" and r.base_year == 2022
    assert "六盘水市没有单独的数字，按贵州省的规定计算" in r.steps[0]
    assert any("六盘水市2022年全体退休人员月人均基本养老金" in s and "95.64" in s for s in r.steps)


def test_the_province_average_where_the_rule_says_so():
    r = retiree_monthly_credit("贵阳", 68, on=DAY)
    assert r.monthly_net == Decimal("89.07") and r.rule_region.code == "520100"  # 2969 × 3%
    assert r.base_region.code == "520000" and not r.estimated
    assert any("只含企业退休人员" in n for n in r.notes)


def test_a_county_uses_its_prefectures_rule_and_says_so():
    r = retiree_monthly_credit("南明区", 68, on=DAY)
    assert r.rule_region.code == "520100" and r.monthly_net == Decimal("89.07")
    assert r.steps[0].startswith("南明区属贵阳市，按贵阳市的规定计算")


def test_another_year_is_an_estimate_that_says_why():
    r = retiree_monthly_credit("遵义", 68, on=DAY)
    assert r.estimated and r.base_year == 2022 and r.monthly_net == Decimal("74.22")
    assert any("规定按2021年的平均数" in n and "2022年" in n for n in r.notes)


def test_a_weak_average_is_an_estimate():
    r = retiree_monthly_credit("安顺", 68, on=DAY)
    assert r.estimated and r.base_region.code == "520400" and r.confidence == "weak"


def test_the_province_average_instead_of_the_citys_is_an_estimate():
    r = retiree_monthly_credit("毕节", 68, on=DAY)
    assert r.estimated and r.base_region.code == "520000"
    assert any("没有收录毕节市的数字，改用贵州省的" in n for n in r.notes)
    assert r.monthly_net == Decimal("89.07")


def test_a_typed_average_overrides_and_says_so():
    r = retiree_monthly_credit("六盘水", 68, on=DAY, avg_pension="4000")
    assert r.monthly_net == Decimal("120.00") and r.base_origin == "user" and not r.estimated
    assert any("由您输入" in n for n in r.notes)


def test_no_average_anywhere_names_the_place_typed():
    with pytest.raises(MissingInputError) as info:
        retiree_monthly_credit("天津", 68, on=DAY)
    assert "天津市" in str(info.value) and "全国" not in str(info.value).split("请输入")[1]
    assert info.value.field == "avg_pension"


def test_a_province_group_figure_shows_for_its_cities_and_an_ended_alternative_does_not():
    r = retiree_monthly_credit("六盘水", 68, on=DAY)
    labels = [a.label for a in r.alternatives]
    assert any("省直参保单位退休人员" in label and "120" in label for label in labels)
    assert not any("70元" in label for label in labels)  # LP-OLD ended on 2024-12-31
    earlier = retiree_monthly_credit("六盘水", 68, on="2024-06-01")
    assert any("70元" in a.label for a in earlier.alternatives)
