from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from yibao_lib import (
    YibaoInputError,
    compare_regions,
    compare_regions_rows,
    project_worker_balance,
    retiree_monthly_credit,
    worker_monthly_credit,
)
from yibao_lib.credit import COMPARE_COLUMNS

ROOT = Path(__file__).resolve().parents[1]


def test_result_explains_itself():
    r = retiree_monthly_credit("北京", 70, on=date(2025, 6, 1))
    assert r.method == "age_tiers" and r.rule_region.code == "110000"
    assert any("110.00 − 3.00 = 107.00" in s.replace(" 元", "") or "107.00" in s for s in r.steps)
    assert r.deduction_name == "大额互助" and r.deduction_amount == Decimal(3)
    assert r.sources and all(s.title for s in r.sources)
    text = r.explain()
    assert "可信度" in text and "来源" in text
    # The seed's reading (100/110 after the deduction) is shown, not merged.
    assert any("另有来源称" in a.label for a in r.alternatives)
    assert r.to_dict()["monthly_net"] == "107.00"


def test_money_is_decimal_to_the_fen():
    r = retiree_monthly_credit("上海", 75, on="2026-06-01")
    for value in (r.monthly_gross, r.monthly_net, r.yearly_net):
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -2


def test_yearly_rule_is_not_rounded_twice():
    r = retiree_monthly_credit("上海", 80, on="2026-06-01")
    assert r.monthly_net == Decimal("157.50") and r.yearly_net == Decimal("1890.00")


def test_share_rule_without_the_citys_own_average_is_an_estimate_that_says_whose():
    r = retiree_monthly_credit("东莞", 65, on="2026-06-01")
    assert r.method == "pension_share" and r.estimated and r.base_origin == "published"
    assert r.base_region.code in ("440000", "000000") and r.base_region.code != "441900"
    assert any("平均养老金为估算" in n and "东莞市" in n for n in r.notes)
    typed = retiree_monthly_credit("东莞", 65, on="2026-06-01", avg_pension=4000)
    assert typed.monthly_net == Decimal("112.00") and typed.base_origin == "user"
    # (a share rule with no average anywhere asks for one: tests/test_pooling.py)


def test_unknown_deduction_is_an_estimate_with_a_note():
    r = retiree_monthly_credit("成都", 65, on="2025-03-01")  # 0.3% 长护险, amount in yuan not given
    assert r.deduction_amount is None and r.deduction_name
    assert r.estimated and any("实际到账可能略少" in n for n in r.notes)


def test_national_default_is_estimated_and_says_so():
    r = retiree_monthly_credit("拉萨", 70, on="2026-06-01", avg_pension="4,000")  # nothing for 西藏
    assert r.estimated and r.fallback and r.rule_region.code == "000000"
    assert "全国" in r.steps[0]


def test_date_before_the_reform_is_a_clear_input_error():
    with pytest.raises(YibaoInputError, match="改革"):
        retiree_monthly_credit("天津", 70, on="2015-01-01", avg_pension=4000)


@pytest.mark.parametrize("bad", ["abc", -5, 0, "1e9", float("nan"), float("inf")])
def test_bad_average_pension(bad):
    with pytest.raises(YibaoInputError):
        retiree_monthly_credit("广东", 65, avg_pension=bad)


@pytest.mark.parametrize("bad", ["七十", 70.5, None, True, "", float("nan")])
def test_bad_age(bad):
    with pytest.raises(YibaoInputError):
        retiree_monthly_credit("北京", bad, on="2026-06-01")


def test_age_as_text_is_accepted():
    assert retiree_monthly_credit("北京", "70岁", on="2026-06-01").monthly_net == Decimal("107.00")


def test_worker_two_percent_of_base():
    r = worker_monthly_credit(8000, on="2026-06-01")
    assert r.method == "contribution_share" and r.monthly_net == Decimal("160.00")
    assert r.yearly_net == Decimal("1920.00") and not r.estimated
    local = worker_monthly_credit("8000", region="深圳")
    assert local.monthly_net == Decimal("160.00") and local.estimated and local.fallback


def test_worker_balance_projection():
    p = project_worker_balance(8000, start="2026-01-15", until="2026-12-31", start_balance=100)
    assert len(p.months) == 12 and p.final_balance == Decimal("2020.00")
    with pytest.raises(YibaoInputError):
        project_worker_balance(8000, start="2026-01-01", until="2025-01-01")


def test_compare_regions_columns_and_order():
    frame = compare_regions(70, on="2025-06-01")
    assert {"code", "name", "method", "monthly_gross", "monthly_net", "confidence", "source"} <= set(frame.columns)
    assert frame["code"].is_unique
    with_values = frame[frame["monthly_net"].notna()]
    assert list(with_values["monthly_net"]) == sorted(with_values["monthly_net"], reverse=True)
    beijing = frame.set_index("code").loc["110000"]
    assert beijing["monthly_net"] == Decimal("107.00") and beijing["confidence"] == "contested"
    share = frame.set_index("code").loc["440000"]  # 2.8% of an average the data only estimates
    assert share["monthly_net"] is not None and share["estimated"]
    assert share["status"] == "按估算的平均养老金计算"


def test_compare_regions_rows_match_the_frame():
    rows = compare_regions_rows(70, on="2025-06-01", avg_pension="3700")
    frame = compare_regions(70, on="2025-06-01", avg_pension="3700")
    assert list(frame.columns) == list(COMPARE_COLUMNS)
    assert [tuple(row.values()) for row in rows] == list(frame.itertuples(index=False, name=None))
    assert all(tuple(row) == COMPARE_COLUMNS for row in rows)


def test_compare_regions_rows_need_no_pandas():
    code = (
        "import sys; import yibao_lib as y; rows = y.compare_regions_rows(70); "
        "assert rows and 'pandas' not in sys.modules, sorted(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_compare_regions_with_average_fills_share_rules():
    frame = compare_regions(65, avg_pension=4000).set_index("code")
    assert frame.loc["440000", "monthly_net"] == Decimal("112.00")
    assert frame["monthly_net"].notna().all()
