"""yibao_lib — the rules of China's employee medical insurance personal account, as data + code.

Every answer is an object that explains itself: the figure, the arithmetic in plain Chinese, the
rule and source it rests on, how sure that source is, and what is only an estimate.

>>> from yibao_lib import retiree_monthly_credit
>>> r = retiree_monthly_credit("北京", 70)
>>> r.monthly_gross, r.monthly_net
(Decimal('110.00'), Decimal('107.00'))
"""

from .credit import (
    Alternative,
    BalanceProjection,
    CreditResult,
    compare_regions,
    compare_regions_rows,
    project_worker_balance,
    retiree_monthly_credit,
    share_of_pension,
    worker_monthly_credit,
)
from .errors import (
    AmbiguousRegionError,
    DataError,
    MissingInputError,
    UnknownRegionError,
    YibaoError,
    YibaoInputError,
)
from .model import CONFIDENCE_LABELS, METHOD_LABELS, Region, Source
from .regions import all_regions, find_region, region_chain, regions
from .store import get_store
from .transfer import ROUTE_LABELS, ROUTES, Document, Fact, Step, TransferPlan, transfer_plan
from .workdays import Deadline, add_working_days, is_working_day
from .years import YearsOptionResult, YearsResult, minimum_years_check


def data_checked_on():
    """The most recent date any figure in data/ was checked."""
    return max(source.checked_on for source in get_store().sources.values())


__all__ = [
    "CONFIDENCE_LABELS", "METHOD_LABELS", "ROUTES", "ROUTE_LABELS",
    "Alternative", "AmbiguousRegionError", "BalanceProjection", "CreditResult", "DataError", "Deadline", "Document",
    "Fact", "MissingInputError", "Region", "Source", "Step", "TransferPlan",
    "UnknownRegionError", "YearsOptionResult", "YearsResult", "YibaoError", "YibaoInputError",
    "add_working_days", "all_regions", "compare_regions", "compare_regions_rows", "data_checked_on",
    "find_region", "get_store", "is_working_day", "minimum_years_check", "project_worker_balance",
    "region_chain", "regions", "retiree_monthly_credit", "share_of_pension", "transfer_plan",
    "worker_monthly_credit",
]  # fmt: skip
