"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -3.9444
PAIR_WEIGHTS = (
    0.1751,  # same_noun
    -0.6537,  # noun_differs
    0.4457,  # noun_missing
    -0.0087,  # ratio_tally
    -2.0349,  # ratio_measure
    1.3792,  # overlap
    1.6577,  # alike
    1.3795,  # context
    0.8148,  # near
    0.1530,  # near_rare
    0.7501,  # same_measure
    -0.9909,  # place_differs
    -1.5848,  # same_article
    -0.8516,  # other_time
    -1.1736,  # attribution_differs
    0.0000,  # vague_mismatch
    0.2116,  # shared_names
    1.0657,  # same_type
    0.0642,  # type_differs
    0.5434,  # same_noun_overlap
    0.1520,  # close_values_shared_context
    0.7577,  # same_type_tally
    0.6298,  # sentence_cosine
    -0.5419,  # noun_in_other_sentence
    -0.4375,  # same_value
    -1.3062,  # rank_mismatch
    1.4660,  # unit_differs
    1.9246,  # days_apart
    -0.4382,  # days_apart_same_type_tally
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune after the
#: refit on the figure reader of annotator 5 with the value blocking key: 0.25, 0.3, 0.35, 0.4, 0.5
#: tried; 0.3 groups most while purity holds).
LINK = 0.3
