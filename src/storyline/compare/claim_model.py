"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -3.0675
PAIR_WEIGHTS = (
    0.2773,  # same_noun
    -0.6814,  # noun_differs
    0.3104,  # noun_missing
    -0.3111,  # ratio_tally
    -2.2691,  # ratio_measure
    0.6458,  # overlap
    1.7541,  # alike
    1.5021,  # context
    0.6672,  # near
    -0.1731,  # near_rare
    0.4681,  # same_measure
    -0.9690,  # place_differs
    -1.2520,  # same_article
    -0.8161,  # other_time
    -1.1252,  # attribution_differs
    0.0000,  # vague_mismatch
    0.1153,  # shared_names
    0.5942,  # same_type
    0.5383,  # type_differs
    0.8240,  # same_noun_overlap
    0.2499,  # close_values_shared_context
    1.8155,  # same_type_tally
    0.5867,  # sentence_cosine
    -1.0655,  # noun_in_other_sentence
    -0.5750,  # same_value
    -1.3830,  # rank_mismatch
    1.1921,  # unit_differs
    1.9812,  # days_apart
    -1.1952,  # days_apart_same_type_tally
    0.8756,  # close_measure_same_type
    0.7114,  # close_measure_rare_words
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune after the
#: refit on the figure reader of annotator 5 with the value blocking key: 0.25, 0.3, 0.35, 0.4, 0.5
#: tried; 0.3 groups most while purity holds).
LINK = 0.3
