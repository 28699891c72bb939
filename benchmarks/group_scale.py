"""Story clustering at scale: a long stream of replayed articles through the clusterer alone.

    python benchmarks/group_scale.py [--articles 200000] [--per-day 200] [--path ../shared/data/dev/articles.jsonl]
    python benchmarks/group_scale.py --incremental [10000,100000] [--add 1000] [--quick] [--keep DIR]

The development corpus is cleaned and annotated once and turned into feature records. The stream then
replays them as many distinct synthetic stories: each story copies one development event's articles,
shifted to its own dates (a few days apart), with part of every article's keys dropped and a set of
story-specific words and names added (drawn from a large synthetic vocabulary), so that stories about
the same kind of event at different times must be kept apart by their words and dates. Every 20,000
articles it prints the throughput over those articles (CPU time in the clusterer, one core), the
process's current and peak resident memory, and the clusterer's size; at the end, B-cubed against the
synthetic stories over the last 20,000.

`--incremental`: the store-backed path. A store is filled with synthetic articles (the development
corpus's cleaned texts, each synthetic story replacing most of its event's words, consistently, by
made-up words of its own, and moving it to its own days, 200 a day) and their stories, as earlier
runs would have left it (features and stories through the library, `fill`: no cleaning, annotation
or copy search); then one `update()` adds `--add` articles published after them, and its time (wall
and CPU) is printed for each store size (`--quick`: 2,000 and 20,000). One store is filled up the
sizes in turn and each update runs on a copy, in a process of its own as an `ingest` run is (the
fill's warm caches would make the update after it cheaper); `--keep DIR` keeps the filled stores there
for later runs, which then fill nothing. Articles are grouped without annotations (words and
dates), so the figures are those of grouping (stories and copies) alone. The claim to check: the
run's time follows the articles it adds and stays flat as the store grows (below about 5,000 stored
articles the copy pool, the articles of the days around the new ones, is smaller than the store).
"""

from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from group_eval import DEFAULT, load
from storyline.annotate import annotate
from storyline.article import Article
from storyline.group import (
    ArticleFeatures,
    Clusterer,
    bcubed,
    cluster_features,
    extract_features,
    load_clusterer,
    update,
)
from storyline.group.families import copy_keys, keys_version
from storyline.group.features import ENTITY_PREFIX
from storyline.store import CopyKeysRow, GroupingChange, Store, text_hash

CHUNK = 20_000
START_DAY = 730_000  # 1999-08-17 as a day number; any date works


def _templates(path: Path) -> list[list[dict[str, Any]]]:
    articles, gold, _ = load(path)
    by_event: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        features = extract_features(article, annotate(article.text, article.published))
        by_event.setdefault(gold[article.id], []).append(features.to_dict())
    return list(by_event.values())


def templates(path: Path, cache: Path | None = None) -> list[list[ArticleFeatures]]:
    """The development corpus's feature records, grouped by gold event (the label shapes the replay
    only; the clusterer never sees it). Computed in a child process, so that the memory figures are
    those of grouping, not of the spaCy model; kept in `cache` when given."""
    if cache is not None and cache.is_file():
        events = json.loads(cache.read_text())
    else:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            events = pool.submit(_templates, path).result()
        if cache is not None:
            cache.write_text(json.dumps(events))
    return [[ArticleFeatures.from_dict(f) for f in event] for event in events]


def stream(
    events: list[list[ArticleFeatures]], total: int, per_day: int, vocabulary: int, seed: int, args_rename: float
) -> Iterator[tuple[ArticleFeatures, int]]:
    """(features, synthetic story number) in publication order, generated day by day."""
    rng = random.Random(seed)
    pending: list[tuple[int, int, ArticleFeatures, int]] = []
    emitted = story = serial = 0
    day = START_DAY
    mean_size = sum(len(e) for e in events) / len(events)
    while emitted < total:
        for _ in range(max(1, round(per_day / mean_size))):
            story += 1
            event = rng.choice(events)
            # Each story renames most of its event's words and names consistently (its own places,
            # people, numbers); the rest stay shared with every story of that kind.
            renamed = {
                k: f"{ENTITY_PREFIX if k.startswith(ENTITY_PREFIX) else ''}w{rng.randrange(vocabulary)}"
                for template in event
                for k in template.keys
                if rng.random() < args_rename
            }
            for template in event:
                offset = rng.randint(0, 3)
                keys = {renamed.get(k, k): v for k, v in template.keys.items() if rng.random() > 0.2}
                serial += 1
                features = ArticleFeatures(
                    id=f"a{serial:08d}",
                    keys=keys,
                    day=day + offset,
                    event_days=[day] if template.event_days else [],
                    title=template.title,
                )
                heapq.heappush(pending, (day + offset, serial, features, story))
        day += 1
        while pending and pending[0][0] < day:
            _, _, features, number = heapq.heappop(pending)
            yield features, number
            emitted += 1
            if emitted >= total:
                return


