"""Completion: completed and failed tasks leave the board; their members become free."""

from __future__ import annotations

from model.codes import IDLE, NO_TASK
from model.world import Step, World


def run(world: World, step: Step) -> None:
    s, tasks = world.state, world.tasks
    finished = (tasks.work_done >= tasks.work_total) | (world.steps >= tasks.last_week)
    if not finished.any():
        return
    remap = tasks.keep(~finished)
    on = s.task >= 0
    s.task[on] = remap[s.task[on]]
    freed = on & (s.task == NO_TASK)
    s.join_mode[freed] = IDLE
    s.join_support[freed] = 0.0
    s.free_since[freed] = world.steps
