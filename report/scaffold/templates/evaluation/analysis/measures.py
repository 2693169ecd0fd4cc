"""Stage 3: the measures the chapters report, computed from validated rows only."""

from __future__ import annotations

from collections import defaultdict
from statistics import mean

from analysis.validate import Respondent


def mean_score(respondents: list[Respondent]) -> float:
    return mean(item.tevredenheid for item in respondents)


def by_region(respondents: list[Respondent]) -> dict[str, tuple[int, float]]:
    """Region -> (number of respondents, mean score), regions in alphabetical order."""
    groups: dict[str, list[int]] = defaultdict(list)
    for item in respondents:
        groups[item.regio].append(item.tevredenheid)
    return {region: (len(scores), mean(scores)) for region, scores in sorted(groups.items())}
