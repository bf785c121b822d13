"""One step of the organisation, phase by phase (docs/ODD.md §3), the way NetLogo's ``go`` reads.

Each phase is a module with ``run(world, step)``: it reads the world, calls the rules of
``model.rules`` and writes the world; ``step`` carries what one phase hands to the next.
``SCHEDULE`` is the order in which ``OrganisationModel.step`` runs them; data collection
follows.

| phase | what happens |
|---|---|
| ``succession`` | scheduled departures; a successor takes over a vacant formal lead |
| ``arrivals`` | demand, requirements and know-how drift; tasks and problems arrive |
| ``exceptions`` | running tasks raise exceptions; they stall until someone decides |
| ``voice`` | people speak up about hidden problems, or a survey surfaces them |
| ``initiative`` | idle people take up work nobody asked for (and voice it where they may not act) |
| ``allocation`` | the leadership policy decides who leads and works on what |
| ``work`` | progress, completion, failure, quality; performance records |
| ``needs`` | each need's experiences of the step; needs; perceived support |
| ``regulations`` | the regulations move toward their targets (OIT) |
| ``contagion`` | autonomous motivation spreads along ties, bounded |
| ``wellbeing`` | job demands and resources; exhaustion crossover; exhaustion, vitality, burnout |
| ``learning`` | learning by doing and from colleagues; the leader watches; ties |
| ``completion`` | finished tasks leave the board; their members become free |
| ``turnover`` | intention, quitting, hiring into vacancies |
| ``adaptation`` | the policy's end-of-step update (a fostering leader reviews rights) |
"""

from model.phases import (
    adaptation,
    allocation,
    arrivals,
    completion,
    contagion,
    exceptions,
    initiative,
    learning,
    needs,
    regulations,
    succession,
    turnover,
    voice,
    wellbeing,
    work,
)

SCHEDULE = (
    succession,
    arrivals,
    exceptions,
    voice,
    initiative,
    allocation,
    work,
    needs,
    regulations,
    contagion,
    wellbeing,
    learning,
    completion,
    turnover,
    adaptation,
)
"""The phases of one step, in order."""

__all__ = ["SCHEDULE"]
