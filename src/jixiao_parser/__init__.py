"""jixiao_parser: Chinese budget performance self-evaluation forms (绩效自评表) as typed data.

>>> from jixiao_parser import parse_value
>>> parse_value("不少于六十场").value
Decimal('60')
"""

from importlib.metadata import PackageNotFoundError, version

from .api import parse, parse_all, parse_text
from .errors import (
    CorruptDocument,
    EncryptedDocument,
    FormCountError,
    JixiaoError,
    JixiaoWarning,
    MissingDependency,
    NeedsOCR,
    NotAForm,
    ResourceLimitExceeded,
    StrictError,
    TableError,
    UnreadableSource,
    UnsupportedFormat,
)
from .export import (
    to_arrow,
    to_csv,
    to_dataframe,
    to_rows,
    write_csv,
    write_parquet,
    write_xlsx,
)
from .limits import Limits
from .model import (
    Check,
    Diagnostic,
    Funding,
    FundingLine,
    Goals,
    Header,
    Indicator,
    Leftover,
    Part,
    Report,
    Source,
    Total,
    Value,
)
from .pipeline import ErrorRecord, ParseResult, parse_many
from .values import parse_value

try:
    __version__ = version("jixiao_parser")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Check",
    "CorruptDocument",
    "Diagnostic",
    "EncryptedDocument",
    "ErrorRecord",
    "FormCountError",
    "Funding",
    "FundingLine",
    "Goals",
    "Header",
    "Indicator",
    "JixiaoError",
    "JixiaoWarning",
    "Leftover",
    "Limits",
    "MissingDependency",
    "NeedsOCR",
    "NotAForm",
    "ParseResult",
    "Part",
    "Report",
    "ResourceLimitExceeded",
    "Source",
    "StrictError",
    "TableError",
    "Total",
    "UnreadableSource",
    "UnsupportedFormat",
    "Value",
    "__version__",
    "parse",
    "parse_all",
    "parse_many",
    "parse_text",
    "parse_value",
    "to_arrow",
    "to_csv",
    "to_dataframe",
    "to_rows",
    "write_csv",
    "write_parquet",
    "write_xlsx",
]
