"""A small inline SVG chart (no scripts, no CDN): cases opened per month as bars, the share of
limits that fell due in the month and were missed as a line."""

from __future__ import annotations

from html import escape
from typing import Any

W, H, PAD_L, PAD_R, PAD_T, PAD_B = 640, 200, 36, 40, 16, 28


def months_chart(months: list[dict[str, Any]]) -> str:
    n = len(months) or 1
    top = max([m["opened"] for m in months] + [1])
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B
    step = plot_w / n
    bar = step * 0.6
    parts = [f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" '
             f'aria-label="每月新登记案件数与期限逾期率" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{PAD_L}" y1="{PAD_T + plot_h}" x2="{W - PAD_R}" y2="{PAD_T + plot_h}" class="axis"/>',
             f'<text x="{PAD_L - 6}" y="{PAD_T + 4}" class="tick" text-anchor="end">{top}</text>',
             f'<text x="{PAD_L - 6}" y="{PAD_T + plot_h}" class="tick" text-anchor="end">0</text>',
             f'<text x="{W - PAD_R + 6}" y="{PAD_T + 4}" class="tick rate">100%</text>',
             f'<text x="{W - PAD_R + 6}" y="{PAD_T + plot_h}" class="tick rate">0%</text>']
    points = []
    for i, m in enumerate(months):
        x = PAD_L + i * step + (step - bar) / 2
        h = plot_h * m["opened"] / top
        y = PAD_T + plot_h - h
        title = escape(f"{m['label']}：新登记{m['opened']}件；到期{m['due']}个期限，逾期{m['late']}个")
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" class="bar">'
                     f'<title>{title}</title></rect>')
        if m["opened"]:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y - 3:.1f}" class="val" '
                         f'text-anchor="middle">{m["opened"]}</text>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{H - 8}" class="tick" '
                     f'text-anchor="middle">{escape(m["label"])}</text>')
        if m["rate"] is not None:
            points.append((x + bar / 2, PAD_T + plot_h * (1 - m["rate"]), m["rate"]))
    if points:
        parts.append('<polyline class="rate-line" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in points) + '"/>')
        for x, y, r in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" class="rate-dot">'
                         f'<title>逾期率 {r:.0%}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)
