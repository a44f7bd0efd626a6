"""Sample the sandboxes' processes: tasks and resident memory per user, against a budget.

A rlimit alone misses some cases: RLIMIT_NPROC makes ``fork`` fail but leaves a fork bomb spinning
at the cap until the wall clock, and RLIMIT_AS is per process. The supervision loop calls
:meth:`ResourceMonitor.sample` on every tick and ends the run at the first :class:`LimitHit`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .limits import LimitHit, LimitKind
from .procs import descendants, pss_bytes


@dataclass(frozen=True)
class Budget:
    """What one user (``who``: app, tests or script) may use: tasks, and resident bytes."""

    who: str
    max_tasks: int
    max_rss_process: int
    max_rss_total: int


class ResourceMonitor:
    """Sample the tasks and resident memory of each watched user (see the module docstring).

    Called every ``supervise.SAMPLE_SECONDS``, so both cases end the run within one tick.
    """

    def __init__(self, budgets: dict[int, Budget]) -> None:
        self.budgets = budgets
        #: Outer bubblewrap pids: everything the sandboxes run is below them.
        self.roots: list[int] = []
        self.peak_tasks: dict[int, int] = defaultdict(int)
        self.peak_rss: dict[int, int] = defaultdict(int)

    def sample(self) -> LimitHit | None:
        tasks: dict[int, int] = defaultdict(int)
        rss: dict[int, int] = defaultdict(int)
        pids: dict[int, list[int]] = defaultdict(list)
        hit: LimitHit | None = None
        for info in descendants(self.roots):
            if info.zombie or info.uid not in self.budgets:
                continue
            budget = self.budgets[info.uid]
            tasks[info.uid] += info.threads
            rss[info.uid] += info.rss_bytes
            pids[info.uid].append(info.pid)
            if info.rss_bytes > budget.max_rss_process and hit is None:
                hit = LimitHit(LimitKind.MEMORY, budget.who, f"pid {info.pid} rss {info.rss_bytes}")
        for uid, budget in self.budgets.items():
            self.peak_tasks[uid] = max(self.peak_tasks[uid], tasks[uid])
            self.peak_rss[uid] = max(self.peak_rss[uid], rss[uid])
            if hit is None and tasks[uid] >= budget.max_tasks:
                hit = LimitHit(LimitKind.PROCESSES, budget.who, f"{tasks[uid]} tasks")
            if hit is None and rss[uid] > budget.max_rss_total:
                # RSS double-counts pages shared after fork; PSS does not.
                pss = sum(pss_bytes(pid) for pid in pids[uid])
                if pss > budget.max_rss_total:
                    hit = LimitHit(LimitKind.MEMORY, budget.who, f"total pss {pss}")
        return hit
