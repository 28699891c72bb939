"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -2.9556
PAIR_WEIGHTS = (
    0.2591,  # same_noun
    -1.0381,  # noun_differs
    0.7738,  # noun_missing
    -0.0781,  # ratio_tally
    -2.0493,  # ratio_measure
    1.5072,  # overlap
    1.1870,  # alike
    1.1741,  # context
    0.0501,  # near
    0.3385,  # near_rare
    0.5931,  # same_measure
    -0.8949,  # place_differs
    -1.3347,  # same_article
    -0.2287,  # other_time
    -1.1591,  # attribution_differs
    0.9235,  # vague_mismatch
    0.1011,  # shared_names
    1.2125,  # same_type
    0.1668,  # type_differs
)
#: Mean pair probability at which two groups of figures are one claim.
LINK = 0.5
