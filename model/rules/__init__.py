"""The model's rules: pure, vectorised functions, one module per concern.

- ``dispositions``: stable individual differences (orientations, drive, own reasons)
- ``experiences``: what each employee experiences for each need in a step
- ``motivation``: needs and regulations (SDT), derived motivation measures
- ``contagion``: motivational contagion (bounded) and exhaustion crossover
- ``leadership``: claim, grant, support, volunteering, a leader's acts
- ``work``: effort, contribution, team progress, coordination, quality
- ``learning``: skills and tie strength
- ``wellbeing``: job demands and resources; exhaustion, vitality, burnout (JD-R)
- ``turnover``: intention and quitting
- ``problems``: voice about hidden problems, surveys, voice efficacy, learned helplessness
- ``delegation``: a fostering leader's readiness beliefs, hand-over of rights, protocols

Change a rule here and the whole model uses it; nothing else needs to change.
"""
