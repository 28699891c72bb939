"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -3.6058
PAIR_WEIGHTS = (
    0.0656,  # same_noun
    -0.6118,  # noun_differs
    0.4743,  # noun_missing
    -0.0032,  # ratio_tally
    -2.1787,  # ratio_measure
    1.3673,  # overlap
    1.5379,  # alike
    1.1360,  # context
    0.8246,  # near
    0.1069,  # near_rare
    0.6325,  # same_measure
    -1.2322,  # place_differs
    -1.4897,  # same_article
    -0.9214,  # other_time
    -1.2339,  # attribution_differs
    0.0000,  # vague_mismatch
    0.1920,  # shared_names
    0.9408,  # same_type
    -0.1458,  # type_differs
    0.7410,  # same_noun_overlap
    0.1615,  # close_values_shared_context
    0.3574,  # same_type_tally
    0.6313,  # sentence_cosine
    -0.1723,  # noun_in_other_sentence
    -0.5723,  # same_value
    -1.1690,  # rank_mismatch
    1.4257,  # unit_differs
    2.2843,  # days_apart
    -0.3610,  # days_apart_same_type_tally
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune after the
#: refit on the figure reader of annotator 5 with the value blocking key: 0.25, 0.3, 0.35, 0.4, 0.5
#: tried; 0.3 groups most while purity holds).
LINK = 0.3
