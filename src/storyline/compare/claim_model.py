"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -3.8710
PAIR_WEIGHTS = (
    0.1745,  # same_noun
    -0.6222,  # noun_differs
    0.4237,  # noun_missing
    -0.0023,  # ratio_tally
    -2.0552,  # ratio_measure
    1.3486,  # overlap
    1.6332,  # alike
    1.3451,  # context
    0.7547,  # near
    0.0820,  # near_rare
    0.6756,  # same_measure
    -1.0184,  # place_differs
    -1.6018,  # same_article
    -0.8603,  # other_time
    -1.2152,  # attribution_differs
    0.0000,  # vague_mismatch
    0.1173,  # shared_names
    1.0577,  # same_type
    -0.0024,  # type_differs
    0.7235,  # same_noun_overlap
    0.2279,  # close_values_shared_context
    0.6908,  # same_type_tally
    0.7959,  # sentence_cosine
    -0.5337,  # noun_in_other_sentence
    -0.4487,  # same_value
    -1.3257,  # rank_mismatch
    1.4854,  # unit_differs
    2.1013,  # days_apart
    -0.5393,  # days_apart_same_type_tally
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune after the
#: refit on the figure reader of annotator 5 with the value blocking key: 0.25, 0.3, 0.35, 0.4, 0.5
#: tried; 0.3 groups most while purity holds).
LINK = 0.3
