"""Every recipe in docs/DATA.md runs against a freshly written dataset."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.test_writer import Run, article, rate

DATA_MD = Path(__file__).resolve().parents[1] / "docs" / "DATA.md"
BLOCK = re.compile(r"```(python|sql) recipe\n(.*?)```", re.DOTALL)
RECIPES = BLOCK.findall(DATA_MD.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("recipes")
    with Run(base / "output") as run:
        run.feed(
            article(1, published_at="2024-12-31T22:00:00+05:00"),
            article(2, published_at="2025-01-10T08:00:00+00:00",
                    categories=["Uzbekistan", "Business"]),
            article(3, published_at="2025-02-01T08:00:00+00:00"),
            rate("KZT"), rate("KZT", "0.00191", "0.5%", observed_on="2025-01-11"),
            rate("UZS", "0.00008", "0%"),
        )
    from pipelines.store.runs import append_run
    from tests.test_dataset import _run
    append_run(base / "output", _run("r1", 0, 20, 0.0))
    return base


def test_data_md_has_recipes_for_every_reader() -> None:
    text = "\n".join(code for _, code in RECIPES)
    for reader in ("pd.read_parquet", "pl.scan_parquet", "read_parquet('output", "ds.dataset"):
        assert reader in text
    assert sum(lang == "sql" for lang, _ in RECIPES) >= 2


@pytest.mark.parametrize(("lang", "code"), RECIPES, ids=[f"{lang}-{i}" for i, (lang, _)
                                                          in enumerate(RECIPES)])
def test_recipe_runs(lang: str, code: str, workdir: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(workdir)
    if lang == "sql":
        with duckdb.connect() as con:
            result = con.sql(code).fetchall()
        assert result
        if "unnest(categories)" in code:
            by_country = {(c, m.strftime("%Y-%m")): n for c, m, n in result}
            assert by_country == {("Kazakhstan", "2024-12"): 1, ("Kazakhstan", "2025-02"): 1,
                                  ("Uzbekistan", "2025-01"): 1}
        return
    scope: dict = {}
    exec(compile(code, f"DATA.md recipe {lang}", "exec"), scope)
    if "per_country" in scope:
        assert len(scope["per_country"]) == 3
    assert len(scope["kzt"]) == 2
