"""The test process's JSON-lines report (written by ``inside/grader_plugin.py``), parsed.

The report lives in a folder only the test user can reach, so it is what the verdict trusts; it is
read whole after the run, or line by line while it grows (live progress).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .limits import MIB

#: The most of the report the engine reads (after the run, and in all while following it).
REPORT_MAX_BYTES = 4 * MIB
#: Where the test process writes it, inside the job's report folder.
REPORT_NAME = "report.jsonl"


@dataclass
class TestReport:
    """The test process's JSON-lines report, parsed."""

    configured: bool = False
    finished: bool = False
    exitstatus: int | None = None
    collected: list[str] = field(default_factory=list)
    collection_errors: int = 0
    #: name -> list of (outcome, duration_ms, message)
    results: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    #: nodeids started but with no result (the run was cut short while they ran)
    running: list[str] = field(default_factory=list)
    #: CLOCK_MONOTONIC of configure / collected / finish events, for timing diagnostics
    times: dict[str, float] = field(default_factory=dict)
    #: name -> the plugin's own note on a passed check (an exploit stopped before it finished)
    notes: dict[str, str] = field(default_factory=dict)
    #: nodeid -> name of every collected test, and the nodeids that have a result (live progress)
    collected_ids: dict[str, str] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    _started: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def parse(cls, data: bytes | None) -> TestReport:
        report = cls()
        if not data:
            return report
        report.feed(data.decode("utf-8", "replace"))
        return report

    def feed(self, text: str) -> None:
        """Add lines of the report: the whole file (``parse``), or complete lines as they come."""
        for line in text.splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if not isinstance(event, dict):
                continue
            kind = event.get("event")
            if kind in ("configure", "collected", "finish") and isinstance(
                event.get("t"), int | float
            ):
                self.times[str(kind)] = float(event["t"])
            if kind == "configure":
                self.configured = True
            elif kind == "collected":
                tests = event.get("tests") or []
                self.collected = [str(t.get("name")) for t in tests if isinstance(t, dict)]
                self.collected_ids = {
                    str(t.get("nodeid")): str(t.get("name")) for t in tests if isinstance(t, dict)
                }
                self.collection_errors = int(event.get("errors") or 0)
            elif kind == "start":
                self._started[str(event.get("nodeid"))] = ""
            elif kind == "result":
                nodeid = str(event.get("nodeid"))
                self._started.pop(nodeid, None)
                self.done.add(nodeid)
                name = str(event.get("name"))
                entry = (
                    str(event.get("outcome")),
                    int(event.get("duration_ms") or 0),
                    str(event.get("message") or ""),
                )
                self.results.setdefault(name, []).append(entry)
                if event.get("note"):
                    self.notes[name] = str(event["note"])[:500]
            elif kind == "finish":
                self.finished = True
                self.exitstatus = int(event.get("exitstatus", -1))
        self.running = list(self._started)

    def running_names(self) -> set[str]:
        return {nodeid.rsplit("::", 1)[-1].split("[", 1)[0] for nodeid in self.running}
