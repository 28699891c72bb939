"""Grouping: syndication families (copies of one text) and stories (articles about one event).

from storyline.group import find_families, update, list_stories
families = find_families(articles)          # in memory
report = update(store)                      # stored articles not yet grouped join families and stories
for story in list_stories(store): ...       # newest first, with independent-source counts
"""

from storyline.group.cluster import Clusterer, ClusterSettings, Story
from storyline.group.evaluate import Scores, bcubed, pairwise
from storyline.group.families import Differences, Family, FamilySettings, Substitution, find_families, is_copy
from storyline.group.features import ArticleFeatures, extract_features
from storyline.group.persist import (
    FamilySummary,
    GroupReport,
    StoryArticle,
    StorySummary,
    independent_sources,
    list_stories,
    load_clusterer,
    regroup,
    update,
)
from storyline.group.stories import Grouping, cluster_features, features_of, stream_order

__all__ = [
    "ArticleFeatures",
    "ClusterSettings",
    "Clusterer",
    "Differences",
    "Family",
    "FamilySettings",
    "FamilySummary",
    "GroupReport",
    "Grouping",
    "Scores",
    "Story",
    "StoryArticle",
    "StorySummary",
    "Substitution",
    "bcubed",
    "cluster_features",
    "extract_features",
    "features_of",
    "find_families",
    "independent_sources",
    "is_copy",
    "list_stories",
    "load_clusterer",
    "pairwise",
    "regroup",
    "stream_order",
    "update",
]
