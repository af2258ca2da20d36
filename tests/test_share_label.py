"""A shared link's text names what it shows (深圳 · 66 岁), so a forwarded link says it."""

from __future__ import annotations

from yibao_lib.apps.compare_regions import CompareRegionsApp
from yibao_lib.apps.contribution_years import ContributionYearsApp
from yibao_lib.apps.retiree_credit import RetireeCreditApp
from yibao_lib.apps.transfer_guide import TransferGuideApp


def test_each_apps_link_text_names_its_inputs():
    assert ">深圳 · 66 岁 的链接<" in RetireeCreditApp({"region": "深圳", "age": "66", "date": "2026-06-01"}).share.value
    transfer = TransferGuideApp({"from": "南宁", "to": "北京", "start": "2026-06-01"})
    assert ">南宁 → 北京 的链接<" in transfer.share.value
    assert ">北京 · 女 的链接<" in ContributionYearsApp({"region": "北京", "sex": "女", "date": "2026-06-01"}).share.value
    assert ">70 岁 · 各地对比 的链接<" in CompareRegionsApp({"age": "70", "date": "2026-06-01"}).share.value


def test_an_unknown_place_keeps_the_plain_text():
    app = RetireeCreditApp({"region": "深圳", "age": "66", "date": "2026-06-01"})
    app.region.value = "火星"
    assert ">当前输入的链接<" in app.share.value
