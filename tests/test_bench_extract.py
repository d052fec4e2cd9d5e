"""``make bench-extract``: the real-page benchmark's plumbing, on the six fixture pages.

The corpus's own ``evaluate.py`` is not part of the project; these tests give the command a
stand-in scorer with the same interface (bag-of-words matching) in a corpus laid out like
the benchmark's checkout.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawlrun import PROJECT_ROOT

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

AEB = Path(__file__).parent / "fixtures" / "aeb"

SCORER = '''
from collections import Counter
import re


def string_shingle_matching(true, pred):
    t, p = Counter(re.findall(r"\\w+", true)), Counter(re.findall(r"\\w+", pred))
    tp = sum((t & p).values())
    return float(tp), float(sum(p.values()) - tp), float(sum(t.values()) - tp)


def precision_score(tp, fp, fn):
    return tp / (tp + fp) if tp + fp else 1.0


def recall_score(tp, fp, fn):
    return tp / (tp + fn) if tp + fn else 1.0


def evaluate(ground_truth, prediction, n_bootstrap):
    scores = [string_shingle_matching(ground_truth[k]["articleBody"],
                                      prediction[k]["articleBody"]) for k in ground_truth]
    precision = sum(precision_score(*s) for s in scores) / len(scores)
    recall = sum(recall_score(*s) for s in scores) / len(scores)
    return {"f1": 2 * precision * recall / (precision + recall), "precision": precision,
            "recall": recall, "accuracy": 0.0}
'''


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    (root / "html").mkdir()
    for page in AEB.glob("*.html.gz"):
        shutil.copy(page, root / "html" / page.name)
    shutil.copy(AEB / "ground-truth.json", root / "ground-truth.json")
    (root / "evaluate.py").write_text(SCORER, encoding="utf-8")
    return root


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bench.extract", *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=300, check=False)


def test_scores_both_extractors_on_all_and_wordpress_pages(corpus: Path, tmp_path: Path
                                                           ) -> None:
    out = tmp_path / "results.json"
    done = run(str(corpus), "--json", str(out), "--worst", "2")
    assert done.returncode == 0, done.stderr
    results = json.loads(out.read_text(encoding="utf-8"))
    subsets = results["subsets"]
    assert {n: subsets[n]["project"]["pages"] for n in subsets} == {"all": 6, "wordpress": 4}
    for subset in subsets.values():
        assert set(subset) == {"project", "trafilatura"}
        for figures in subset.values():
            assert figures["empty"] == 0 and figures["dated"] == figures["pages"]
            assert 0.9 <= figures["f1"] <= 1.0 and figures["ms_median"] > 0
    assert sum(results["project_sources"].values()) == 6
    assert len(results["worst"]) == 2
    assert "| wordpress | project | 4 |" in done.stdout
    again = run(str(corpus), "--only", "project", "--compare", str(out))
    assert again.returncode == 0 and "F1 +0.000, empty +0" in again.stdout


def test_bad_arguments(corpus: Path, tmp_path: Path) -> None:
    done = run(str(tmp_path))
    assert done.returncode == 2 and "no ground-truth.json" in done.stderr
    done = run(str(corpus), "--only", "readability")
    assert done.returncode == 2 and "unknown contender(s) ['readability']" in done.stderr
