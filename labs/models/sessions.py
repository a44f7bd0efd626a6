"""A learner's work on one lab: drafts, hints, the solution shown."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from labs.models.catalogue import Lab, LabVersion


class LabSession(models.Model):
    """One learner's work on one lab: the saved draft, hints, the exploit step, the result."""

    MAX_SCORE = 100

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lab_sessions"
    )
    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="sessions")
    version = models.ForeignKey(LabVersion, on_delete=models.PROTECT, related_name="sessions")
    draft_files = models.JSONField(default=dict, help_text="The learner's editable files.")
    hints_revealed = models.JSONField(default=list, blank=True)
    exploit_done_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(
        null=True, blank=True, help_text="The learner chose to see the solution (score 0)."
    )
    score = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lab"], name="labsession_one_per_user_lab")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.lab.slug}"

    @property
    def is_solved(self) -> bool:
        return self.solved_at is not None

    @property
    def explanation_unlocked(self) -> bool:
        return self.solved_at is not None or self.revealed_at is not None

    def hint_cost(self) -> int:
        """Points the revealed hints take off the score."""
        hints = self.version.hints
        return sum(int(hints[i].get("cost", 0)) for i in self.hints_revealed if i < len(hints))

    def potential_score(self) -> int:
        """What solving now would score: full marks less revealed hints; 0 once revealed."""
        if self.revealed_at is not None:
            return 0
        return max(0, self.MAX_SCORE - self.hint_cost())
