"""Writing one content row from its file, without overwriting edits made in the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from courses.content_files.report import LoadReport
from courses.models import fingerprint


def sync_row(
    model: type[Any],
    slug: str,
    fields: dict[str, Any],
    force: bool,
    report: LoadReport,
    apply: Callable[[Any, dict[str, Any]], None],
) -> Any:
    """Create, update or leave one row; refuse to overwrite edits made since the last sync."""
    label = f"{model.__name__.lower()} {slug}"
    row = model.objects.filter(slug=slug).first()
    if row is None:
        row = model(slug=slug)
        apply(row, fields)
        row.save()
        report.created.append(label)
    else:
        current = row.content_hash()
        if fingerprint(fields) == current:
            report.unchanged.append(label)
            if row.synced_hash != current:
                type(row).objects.filter(pk=row.pk).update(synced_hash=current)
            return row
        if row.synced_hash and row.synced_hash != current and not force:
            report.conflicts.append(label)
            return None
        apply(row, fields)
        row.save()
        report.updated.append(label)
    type(row).objects.filter(pk=row.pk).update(synced_hash=row.content_hash())
    return row
