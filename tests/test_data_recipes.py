"""Every recipe in docs/DATA.md runs against a freshly written dataset; the per-country
recipes also against a crawl of the replica, where they must count every post exactly."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.store import schemas
from tests.crawlrun import run_crawl
from tests.replica import ReplicaConfig, ReplicaSite, serve
from tests.test_writer import Run, article, rate

DATA_MD = Path(__file__).resolve().parents[1] / "docs" / "DATA.md"
BLOCK = re.compile(r"```(python|sql) recipe\n(.*?)```", re.DOTALL)
RECIPES = BLOCK.findall(DATA_MD.read_text(encoding="utf-8"))
#: the recipes that count articles per country per month
PER_COUNTRY = [(lang, code) for lang, code in RECIPES
               if "per_country" in code or "unnest(countries)" in code]
#: the one for directories that still hold rows of schema version 4
MIXED = [(lang, code) for lang, code in RECIPES if "union_by_name" in code]


def _kaz_child(post_id: int, **fields: Any) -> Any:
    return article(post_id, category_paths=["kazakhstan/kazakhstan-business-economy"],
                   category_path_names=["Business & Economy"],
                   categories=["Business & Economy"], **fields)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("recipes")
    with Run(base / "output") as run:
        run.feed(
            _kaz_child(1, published_at="2024-12-31T22:00:00+05:00"),
            article(2, published_at="2025-01-10T08:00:00+00:00",
                    categories=["Uzbekistan", "Business"],
                    category_paths=["uzbekistan", "uzbekistan/uzbekistan-business-economy"],
                    category_path_names=["Uzbekistan", "Business"]),
            _kaz_child(3, published_at="2025-02-01T08:00:00+00:00"),
            rate("KZT"), rate("KZT", "0.00191", "0.5%", observed_on="2025-01-11"),
            rate("UZS", "0.00008", "0%"),
        )
    from pipelines.store.runs import append_run
    from tests.test_dataset import _run
    append_run(base / "output", _run("r1", 0, 20, 0.0))
    return base


def _per_country(lang: str, code: str, workdir: Path,
                 monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], int]:
    """Run a per-country recipe; {(country, "YYYY-MM"): articles}."""
    monkeypatch.chdir(workdir)
    if lang == "sql":
        with duckdb.connect() as con:
            return {(c, m.strftime("%Y-%m")): n for c, m, n in con.sql(code).fetchall()}
    scope: dict = {}
    exec(compile(code, f"DATA.md recipe {lang}", "exec"), scope)
    rows = scope["per_country"]
    if hasattr(rows, "to_dicts"):  # polars
        return {(r["country"], r["month"].strftime("%Y-%m")): r["len"] for r in rows.to_dicts()}
    return {(r["countries"], r["month"]): r["articles"] for r in rows.to_dict("records")}


def test_data_md_has_recipes_for_every_reader() -> None:
    text = "\n".join(code for _, code in RECIPES)
    for reader in ("pd.read_parquet", "pl.scan_parquet", "read_parquet('output", "ds.dataset"):
        assert reader in text
    assert sum(lang == "sql" for lang, _ in RECIPES) >= 2
    assert [lang for lang, _ in PER_COUNTRY] == ["python", "python", "sql"]
    assert len(MIXED) == 1


@pytest.mark.parametrize(("lang", "code"), RECIPES, ids=[f"{lang}-{i}" for i, (lang, _)
                                                          in enumerate(RECIPES)])
def test_recipe_runs(lang: str, code: str, workdir: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    if (lang, code) in PER_COUNTRY or (lang, code) in MIXED:
        # the child-only Kazakhstan posts count for Kazakhstan
        assert _per_country(lang, code, workdir, monkeypatch) == {
            ("Kazakhstan", "2024-12"): 1, ("Kazakhstan", "2025-02"): 1,
            ("Uzbekistan", "2025-01"): 1}
        return
    monkeypatch.chdir(workdir)
    if lang == "sql":
        with duckdb.connect() as con:
            result = con.sql(code).fetchall()
        assert result
        if "unnest(sections)" in code:
            assert result == [("Kazakhstan / Business & Economy", 2),
                              ("Uzbekistan / Business", 1)]
        return
    scope: dict = {}
    exec(compile(code, f"DATA.md recipe {lang}", "exec"), scope)
    assert len(scope["kzt"]) == 2


def test_mixed_versions_recipe_counts_old_rows_by_name(
        workdir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside a version 4 file (no countries column), the union_by_name recipe counts its
    rows by their country names."""
    out = tmp_path / "output"
    (out / "articles").mkdir(parents=True)
    for part in (workdir / "output" / "articles").iterdir():
        (out / "articles" / part.name).mkdir()
        for f in part.iterdir():
            (out / "articles" / part.name / f.name).write_bytes(f.read_bytes())
    v4 = pa.schema([f for f in schemas.ARTICLES
                    if f.name not in ("category_paths", "countries", "sections")],
                   metadata={b"timesca.schema_version": b"4", b"timesca.dataset": b"articles"})
    old = pa.Table.from_pylist([{
        "post_id": 9, "url": "https://timesca.com/old/", "title": "Old", "body_text": "b",
        "published_at": datetime(2020, 9, 13, 12, tzinfo=UTC),
        "categories": ["Tajikistan", "Business & Economy"]}], schema=v4)
    (out / "articles" / "year=2020").mkdir()
    pq.write_table(old, out / "articles" / "year=2020" / "part-0.parquet")
    ((lang, code),) = MIXED
    assert _per_country(lang, code, tmp_path, monkeypatch) == {
        ("Kazakhstan", "2024-12"): 1, ("Kazakhstan", "2025-02"): 1,
        ("Uzbekistan", "2025-01"): 1, ("Tajikistan", "2020-09"): 1}


# -- on the replica: every post of a country, child-only posts included ----------------------


@pytest.fixture(scope="module")
def replica_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    base = tmp_path_factory.mktemp("replica-recipes")
    site = ReplicaSite(ReplicaConfig(seed=3, posts=120))
    with serve(site) as srv:
        result = run_crawl(srv.base_url, base / "output", "-a", "listings=latest")
        truth = site.ground_truth(srv.base_url)
    assert result.returncode == 0, result.stderr[-3000:]
    return base, truth


def _expected(truth: dict) -> dict[tuple[str, str], int]:
    """Articles per country per UTC month, from the replica's own category tree."""
    counts: Counter[tuple[str, str]] = Counter()
    for post in truth["posts"]:
        if post["reachable"]:
            month = datetime.fromisoformat(post["published_at"]).astimezone(UTC)
            for country in post["countries"]:
                counts[(country, month.strftime("%Y-%m"))] += 1
    return dict(counts)


@pytest.mark.crawl
@pytest.mark.parametrize(("lang", "code"), PER_COUNTRY,
                         ids=[f"{lang}-{i}" for i, (lang, _) in enumerate(PER_COUNTRY)])
def test_per_country_recipe_counts_every_post_on_the_replica(
        lang: str, code: str, replica_crawl: tuple[Path, dict],
        monkeypatch: pytest.MonkeyPatch) -> None:
    workdir, truth = replica_crawl
    expected = _expected(truth)
    child_only = [p for p in truth["posts"] if p["reachable"] and p["countries"]
                  and not set(p["category_paths"]) & {c.lower() for c in p["countries"]}]
    assert len(child_only) > 30  # the case the recipe exists for
    assert sum(expected.values()) >= 120
    assert _per_country(lang, code, workdir, monkeypatch) == expected
