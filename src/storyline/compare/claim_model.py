"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -2.6596
PAIR_WEIGHTS = (
    0.2816,  # same_noun
    -1.0047,  # noun_differs
    0.7048,  # noun_missing
    -0.1738,  # ratio_tally
    -2.2713,  # ratio_measure
    1.7014,  # overlap
    0.8743,  # alike
    1.3396,  # context
    0.0671,  # near
    0.3295,  # near_rare
    0.5390,  # same_measure
    -0.9111,  # place_differs
    -1.4993,  # same_article
    -0.2210,  # other_time
    -1.1656,  # attribution_differs
    0.0000,  # vague_mismatch
    0.0848,  # shared_names
    1.1610,  # same_type
    0.1188,  # type_differs
    0.2095,  # same_noun_overlap
    -0.4512,  # close_values_shared_context
    -0.2409,  # same_type_tally
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune: 0.35,
#: 0.4, 0.45, 0.5 tried; 0.4 groups most without losing purity).
LINK = 0.4
