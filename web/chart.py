"""The completion chart: agencies published by each day of the cycle, against the deadlines, as inline SVG."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from html import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 720, 240, 48, 32, 16, 16


def completion_svg(
    *, published_days: Sequence[date], total: int, deadlines: Sequence[date], today: date
) -> str:
    """A step line of cumulative publications per cycle day, the total as a dashed line, deadlines marked."""
    if total == 0:
        return ""
    days = sorted(published_days)
    first = min([*days, today - timedelta(days=21)]) - timedelta(days=1)
    last = max([*days, *deadlines, today]) + timedelta(days=3)
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD_RIGHT, HEIGHT - PAD_TOP - PAD_BOTTOM

    def x(day: date) -> float:
        return PAD_LEFT + plot_w * (day - first).days / span

    def y(count: int) -> float:
        return PAD_TOP + plot_h * (1 - count / total)

    points = [(x(first), y(0))]
    count = 0
    for day in days:
        points.append((x(day), y(count)))
        count += 1
        points.append((x(day), y(count)))
    points.append((x(min(today, last)), y(count)))
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" class="chart" '
        f'aria-label="每日累计发布数与截止日期">',
        f"<title>已发布 {count}/{total}</title>",
        f'<line x1="{PAD_LEFT}" y1="{y(total):.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{y(total):.1f}" class="total"/>',
        f'<text x="{PAD_LEFT - 6}" y="{y(total) + 4:.1f}" text-anchor="end">{total}</text>',
        f'<text x="{PAD_LEFT - 6}" y="{y(0) + 4:.1f}" text-anchor="end">0</text>',
        f'<line x1="{PAD_LEFT}" y1="{y(0):.1f}" x2="{WIDTH - PAD_RIGHT}" y2="{y(0):.1f}" class="axis"/>',
    ]
    for deadline in deadlines:
        parts.append(
            f'<line x1="{x(deadline):.1f}" y1="{PAD_TOP}" x2="{x(deadline):.1f}" y2="{y(0):.1f}" class="deadline"/>'
            f'<text x="{x(deadline) - 4:.1f}" y="{PAD_TOP + 24:.1f}" text-anchor="end" class="deadline-label">'
            f"截止 {escape(deadline.strftime('%m-%d'))}</text>"
        )
    parts.append(
        f'<line x1="{x(today):.1f}" y1="{PAD_TOP}" x2="{x(today):.1f}" y2="{y(0):.1f}" class="today"/>'
        f'<text x="{x(today) + 4:.1f}" y="{PAD_TOP + 10}" class="today-label">今天</text>'
    )
    parts.append(
        f'<text x="{PAD_LEFT}" y="{HEIGHT - 8}" class="axis-label">{first.isoformat()}</text>'
        f'<text x="{WIDTH - PAD_RIGHT}" y="{HEIGHT - 8}" text-anchor="end" class="axis-label">'
        f"{last.isoformat()}</text>"
    )
    parts.append(f'<polyline points="{path}" class="published"/>')
    parts.append("</svg>")
    return "".join(parts)
