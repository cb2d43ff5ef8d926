"""Label vocabulary: the words that name sections, columns and rows.

This is data, not logic: a new county's layout should be a change here. Every
lookup goes through :func:`label_key`, which folds width, drops spaces, line
breaks, marks (``*``, ``★``) and a trailing colon, so ``"* 实际完成值"``,
``"实际\\n完成值"`` and ``"实际完成值："`` all read as ``实际完成值``.
"""

from __future__ import annotations

import unicodedata

import regex

__all__ = [
    "FUNDING_COLUMNS",
    "FUNDING_ROWS",
    "GOAL_LABELS",
    "GROUP_LABELS",
    "HEADER_FIELDS",
    "INDICATOR_COLUMNS",
    "LEVEL1_TERMS",
    "LEVEL2_ORDER",
    "TOTAL_LABELS",
    "label_key",
    "lookup",
]

_SPACE = regex.compile(r"\s+")
_MARKS = regex.compile(r"^[*★☆#]+|[*★☆]+$")


def label_key(text: str) -> str:
    """Fold a label for matching.

    >>> label_key("* 实际\\n完成值：")
    '实际完成值'
    >>> label_key("项目资金 （元）")
    '项目资金(元)'
    """
    key = unicodedata.normalize("NFKC", text)
    key = _SPACE.sub("", key)
    key = _MARKS.sub("", key)
    return key.rstrip(":")


def lookup(table: dict[str, str], text: str, *, prefix: bool = False) -> str | None:
    """The role of ``text`` in ``table`` (exact key match, or longest prefix).

    >>> lookup(INDICATOR_COLUMNS, "* 实际完成值")
    'actual'
    >>> lookup(FUNDING_COLUMNS, "执行率(%)", prefix=True)
    'execution_rate'
    """
    key = label_key(text)
    if key in table:
        return table[key]
    if prefix:
        for label in sorted(table, key=len, reverse=True):
            if key.startswith(label):
                return table[label]
    return None


def _roles(spec: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {label: role for role, labels in spec.items() for label in labels}


HEADER_FIELDS: dict[str, str] = _roles(
    {
        "project_name": ("项目名称", "专项资金名称", "部门(单位)名称", "单位名称"),
        "project_code": ("项目编码", "项目代码", "部门预算编码"),
        "supervisor": ("主管部门", "项目主管单位", "县级主管部门", "主管部门及代码"),
        "implementer": ("实施单位", "实施单位(盖章)", "项目实施单位", "实施(主管)单位"),
        "budget_unit": ("一级预算单位", "预算单位"),
        "year": ("绩效自评年度", "自评年度", "评价年度"),
        "other": (
            "报表编号",
            "项目负责人",
            "项目负责人(及电话)",
            "填报日期",
            "自评得分",
            "项目属性",
            "项目类型",
            "项目类别",
            "联系电话",
        ),
    }
)

FUNDING_COLUMNS: dict[str, str] = _roles(
    {
        "initial_budget": ("年初预算数", "年初预算", "预算数(A)"),
        "annual_budget": ("全年预算数", "调整后预算数", "调整预算数", "全年(调整)预算数"),
        "executed": ("全年执行数", "预算执行数", "执行数"),
        "weight": ("分值", "权重", "分值权重", "执行率权重"),
        "execution_rate": ("执行率", "预算执行率", "支出实现率"),
        "score": ("得分", "执行率得分"),
    }
)

FUNDING_SECTION = ("项目资金", "资金使用情况", "资金情况", "年度预算数", "预算执行情况", "资金投入")

FUNDING_ROWS: dict[str, str] = _roles(
    {
        "total": ("年度资金总额", "总额", "合计", "财政资金小计", "资金总额"),
        "current_appropriation": ("当年财政拨款", "本年财政拨款", "财政资金", "财政拨款"),
        "carryover": ("上年结转资金", "上年结转", "结转资金"),
        "special_account": ("财政专户管理资金",),
        "unit_funds": ("单位资金",),
        "other": ("其他资金",),
    }
)

GOAL_LABELS: dict[str, str] = _roles(
    {
        "group": (
            "年度总体目标",
            "项目目标完成情况",
            "当年绩效目标",
            "年度目标",
            "总体目标完成情况",
        ),
        "planned": ("预期目标", "预算目标", "项目年度目标", "年初设定目标", "总体目标"),
        "actual": (
            "实际完成情况",
            "年度目标完成情况",
            "目标实际完成情况",
            "年度总体目标完成情况综述",
            "全年实际完成情况",
        ),
    }
)

INDICATOR_COLUMNS: dict[str, str] = _roles(
    {
        "level1": ("一级指标",),
        "level2": ("二级指标",),
        "name": ("三级指标", "指标名称", "指标名称(三级指标)"),
        "target": (
            "年度指标值",
            "指标值",
            "年度指标值(A)",
            "年初指标值",
            "预期指标值",
            "绩效目标值",
            "年初目标值(A)",
            "调整指标值",
        ),
        "actual": (
            "实际完成值",
            "实际完成值(B)",
            "完成值",
            "全年实际值",
            "全年完成值",
            "年终完成值",
            "单项指标实际完成值",
            "指标实际完成值",
        ),
        "weight": ("分值", "权重", "指标分值", "指标分值权重", "指标权重(分)"),
        "score": ("得分", "自评得分", "指标得分", "指标得分(分)", "自评分"),
        "note": (
            "偏差原因分析及改进措施",
            "未完成原因分析",
            "未完成原因分析及改进措施",
            "未完成原因和改进措施",
            "未完成原因及拟采取的改进措施",
        ),
    }
)

GROUP_LABELS = frozenset({"绩效指标", "年度绩效指标", "绩效指标完成情况"})

LEVEL2_ORDER: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标", "其他满意度指标"),
}

LEVEL1_TERMS = frozenset(
    {
        "产出指标",
        "效益指标",
        "满意度指标",
        "效果指标",
        "成本指标",
        "项目决策",
        "项目管理",
        "项目产出",
        "项目效益",
        "过程指标",
    }
)

LEVEL2_TERMS = frozenset(
    {t for terms in LEVEL2_ORDER.values() for t in terms}
    | {"经济成本指标", "过程指标", "进度指标", "满意度指标", "社会成本指标", "生态环境成本指标"}
)

# Captions that mark a table continued from the page before: layout, not data.
CAPTIONS = frozenset({"续表", "续上表", "(续表)", "(续)", "续"})

TOTAL_LABELS = frozenset({"总分", "合计", "自评总分", "总计"})

FOOTER_LABELS = frozenset(
    {
        "评价结论",
        "存在问题",
        "改进措施",
        "其他需要说明事项",
        "说明",
        "项目负责人",
        "财务负责人",
        "填报人",
        "联系电话",
        "填报日期",
        "注",
        "备注",
        "单位负责人",
    }
)

TITLE = regex.compile(r"绩效(?:目标)?自评表|绩效评价自评表|绩效自评报告表|绩效自评情况表")

PLACEHOLDERS = frozenset({"—", "-", "/", "——", "－", "…", "……", "无", "暂无", "不适用", "无此项"})
