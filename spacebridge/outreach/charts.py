"""Charts drawn as SVG on the server: readable and printable without JavaScript, with a title and a table beside."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _

from spacebridge.outreach.activity import PartyActivity

COLOURS = {"records": "#1d4ed8", "meetings": "#047857", "actions": "#b45309"}
WIDTH, LABEL, BAR, GAP, TOP = 720, 150, 12, 10, 36


def series_labels() -> dict[str, str]:
    return {"records": _("records shared"), "meetings": _("meetings held"), "actions": _("actions closed")}


def activity_chart(rows: list[PartyActivity], series: list[str], *, chart_id: str = "activity") -> str:
    """Grouped horizontal bars, one group per party, one bar per series, with the number at the bar's end."""
    if not rows:
        return ""
    labels = series_labels()
    biggest = max((max(row.counts.values(), default=0) for row in rows), default=0) or 1
    group = len(series) * BAR + GAP
    height = TOP + group * len(rows) + 4
    plot = WIDTH - LABEL - 60
    title = _("Activity per party: %(series)s") % {"series": ", ".join(labels[s] for s in series)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for i, name in enumerate(series):
        x = LABEL + i * 160
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{COLOURS[name]}"/>')
        out.append(f'<text x="{x + 18}" y="16" fill="#111827">{escape(labels[name])}</text>')
    for r, row in enumerate(rows):
        top = TOP + r * group
        out.append(f'<text x="{LABEL - 8}" y="{top + len(series) * BAR / 2 + 4}" text-anchor="end" fill="#111827">'
                   f"{escape(row.party.short_name)}</text>")
        for i, name in enumerate(series):
            value = row.counts.get(name, 0)
            width = round(plot * value / biggest, 1)
            y = top + i * BAR
            out.append(f'<rect x="{LABEL}" y="{y}" width="{max(width, 1)}" height="{BAR - 2}" fill="{COLOURS[name]}">'
                       f"<title>{escape(row.party.short_name)}: {value} {escape(labels[name])}</title></rect>")
            out.append(f'<text x="{LABEL + width + 4}" y="{y + BAR - 3}" fill="#111827" font-size="10">{value}</text>')
    out.append("</svg>")
    return "\n".join(out)
