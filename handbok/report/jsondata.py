"""The report as JSON: the figures for other tools (keys in English, values as computed)."""

from __future__ import annotations

import json
from typing import Any

from ..core import document_json
from ..figures import event_counts
from ..model import Document
from .build import Report

__all__ = ["report_json"]


def report_json(report: Report) -> str:
    r, f = report.result, report.figures

    def doc(d: Document) -> dict[str, Any]:
        return document_json(d, r.state(d), r.org)

    def share(s: Any) -> dict[str, Any]:
        return {"count": s.count, "total": s.total, "percent": s.percent}

    data = {
        "today": report.today.isoformat(),
        "from": report.start.isoformat(),
        "unit": report.unit,
        "figures": {
            "documents": f.documents,
            "statuses": f.statuses,
            "in_force": f.in_force,
            "by_type": f.by_type,
            "by_unit": f.by_unit,
            "decision_record": share(f.decision_record),
            "reviewed_in_time": share(f.reviewed_in_time),
            "overdue": [doc(d) for d, _ in f.overdue],
            "unmoved_reviews": [doc(d) for d, _ in f.unmoved_reviews],
            "old_drafts": [doc(d) for d in f.old_drafts],
            "step_gaps": [{"process": s.process, "step": s.key, "name": s.name} for s in f.step_gaps],
            "requirement_gaps": [{"key": q.key, "ref": q.ref, "title": q.title} for q in f.requirement_gaps],
        },
        "event_counts": event_counts(report.events),
        "events": [{"date": e.date.isoformat(), "kind": e.kind, "document": e.document.id,
                    "path": e.document.path, "note": e.note} for e in report.events],
        "trend": [{"date": p.day.isoformat(), "commit": p.commit, "in_force": p.in_force,
                   "overdue": share(p.overdue), "gaps": p.gaps} for p in report.trend],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
