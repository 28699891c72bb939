"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -3.8530
PAIR_WEIGHTS = (
    0.1956,  # same_noun
    -0.6212,  # noun_differs
    0.3953,  # noun_missing
    0.0116,  # ratio_tally
    -1.8433,  # ratio_measure
    1.3632,  # overlap
    1.6354,  # alike
    1.3874,  # context
    0.5451,  # near
    -0.1114,  # near_rare
    0.7417,  # same_measure
    -0.9761,  # place_differs
    -1.5196,  # same_article
    -0.8077,  # other_time
    -1.2205,  # attribution_differs
    0.0000,  # vague_mismatch
    0.0800,  # shared_names
    0.7860,  # same_type
    0.0144,  # type_differs
    0.8037,  # same_noun_overlap
    0.2067,  # close_values_shared_context
    0.9636,  # same_type_tally
    0.8378,  # sentence_cosine
    -0.5474,  # noun_in_other_sentence
    -0.4963,  # same_value
    -1.3582,  # rank_mismatch
    1.5049,  # unit_differs
    2.0131,  # days_apart
    -0.4990,  # days_apart_same_type_tally
    0.5188,  # close_measure_same_type
    0.8588,  # close_measure_rare_words
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune after the
#: refit on the figure reader of annotator 5 with the value blocking key: 0.25, 0.3, 0.35, 0.4, 0.5
#: tried; 0.3 groups most while purity holds).
LINK = 0.3
