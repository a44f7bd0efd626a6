"""Authoring articles, paths and quizzes: previews, publishing, ordered steps, validation, stats.

One module per concept; importing them here registers every model with the admin site.
"""

from __future__ import annotations

from courses.admin import articles, paths, progress, quizzes

__all__ = ["articles", "paths", "progress", "quizzes"]
