"""Deterministic content generator: authors, terms, posts, archive indexes and bodies."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import banks
from .model import SITE_TZ, Author, Category, Post, ReplicaConfig, Tag, stable_hash
from .seeds import SEED_POSTS

INITIAL_NOW = datetime(2025, 1, 10, 11, 0, tzinfo=SITE_TZ)
#: Number of Kazakhstan posts and the seed posts' 1-based positions there (initial state).
KAZ_TOTAL = 118
KAZ_SEED_FIRST = 97
SEED_DATES = (
    datetime(2024, 2, 26, 14, 10, 12, tzinfo=SITE_TZ),
    datetime(2024, 1, 17, 16, 45, 3, tzinfo=SITE_TZ),
    datetime(2024, 1, 11, 12, 30, 40, tzinfo=SITE_TZ),
    datetime(2024, 1, 8, 9, 15, 0, tzinfo=SITE_TZ),
    datetime(2024, 1, 5, 11, 5, 27, tzinfo=SITE_TZ),
    datetime(2024, 1, 4, 15, 40, 9, tzinfo=SITE_TZ),
)
SEED_META: tuple[tuple[tuple[str, ...], str, tuple[str, ...], bool], ...] = (
    # authors, kazakhstan child section, tags, has_image
    (("aidana-bekova",), "international-affairs", ("unicef", "eu"), True),
    (("timur-rakhimov",), "business-economy", ("energy",), True),
    (("times-of-central-asia",), "featurees", (), False),
    (("dilnoza-saidova", "eleanor-whitfield"), "justice", ("human-rights",), True),
    (("kanat-nurgaliyev",), "business-economy", ("energy", "oil-gas"), True),
    (("times-of-central-asia",), "life-culture", ("it", "startups"), True),
)
CLUTTER_KINDS = ("none", "none", "vc", "video", "caption")


def normalize_text(text: str) -> str:
    """NFC and collapse whitespace (incl. no-break spaces) to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def slugify(title: str) -> str:
    """WordPress-like sanitize_title: strip accents, lower, hyphenate."""
    text = unicodedata.normalize("NFKD", title.replace("’", "").replace("'", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("&", " ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:90].strip("-")


@dataclass
class Archive:
    """One paginated archive: its key (path without slashes) and its posts, newest first."""

    key: str
    path: str
    title: str
    posts: list[int]
    quirk: str | None = None


class SiteContent:
    """All content of one replica state, with archive indexes."""

    def __init__(self, cfg: ReplicaConfig) -> None:
        self.cfg = cfg
        self.rng = random.Random(cfg.seed * 7919 + 17)
        self.now = INITIAL_NOW if cfg.state == "initial" else INITIAL_NOW + timedelta(days=1)
        self.authors = self._make_authors()
        self.categories = self._make_categories()
        self.tags = {
            slug: Tag(slug, name, 300 + i * 7) for i, (slug, name) in enumerate(banks.TAGS)
        }
        self.posts: list[Post] = self._make_posts()
        self._paragraph_cache: dict[int, list[str]] = {}
        if cfg.state == "later":
            self._apply_later_state()
        self.by_slug = {p.slug: p for p in self.posts}
        self.by_id = {p.post_id: p for p in self.posts}
        self.by_legacy = {p.legacy_id: p for p in self.posts if p.legacy_id is not None}
        self.archives = self._make_archives()

    # ------------------------------------------------------------------ terms
    def _make_authors(self) -> dict[str, Author]:
        out = {}
        for i, (slug, name) in enumerate(banks.AUTHORS):
            city = banks.CITIES["kazakhstan"][i % 4].title()
            bio = banks.BIOS[i % len(banks.BIOS)].format(name=name, city=city)
            out[slug] = Author(slug, name, bio, user_id=2 + i * 3)
        return out

    def _make_categories(self) -> dict[str, Category]:
        cats: dict[str, Category] = {}
        term = 12
        for cslug, cname, _adj in banks.COUNTRIES:
            cats[cslug] = Category(cslug, cname, term)
            term += 1
            for sslug, sname in banks.SECTIONS:
                child = f"{cslug}-{sslug}"
                if cslug == "kazakhstan" and sslug == "features":
                    child = "kazakhstan-featurees"
                cats[f"{cslug}/{child}"] = Category(f"{cslug}/{child}", sname, term, cslug)
                term += 3
        cats["home"] = Category("home", "Home", 4)
        for sslug, sname in banks.HOME_SECTIONS:
            cats[f"home/{sslug}"] = Category(f"home/{sslug}", sname, term, "home")
            term += 2
        for sslug, sname in banks.TOP_SECTIONS:
            cats[sslug] = Category(sslug, sname, term)
            term += 5
        return cats

    def country_child(self, country: str, section: str) -> str:
        """Path of a country's section category (knows the 'featurees' misspelling)."""
        if country == "kazakhstan" and section in ("features", "featurees"):
            return "kazakhstan/kazakhstan-featurees"
        return f"{country}/{country}-{section}"

    # ------------------------------------------------------------------ posts
    def _timeline(self, n_gen: int) -> tuple[list[datetime], list[datetime]]:
        rng = self.rng
        n_new = max(min(KAZ_SEED_FIRST - 1, n_gen), round(n_gen * 0.3))
        n_new = min(n_new, n_gen)
        start_new = datetime(2024, 2, 27, 0, 0, tzinfo=SITE_TZ).timestamp()
        end_new = (INITIAL_NOW - timedelta(minutes=40)).timestamp()
        start_old = datetime(2019, 6, 1, tzinfo=SITE_TZ).timestamp()
        end_old = datetime(2024, 1, 3, 20, 0, tzinfo=SITE_TZ).timestamp()
        newer = sorted((rng.uniform(start_new, end_new) for _ in range(n_new)), reverse=True)
        older = sorted(
            (rng.uniform(start_old, end_old) for _ in range(n_gen - n_new)), reverse=True
        )
        conv = [datetime.fromtimestamp(int(t), SITE_TZ) for t in newer]
        conv_old = [datetime.fromtimestamp(int(t), SITE_TZ) for t in older]
        return conv, conv_old

    def _title(self, rng: random.Random, country: tuple[str, str, str]) -> str:
        other = rng.choice([c for c in banks.COUNTRIES if c != country])
        cslug = country[0]
        return rng.choice(banks.TITLE_PATTERNS).format(
            C=country[1],
            C2=other[1],
            A=country[2],
            n=rng.randint(1, 9),
            p=rng.randint(2, 40),
            thing=rng.choice(banks.THINGS),
            topic=rng.choice(banks.TOPICS),
            partner=rng.choice(banks.PARTNERS).replace("the ", "").strip(),
            month=rng.choice(banks.MONTHS),
            city=rng.choice(banks.CITIES[cslug]).title(),
            leader=banks.LEADERS[cslug].replace("the ", "The ", 1),
        )

    def _make_posts(self) -> list[Post]:
        cfg, rng = self.cfg, self.rng
        n_gen = cfg.posts - len(SEED_POSTS)
        newer, older = self._timeline(n_gen)
        big = cfg.posts >= KAZ_TOTAL
        kaz_new = set(rng.sample(range(len(newer)), min(KAZ_SEED_FIRST - 1, len(newer))))
        kaz_old_n = KAZ_TOTAL - KAZ_SEED_FIRST - len(SEED_POSTS) + 1
        kaz_old = set(rng.sample(range(len(older)), min(kaz_old_n, len(older))))
        entries: list[tuple[datetime, int | None, bool]] = []
        entries += [(d, None, (not big) or i in kaz_new) for i, d in enumerate(newer)]
        entries += [(d, k, True) for k, d in enumerate(SEED_DATES)]
        entries += [(d, None, (not big) or i in kaz_old) for i, d in enumerate(older)]
        # post IDs increase with date, with gaps (revisions, attachments, pages).
        ids: list[int] = []
        pid = 18000 + rng.randint(0, 500)
        for _ in entries:
            pid += rng.randint(1, 45)
            ids.append(pid)
        ids.reverse()
        posts: list[Post] = []
        used: set[str] = set()
        non_kaz = [c for c in banks.COUNTRIES if c[0] != "kazakhstan"]
        for idx, ((pub, seed_k, in_kaz), post_id) in enumerate(zip(entries, ids, strict=True)):
            prng = random.Random(stable_hash(cfg.seed, "post", idx, post_id))
            if seed_k is not None:
                title = SEED_POSTS[seed_k][0]
                authors, sect, tags, has_image = SEED_META[seed_k]
                cats = ("kazakhstan", self.country_child("kazakhstan", sect))
            else:
                country = banks.COUNTRIES[0] if in_kaz else prng.choice(non_kaz)
                title = self._title(prng, country)
                n_auth = 2 if prng.random() < 0.12 else 1
                authors = tuple(prng.sample([a[0] for a in banks.AUTHORS], n_auth))
                cat_list = [
                    country[0],
                    self.country_child(country[0], prng.choice(banks.SECTIONS)[0]),
                ]
                if prng.random() < 0.15:
                    extra = prng.choice(non_kaz)[0]
                    cat_list += [extra]
                if prng.random() < 0.12:
                    cat_list.append("home/" + prng.choice(banks.HOME_SECTIONS)[0])
                if prng.random() < 0.08:
                    cat_list.append(prng.choice(banks.TOP_SECTIONS)[0])
                # most of the site's posts are filed under a country's child section only
                if random.Random(stable_hash(cfg.seed, "child-only", post_id)).random() < 0.45:
                    cat_list.pop(0)
                cats = tuple(dict.fromkeys(cat_list))
                tags = (
                    ()
                    if prng.random() < 0.15
                    else tuple(prng.sample([t[0] for t in banks.TAGS], prng.randint(1, 4)))
                )
                has_image = prng.random() > 0.12
            slug = slugify(title)
            base, k = slug, 2
            while slug in used:
                slug, k = f"{base}-{k}", k + 1
            used.add(slug)
            mod = pub if prng.random() < 0.35 else pub + timedelta(minutes=prng.randint(3, 4000))
            mod = min(mod, self.now - timedelta(minutes=5)) if mod > pub else mod
            posts.append(
                Post(
                    index=idx,
                    post_id=post_id,
                    slug=slug,
                    title=title,
                    authors=authors,
                    published=pub,
                    modified=max(mod, pub),
                    categories=cats,
                    tags=tags,
                    has_image=has_image,
                    seed_index=seed_k,
                    clutter="none" if seed_k is not None else prng.choice(CLUTTER_KINDS),
                    image_w=prng.choice((1200, 1024, 800)),
                    image_h=prng.choice((800, 683, 533)),
                )
            )
        self._assign_legacy(posts)
        return posts

    def _assign_legacy(self, posts: list[Post]) -> None:
        """Give a few pre-2023 posts old CMS URLs (/index.php/news/NNNNN-slug)."""
        old = [p for p in posts if p.published.year < 2023 and p.seed_index is None]
        for k, p in enumerate(old[-5:]):
            p.legacy_id = 22364 - k * 1311
            p.extra["no_ticker"] = True
        if old:
            old[-1].extra["no_ticker"] = True

    def _apply_later_state(self) -> None:
        """Next day: three new posts on top, three edited posts, one removed post."""
        rng = random.Random(stable_hash(self.cfg.seed, "later"))
        used = {p.slug for p in self.posts}
        top_id = self.posts[0].post_id
        new: list[Post] = []
        non_kaz = [c for c in banks.COUNTRIES if c[0] != "kazakhstan"]
        for k in range(3):
            pub = self.now - timedelta(hours=2 + 7 * k, minutes=rng.randint(0, 50))
            country = rng.choice(non_kaz)
            title = self._title(rng, country)
            slug = slugify(title)
            while slug in used:
                slug += "-2"
            used.add(slug)
            new.append(
                Post(
                    index=-1,
                    post_id=top_id + 60 - 17 * k,
                    slug=slug,
                    title=title,
                    authors=(rng.choice(banks.AUTHORS)[0],),
                    published=pub,
                    modified=pub,
                    categories=(country[0], self.country_child(country[0], "local-politics")),
                    tags=("security",),
                    has_image=True,
                    clutter="caption",
                )
            )
        self.posts = new + self.posts
        for i, p in enumerate(self.posts):
            p.index = i
        candidates = self.later_candidates()
        for p in candidates[:3]:
            p.edited = True
            p.title = p.title + ": Update"
            p.modified = self.now - timedelta(hours=1, minutes=p.post_id % 50)
        candidates[3].removed = True

    def later_candidates(self) -> list[Post]:
        """Posts the later state edits (first 3) and removes (4th), non-Kazakhstan preferred."""
        pool = [
            p
            for p in self.posts[3:]
            if p.seed_index is None and p.legacy_id is None and not p.extra.get("no_ticker")
        ]
        pool.sort(key=lambda p: (p.country == "kazakhstan", stable_hash("later", p.post_id)))
        return pool

    # ------------------------------------------------------------------ archives
    def _make_archives(self) -> dict[str, Archive]:
        listed = [p for p in self.posts if not p.removed]
        arch: dict[str, Archive] = {
            "latest": Archive("latest", "/latest/", "Latest", [p.index for p in listed]),
            "home-page": Archive("home-page", "/", "Home", [p.index for p in listed]),
        }
        for path, cat in self.categories.items():
            arch[f"category/{path}"] = Archive(
                f"category/{path}", f"/category/{path}/", cat.name, []
            )
        for slug, tag in self.tags.items():
            arch[f"tag/{slug}"] = Archive(f"tag/{slug}", f"/tag/{slug}/", tag.name, [], "tag-range")
        for slug, a in self.authors.items():
            arch[f"author/{slug}"] = Archive(f"author/{slug}", f"/author/{slug}/", a.name, [])
        for p in listed:
            cats: set[str] = set()
            for c in p.categories:
                cats.add(c)
                parent = self.categories[c].parent
                if parent:
                    cats.add(parent)
            for c in sorted(cats):
                arch[f"category/{c}"].posts.append(p.index)
            for t in p.tags:
                arch[f"tag/{t}"].posts.append(p.index)
            for a in p.authors:
                arch[f"author/{a}"].posts.append(p.index)
        arch["category/uzbekistan"].quirk = "total-missing"
        arch["category/tajikistan"].quirk = "total-too-small"
        arch["category/home"].quirk = "inconsistent"
        return {k: v for k, v in arch.items() if v.posts or k in ("latest", "home-page")}

    # ------------------------------------------------------------------ bodies
    def paragraphs(self, post: Post) -> list[str]:
        """The article's real paragraphs (plain text, may hold curly quotes and no-break spaces)."""
        cached = self._paragraph_cache.get(post.post_id)
        if cached is not None:
            return cached
        if post.seed_index is not None:
            paras = list(SEED_POSTS[post.seed_index][1])
        else:
            paras = self._generate_paragraphs(post)
        if post.edited:
            paras = [
                *paras,
                "Update: This article was amended on "
                f"{self.now:%d %B %Y} to include comments from officials.",
            ]
        self._paragraph_cache[post.post_id] = paras
        return paras

    def _generate_paragraphs(self, post: Post) -> list[str]:
        rng = random.Random(stable_hash(self.cfg.seed, "body", post.post_id))
        country = next(
            (c for c in banks.COUNTRIES if c[0] == post.country), banks.COUNTRIES[0]
        )
        cslug = country[0]
        other = rng.choice([c for c in banks.COUNTRIES if c != country])
        paras = []
        for _ in range(rng.randint(3, 12)):
            sents = []
            for _ in range(rng.randint(2, 4)):
                sents.append(
                    rng.choice(banks.SENTENCES).format(
                        org=rng.choice(banks.ORGS),
                        weekday=rng.choice(banks.WEEKDAYS),
                        n=rng.randint(3, 95),
                        n2=rng.randint(100, 990),
                        p=rng.randint(2, 19),
                        year=rng.randint(2012, 2022),
                        year2=rng.randint(2026, 2032),
                        C=country[1],
                        official=rng.choice(banks.OFFICIALS),
                        topic_l=rng.choice(banks.TOPICS).lower(),
                        partner=rng.choice(banks.PARTNERS),
                        leader=banks.LEADERS[cslug],
                        city_t=rng.choice(banks.CITIES[cslug]).title(),
                        month=rng.choice(banks.MONTHS),
                        other=other[1],
                    )
                )
            paras.append(" ".join(sents))
        if post.published.year < 2023:
            city = rng.choice(banks.CITIES[cslug])
            paras[0] = f"{city} (TCA) — {paras[0]}"
        return paras

    def summary(self, post: Post) -> str:
        """Yoast meta description: the first sentence of the article (max ~160 chars)."""
        first = normalize_text(self.paragraphs(post)[0])
        first = re.sub(r"^[A-Z][A-Z\- ]+ \(TCA\) — ", "", first)
        m = re.match(r"(.+?[.!?][”\"]?)(\s|$)", first)
        text = m.group(1) if m else first
        if len(text) > 160:
            text = text[:157].rsplit(" ", 1)[0] + "…"
        return text

    def clean_paragraphs(self, post: Post) -> list[str]:
        """Ground-truth paragraphs: normalized text."""
        return [normalize_text(p) for p in self.paragraphs(post)]
