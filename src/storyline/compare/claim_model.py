"""The learned weights of the claims' pair model (written by `benchmarks/train_claims.py`).

A logistic regression over `storyline.compare.claims.FEATURES`, trained on the dev2-tune figure
gold (`counts`): the chance that two figures measure one quantity.
"""

PAIR_INTERCEPT = -3.8531
PAIR_WEIGHTS = (
    0.1902,  # same_noun
    -0.6151,  # noun_differs
    0.3869,  # noun_missing
    0.0098,  # ratio_tally
    -1.8526,  # ratio_measure
    1.3905,  # overlap
    1.6645,  # alike
    1.3929,  # context
    0.5574,  # near
    -0.1372,  # near_rare
    0.7376,  # same_measure
    -0.9646,  # place_differs
    -1.5058,  # same_article
    -0.8126,  # other_time
    -1.1818,  # attribution_differs
    0.0000,  # vague_mismatch
    0.0869,  # shared_names
    0.8496,  # same_type
    0.0073,  # type_differs
    0.7892,  # same_noun_overlap
    0.1915,  # close_values_shared_context
    0.9018,  # same_type_tally
    0.8482,  # sentence_cosine
    -0.5454,  # noun_in_other_sentence
    -0.5469,  # same_value
    -1.3311,  # rank_mismatch
    1.3663,  # unit_differs
    2.0510,  # days_apart
    -0.5232,  # days_apart_same_type_tally
    0.5556,  # close_measure_same_type
    0.7620,  # close_measure_rare_words
)
#: Mean pair probability at which two groups of figures are one claim (chosen on dev2-tune after the
#: refit on the figure reader of annotator 5 with the value blocking key: 0.25, 0.3, 0.35, 0.4, 0.5
#: tried; 0.3 groups most while purity holds).
LINK = 0.3
