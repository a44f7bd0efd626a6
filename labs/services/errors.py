"""The one error the labs services raise for requests a learner or an author can fix."""

from __future__ import annotations


class LabError(Exception):
    """A request the learner can fix: the message is shown to them as it is."""
