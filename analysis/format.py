"""Dutch number formatting for prose and tables.

Decimal comma, thousands dot, percent sign without a space ("25,6%"),
as the Dutch government style guides prescribe.
"""

from __future__ import annotations

import math

__all__ = ["fmt_int", "fmt_num", "fmt_pct", "fmt_share"]


def fmt_num(value: float, decimals: int = 1) -> str:
    """Format a number with a decimal comma and a thousands dot: 3060.5 -> '3.060,5'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def fmt_int(value: float) -> str:
    """Format a whole number with a thousands dot: 3060 -> '3.060'."""
    return fmt_num(round(value), decimals=0)


def fmt_pct(value: float, decimals: int = 0) -> str:
    """Format a percentage given on the 0-100 scale: 25.6 -> '25,6%' (decimals=1)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{fmt_num(value, decimals)}%"


def fmt_share(value: float, decimals: int = 0) -> str:
    """Format a share given on the 0-1 scale as a percentage: 0.256 -> '26%', or '25,6%' with decimals=1."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return fmt_pct(100 * value, decimals)