def rss_mb() -> tuple[float, float]:
    """Current and peak resident memory of this process, in MB."""
    with open("/proc/self/statm") as handle:
        current = int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    return current, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_WORD = re.compile(r"[A-Za-z]{4,}")


_LETTERS = "bcdfghjklmnpqrstvwxz"


def _new_word(word: str, rng: random.Random) -> str:
    """A made-up word as long as `word`, capitalised like it. Nothing of the old word stays: two stories
    of one event's kind share the words neither renamed, not look-alikes of the renamed ones (those
    made two stories' texts read as lightly edited copies of each other, whole families across stories)."""
    made = "".join(rng.choice(_LETTERS) for _ in word)
    return made.capitalize() if word[0].isupper() else made


def synthetic_articles(path: Path, total: int, per_day: int, seed: int) -> Iterator[Article]:
    """Synthetic articles in publication order: each story copies one development event's articles
    (their cleaned texts) with most words renamed for that story, on days of its own."""
    articles, gold, _ = load(path)
    by_event: dict[str, list[Article]] = {}
    for article in articles:
        by_event.setdefault(gold[article.id], []).append(article)
    events = list(by_event.values())
    rng = random.Random(seed)
    emitted = story = 0
    day = START_DAY
    mean = sum(len(e) for e in events) / len(events)
    while emitted < total:
        for _ in range(max(1, round(per_day / mean))):
            story += 1
            names: dict[str, str] = {}

            def rename(match: re.Match[str], names: dict[str, str] = names) -> str:
                word = match[0]
                if word not in names:
                    names[word] = _new_word(word, rng) if rng.random() < 0.6 else word
                return names[word]

            for template in rng.choice(events):
                published = date.fromordinal(day + rng.randint(0, 2)).isoformat()
                emitted += 1
                yield replace(
                    template,
                    id=f"syn{emitted:08d}",
                    source=f"synthetic:{emitted}",
                    url=None,
                    text=_WORD.sub(rename, template.text),
                    title=_WORD.sub(rename, template.title or ""),
                    published=published,
                )
                if emitted >= total:
                    return
        day += 1


def fill(store: Store, articles: list[Article]) -> None:
    """Store `articles` and group them as earlier runs would have (features and stories through the
    clusterer, saved with its state in one change, with the copy-search keys an update makes and keeps
    for each article); copies among them are not looked for (they would only be compared within days
    of each other, and the measured run reads its own neighbours)."""
    with store.transaction():
        for article in articles:
            store.add_article(article)
    clusterer = load_clusterer(store)
    grouping = cluster_features([extract_features(a) for a in articles], clusterer)
    change = GroupingChange(
        removed=[],
        families=[],
        placements=grouping.stories,
        text_hashes={a.id: text_hash(a.text) for a in articles},
        state=clusterer.to_state(),
        copy_keys=[CopyKeysRow(a.id, text_hash(a.text), keys_version(), copy_keys(a).pack()) for a in articles],
    )
    store.save_grouping(change)


def incremental(
    path: Path, sizes: list[int], add: int, per_day: int, seed: int, profile: bool = False, keep: Path | None = None
) -> None:
    """For each of `sizes`: a store filled to that size (`fill`), then one `update()` adding `add`
    articles published after them; its wall and CPU time are printed. One store is filled up the
    sizes in turn, and each update runs on a copy of it (filling is the long part). `profile`: the
    functions taking the most time in each update are printed after its row. `keep`: a folder where
    the filled stores are kept (`filled-SIZE.db`, for this seed and rate) and taken from by later runs,
    so that repeated measurements fill once."""
    header = ("stored", 8), ("added", 6), ("fill s", 7), ("wall s", 7), ("cpu s", 6), ("art/s", 6), ("stories", 8)
    print(" ".join(f"{name:>{width}}" for name, width in header), f"{'families':>9}", flush=True)
    sizes = sorted(sizes)
    articles = list(synthetic_articles(path, sizes[-1] + add, per_day, seed))
    with tempfile.TemporaryDirectory(prefix="group-scale-") as tmp:
        filled_db, filled, filled_for = Path(tmp) / "filled.db", 0, 0.0
        cpus: list[float] = []
        for size in sizes:
            started = time.perf_counter()
            kept = None if keep is None else keep / f"filled-{size}-{per_day}-{seed}.db"
            if kept is not None and kept.is_file():
                shutil.copyfile(kept, filled_db)
            else:
                with Store(filled_db) as store:
                    for start in range(filled, size, 20_000):
                        fill(store, articles[start : min(size, start + 20_000)])
                if kept is not None:
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(filled_db, kept)
            filled, filled_for = size, filled_for + time.perf_counter() - started
            measured = Path(tmp) / "measured.db"
            shutil.copyfile(filled_db, measured)  # closed: the WAL is checkpointed into the file
            # In a process of its own, as an `ingest` run is: the fill's warm caches (sentences, words)
            # would otherwise make the measured update cheaper by the articles filled last.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                wall, cpu, placed, stories, families, profiled = pool.submit(
                    measure, measured, articles[size : size + add], profile
                ).result()
            measured.unlink()
            cpus.append(cpu)
            print(
                f"{size:>8} {placed:>6} {filled_for:>7.0f} {wall:>7.2f} {cpu:>6.2f} "
                f"{placed / cpu:>6.0f} {stories:>8} {families:>9}",
                flush=True,
            )
            if profiled:
                print(profiled, flush=True)
    if len(cpus) > 1:
        print(f"CPU time of the largest store's update / the smallest's: {cpus[-1] / cpus[0]:.2f}x", flush=True)


