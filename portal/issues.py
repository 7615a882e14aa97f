"""Issues come as dataclasses (FiscalIssue, PreflightIssue) or as stored dicts: read both the same way."""

from dataclasses import asdict, is_dataclass


def issue_attr(issue, name: str) -> str:
    value = issue.get(name, "") if isinstance(issue, dict) else getattr(issue, name, "")
    return "" if value is None else str(value)


def issue_dict(issue) -> dict:
    data = asdict(issue) if is_dataclass(issue) else dict(issue)
    return {k: (str(v) if k == "category" else v) for k, v in data.items()}
