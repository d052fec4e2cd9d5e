"""Archive completeness reports flag every quirk of the 'Viewing results' line."""

from crawler.archives import ArchiveReport
from crawler.parsers.listing import ResultsLine


def six(page: int) -> list[str]:
    return [f"https://t/p{page}-{i}/" for i in range(6)]


def test_normal_category_archive_is_complete():
    report = ArchiveReport("category/kazakhstan")
    for page in range(1, 4):
        report.add_page(page, six(page), ResultsLine((page - 1) * 6 + 1, page * 6, 18))
    report.finish("404-past-last-page")
    assert report.as_dict() == {
        "archive": "category/kazakhstan", "pages": 3, "found": 18, "reported_total": 18,
        "complete": True, "end": "404-past-last-page", "flags": [],
    }


def test_tag_archive_repeating_first_range_is_flagged():
    report = ArchiveReport("tag/money")
    for page in range(1, 3):
        report.add_page(page, six(page), ResultsLine(1, 6, 12))
    report.finish("no-next-link")
    assert report.as_dict()["flags"] == ["range-not-following-page"]
    assert report.as_dict()["complete"] is True


def test_missing_small_and_inconsistent_totals_are_flagged_not_trusted():
    missing = ArchiveReport("a")
    missing.add_page(1, six(1), ResultsLine(1, 6, None))
    assert missing.as_dict()["flags"] == ["total-missing"]
    assert missing.as_dict()["complete"] is None

    small = ArchiveReport("b")
    small.add_page(1, six(1), ResultsLine(1, 6, 2))
    small.finish("no-next-link")
    assert small.as_dict()["flags"] == ["total-below-range"]
    assert small.as_dict()["complete"] is None

    home = ArchiveReport("category/home")
    home.add_page(390, six(390), ResultsLine(2335, 2340, 803))
    home.finish("no-next-link")
    assert set(home.as_dict()["flags"]) == {"total-below-range"}

    drift = ArchiveReport("c")
    drift.add_page(1, six(1), ResultsLine(1, 6, 30))
    drift.add_page(2, six(2), ResultsLine(7, 12, 31))
    drift.finish("no-next-link")
    assert drift.as_dict()["flags"] == ["found-differs-from-total", "total-changed"]
    assert drift.as_dict()["complete"] is False


def test_no_results_line_on_a_page_with_posts():
    report = ArchiveReport("x")
    report.add_page(1, six(1), None)
    assert report.as_dict()["flags"] == ["no-results-line"]
