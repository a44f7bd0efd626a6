"""Lab fixtures: Alice's session on the Flask pilot lab."""

from __future__ import annotations

import pytest

from labs.models import Lab, LabSession
from labs.services import lab_session_start
from portal.models import User


@pytest.fixture
def alice_session(alice: User, flask_lab: Lab) -> LabSession:
    return lab_session_start(user=alice, lab=flask_lab)


def solution_files(session: LabSession) -> dict[str, str]:
    return {**session.draft_files, **{
        path: text for path, text in session.version.solution_files.items()
        if path in session.version.editable
    }}  # fmt: skip
