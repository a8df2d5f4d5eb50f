"""The portfolio's timeline: projects as bars from start to end and their milestones as diamonds, drawn as SVG on
the server so it reads, prints and scales without JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import escape
from django.utils.translation import gettext as _

from spacebridge.projects.models import Milestone, Project

WIDTH, LABEL, ROW, TOP, RIGHT = 960, 260, 40, 34, 16
STATUS_COLOURS = {
    Project.Status.PROPOSED: "#6b7280",
    Project.Status.ACTIVE: "#1d4ed8",
    Project.Status.SUSPENDED: "#b45309",
    Project.Status.COMPLETED: "#047857",
    Project.Status.CANCELLED: "#9ca3af",
}
MILESTONE_COLOURS = {
    Milestone.Status.PLANNED: "#ffffff",
    Milestone.Status.IN_PROGRESS: "#93c5fd",
    Milestone.Status.ACHIEVED: "#047857",
    Milestone.Status.MISSED: "#b91c1c",
    Milestone.Status.CANCELLED: "#d1d5db",
}


def _span(projects: Sequence[Project], today: date) -> tuple[date, date]:
    days = [today]
    for project in projects:
        days += [d for d in (project.start, project.end) if d]
        days += [m.due_on for m in project.milestones.all()]
    return date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1)


def timeline_svg(projects: Sequence[Project], *, language: str | None = None, today: date | None = None) -> str:
    """An SVG of ``projects`` (with milestones prefetched); an empty string for no projects."""
    if not projects:
        return ""
    today = today or date.today()
    first, last = _span(projects, today)
    total = (last - first).days
    plot = WIDTH - LABEL - RIGHT

    def x(day: date) -> float:
        return round(LABEL + plot * (day - first).days / total, 1)

    height = TOP + ROW * len(projects) + 8
    title = _("Timeline of %(count)d projects and their milestones") % {"count": len(projects)}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="group" aria-labelledby="timeline-title" font-family="sans-serif" font-size="13">',
        f'<title id="timeline-title">{escape(title)}</title>',
    ]
    for year in range(first.year, last.year + 1):
        left = x(date(year, 1, 1))
        out.append(f'<line x1="{left}" y1="{TOP - 10}" x2="{left}" y2="{height}" stroke="#d1d5db"/>')
        if year < last.year:
            out.append(f'<text x="{left + 4}" y="{TOP - 16}" fill="#374151">{year}</text>')
    for row, project in enumerate(projects):
        out.extend(_row(project, TOP + row * ROW, x, first, last, language))
    now = x(today)
    out.append(f'<line x1="{now}" y1="{TOP - 10}" x2="{now}" y2="{height}" stroke="#b91c1c" stroke-dasharray="4 3"/>')
    out.append(f'<text x="{now + 3}" y="{height - 4}" fill="#b91c1c" font-size="11">{escape(_("today"))}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _row(project: Project, top: int, x, first: date, last: date, language: str | None) -> list[str]:  # type: ignore[no-untyped-def]
    name = project.name.get(language)
    label = name if len(name) <= 34 else name[:33] + "…"
    start, end = project.start or first, project.end or last
    colour = STATUS_COLOURS.get(project.status, "#6b7280")
    period = f"{project.start or '…'} – {project.end or '…'}"
    tip = f"{name} · {project.get_status_display()} · {period}"
    open_ended = ' fill-opacity="0.45"' if project.end is None else ""
    parts = [
        f'<a href="{escape(project.get_absolute_url())}"><text x="4" y="{top + 20}" fill="#111827">{escape(label)}</text></a>',
        f'<rect x="{x(start)}" y="{top + 8}" width="{max(x(end) - x(start), 2)}" height="16" rx="3" fill="{colour}"'
        f"{open_ended}><title>{escape(tip)}</title></rect>",
    ]
    for milestone in project.milestones.all():
        cx, cy = x(milestone.due_on), top + 16
        fill = MILESTONE_COLOURS.get(milestone.status, "#ffffff")
        tip = f"{milestone.title.get(language)} · {milestone.due_on.isoformat()} · {milestone.get_status_display()}"
        parts.append(
            f'<path d="M{cx} {cy - 9} L{cx + 9} {cy} L{cx} {cy + 9} L{cx - 9} {cy} Z" fill="{fill}" stroke="#111827" '
            f'stroke-width="1.5"><title>{escape(tip)}</title></path>'
        )
    return parts
