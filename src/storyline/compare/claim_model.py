"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -2.2174
PAIR_WEIGHTS = (
    0.2455,  # same_noun
    -0.7774,  # noun_differs
    0.5385,  # noun_missing
    -0.1087,  # ratio_tally
    -1.9593,  # ratio_measure
    1.5344,  # overlap
    0.5849,  # alike
    1.5887,  # context
    -0.1389,  # near
    0.2379,  # near_rare
    0.5628,  # same_measure
    -0.4243,  # place_differs
    -1.3271,  # same_article
    -0.1487,  # other_time
    -1.2892,  # attribution_differs
    0.0793,  # vague_mismatch
    0.1919,  # shared_names
)
#: Mean pair probability at which two groups of figures are one claim.
LINK = 0.5
