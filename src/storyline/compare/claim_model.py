"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -2.0643
PAIR_WEIGHTS = (
    0.2192,  # same_noun
    -0.7324,  # noun_differs
    0.5126,  # noun_missing
    -0.1912,  # ratio_tally
    -2.1277,  # ratio_measure
    1.1974,  # overlap
    0.9140,  # alike
    1.4314,  # context
    0.0224,  # near
    0.2936,  # near_rare
    0.3327,  # same_measure
    -0.4399,  # place_differs
    -1.3570,  # same_article
    -0.1887,  # other_time
    -1.3387,  # attribution_differs
    0.2238,  # vague_mismatch
    0.1827,  # shared_names
)
#: Mean pair probability at which two groups of figures are one claim.
LINK = 0.5