def measure(db: Path, added: list[Article], profile: bool) -> tuple[float, float, int, int, int, str]:
    """Store `added` in the store at `db` and time one `update()` (wall, CPU): (wall, cpu, articles
    placed, stories, families, the profile's text when `profile`)."""
    with Store(db) as store:
        with store.transaction():
            for article in added:
                store.add_article(article)
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        wall, cpu = time.perf_counter(), time.process_time()
        report = update(store, annotations_for=lambda _: None)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        text = ""
        if profiler is not None:
            profiler.disable()
            import io
            import pstats

            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(20)
            text = out.getvalue()
    return wall, cpu, report.articles, report.stories_total, report.families, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--per-day", type=int, default=200, help="articles published per day")
    parser.add_argument("--vocabulary", type=int, default=50_000, help="synthetic words to draw from")
    parser.add_argument("--path", type=Path, default=DEFAULT)
    parser.add_argument("--rename", type=float, default=0.6, help="share of an event's keys each story renames")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=None, help="JSON file keeping the feature records")
    parser.add_argument("--profile", action="store_true", help="print the top functions by time")
    parser.add_argument(
        "--incremental", nargs="?", const="10000,100000", default=None, metavar="SIZES",
        help="time update() adding --add articles to stores of these sizes (comma-separated)",
    )  # fmt: skip
    parser.add_argument("--add", type=int, default=1000, help="articles an incremental run adds")
    parser.add_argument("--quick", action="store_true", help="with --incremental: sizes 2,000 and 20,000")
    parser.add_argument("--keep", type=Path, default=None, help="with --incremental: folder keeping the filled stores")
    args = parser.parse_args()
    if args.incremental is not None:
        sizes = [2000, 20000] if args.quick else [int(n) for n in args.incremental.split(",")]
        incremental(args.path, sizes, args.add, args.per_day, args.seed, args.profile, args.keep)
        return
    events = templates(args.path, args.cache)
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    clusterer = Clusterer()
    gold: dict[str, int] = {}
    predicted: dict[str, str] = {}
    rates: list[float] = []
    peaks: list[float] = []
    print(
        f"{'articles':>9} {'art/s':>7} {'wall/s':>7} {'rss MB':>7} {'peak MB':>8} "
        f"{'stories':>8} {'dormant':>8} {'df keys':>8}"
    )
    started = time.perf_counter()
    # CPU time inside the clusterer only: generating the stream is not grouping, and on a shared
    # machine wall time also counts other processes (the `wall/s` column shows the whole loop).
    spent = 0.0
    articles = stream(events, args.articles, args.per_day, args.vocabulary, args.seed, args.rename)
    for count, (features, number) in enumerate(articles, 1):
        tick = time.process_time()
        clusterer.observe(features)
        sid = clusterer.add(features)
        spent += time.process_time() - tick
        if count > args.articles - CHUNK:
            gold[features.id], predicted[features.id] = str(number), sid
        if count % CHUNK == 0:
            now = time.perf_counter()
            rates.append(CHUNK / spent)
            current, peak = rss_mb()
            peaks.append(peak)
            print(
                f"{count:>9} {rates[-1]:>7.0f} {CHUNK / (now - started):>7.0f} {current:>7.1f} {peak:>8.1f} "
                f"{len(clusterer.stories):>8} {len(clusterer._dormant):>8} {len(clusterer.df):>8}"
            )
            started, spent = time.perf_counter(), 0.0
    if args.profile:
        profile.disable()
        import pstats

        pstats.Stats(profile).sort_stats("tottime").print_stats(15)
    scores = bcubed(predicted, gold)
    print(
        f"B-cubed over the last {len(gold)} articles: P {scores.precision:.3f} R {scores.recall:.3f} F1 {scores.f1:.3f}"
    )
    if len(rates) > 1:
        print(
            f"throughput first/last chunk: {rates[0]:.0f} / {rates[-1]:.0f} articles/s "
            f"({rates[-1] / rates[0] - 1:+.0%}); peak memory {peaks[0]:.0f} / {peaks[-1]:.0f} MB "
            f"({peaks[-1] / peaks[0] - 1:+.0%})"
        )


if __name__ == "__main__":
    main()
