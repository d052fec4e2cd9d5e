"""Header parsers: the currency ticker and the date line, by text pattern, on any theme."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from parsel import Selector

from crawler.parsers import Quote, parse_date_text, parse_dateline, parse_ticker

HANDMADE = Path(__file__).parent / "fixtures" / "handmade"
SEED = Path("/work/shared/seeds/000_f58c160d62c1509b.txt")


def page(name: str) -> Selector:
    return Selector(body=(HANDMADE / name).read_bytes(), type="html")


def html(body: str) -> Selector:
    return Selector(text=f"<html><body>{body}</body></html>")


def marquee(pairs: list[tuple[str, str, str]], copies: int) -> str:
    one = "".join(f"<li>{b}/USD = {r} {c}</li>" for b, r, c in pairs)
    return "".join(f"<ul class='m'>{one}</ul>" for _ in range(copies))


FIVE = [("KGS", "0.01149", "0%"), ("KZT", "0.00190", "-0%"), ("TJS", "0.09150", "0%"),
        ("UZS", "0.00008", "0%"), ("TMT", "0.28571", "0%")]


def test_classic_theme_ticker_eight_copies_five_pairs() -> None:
    ticker = parse_ticker(page("yoast_twentyone_article.html"))
    assert ticker.source == "text"
    assert ticker.copies == 8
    assert ticker.conflicts == 0
    assert ticker.quotes == (
        Quote("KGS", "USD", "0.01149", "0%"),
        Quote("KZT", "USD", "0.00190", "-0%"),
        Quote("TJS", "USD", "0.09150", "0.2%"),
        Quote("UZS", "USD", "0.00008", "-0.1%"),
        Quote("TMT", "USD", "0.28571", "0%"),
    )


def test_magazine_theme_ticker_two_copies_four_pairs() -> None:
    ticker = parse_ticker(page("tagdiv_article.html"))
    assert (ticker.source, ticker.copies) == ("text", 2)
    assert [q.base for q in ticker.quotes] == ["KGS", "KZT", "TJS", "UZS"]
    assert ticker.quotes[3] == Quote("UZS", "USD", "0.00008", "2.23%")


def test_unknown_theme_ticker_split_across_spans_without_spaces() -> None:
    ticker = parse_ticker(page("unknown_article.html"))
    assert ticker.quotes == (Quote("KGS", "USD", "0.01150", "-0%"),
                             Quote("KZT", "USD", "0.00191", "+0.1%"))
    assert ticker.copies == 2


def test_ticker_text_inside_teasers_is_not_the_ticker() -> None:
    ticker = parse_ticker(page("tagdiv_listing.html"))  # an excerpt quotes 9.99999 5%
    assert ticker.quotes == (Quote("KGS", "USD", "0.01149", "0%"),)
    assert ticker.copies == 1


def test_ticker_inside_article_body_only_is_ignored() -> None:
    sel = html("<article><div class='entry-content'><p>KGS/USD = 0.01149 0%</p></div></article>")
    assert parse_ticker(sel) == parse_ticker(html("<p>nothing</p>"))
    assert parse_ticker(sel).source == "none"


def test_no_ticker() -> None:
    ticker = parse_ticker(page("unknown_listing.html"))
    assert (ticker.quotes, ticker.copies, ticker.source) == ((), 0, "none")


def test_conflicting_values_keep_first_and_count() -> None:
    sel = html(marquee(FIVE, 2) + "<ul><li>KGS/USD = 0.01200 1.5%</li></ul>")
    ticker = parse_ticker(sel)
    assert ticker.quotes[0] == Quote("KGS", "USD", "0.01149", "0%")
    assert (ticker.copies, ticker.conflicts) == (3, 1)


@pytest.mark.parametrize("copies", [1, 2, 8])
def test_copies_counted(copies: int) -> None:
    ticker = parse_ticker(html(marquee(FIVE[:4], copies)))
    assert (len(ticker.quotes), ticker.copies) == (4, copies)


def test_seed_page_text() -> None:
    text = SEED.read_text(encoding="utf-8")
    lines = "".join(f"<p>{line}</p>" for line in text.splitlines())
    sel = html(lines)
    ticker = parse_ticker(sel)
    assert [(q.base, q.rate_text, q.change_text) for q in ticker.quotes] == [
        (b, r, c) for b, r, c in [("KGS", "0.01149", "0%"), ("KZT", "0.00190", "0%"),
                                  ("TJS", "0.09150", "0%"), ("UZS", "0.00008", "0%"),
                                  ("TMT", "0.28571", "0%")]]
    assert ticker.copies == 8
    dateline = parse_dateline(sel)
    assert (dateline.value, dateline.raw) == (date(2025, 1, 10), "10 January 2025")


def test_any_currency_pair_and_unicode_minus() -> None:
    sel = html("<div><span>EUR / RUB</span> = <b>98.5</b> <i>\u22120.3 %</i></div>")
    ticker = parse_ticker(sel)
    assert ticker.quotes == (Quote("EUR", "RUB", "98.5", "\u22120.3%"),)


# -- date line ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected", "raw"), [
    ("yoast_twentyone_article.html", date(2025, 1, 10), "10 January 2025"),
    ("tagdiv_article.html", date(2024, 9, 8), "08 September 2024"),
    ("tagdiv_listing.html", date(2024, 9, 8), "08 September 2024"),
    ("unknown_article.html", date(2025, 1, 10), "Friday, 10 January 2025"),
    ("unknown_listing.html", date(2025, 1, 10), "10 January 2025"),
])
def test_dateline_found_in_header(name: str, expected: date, raw: str) -> None:
    dateline = parse_dateline(page(name))
    assert (dateline.value, dateline.source, dateline.raw) == (expected, "text", raw)


def test_dateline_with_uncategorized_line_after() -> None:
    sel = html("<header><div>08 September 2024</div><div>Uncategorized</div></header><main/>")
    assert parse_dateline(sel).value == date(2024, 9, 8)


@pytest.mark.parametrize("body", [
    # a byline date inside the article, no header date
    "<header><a href='/'>Logo</a></header><article><h1>T</h1><span>08 September 2024</span>"
    "</article>",
    # a teaser date after a teaser title
    "<div class='x'><h2><a href='/a-b-c/'>Teaser</a></h2><span>08 September 2024</span></div>",
    # a date in <main>
    "<main><p>08 September 2024</p></main>",
    # a sentence that contains a date is not a date line
    "<div>Published on 08 September 2024 by the desk</div>",
    "",
])
def test_dateline_absent(body: str) -> None:
    dateline = parse_dateline(html(body))
    assert (dateline.value, dateline.source, dateline.raw) == (None, "none", None)


def test_dateline_before_results_line_on_archive() -> None:
    sel = html("<div>Viewing results 97 - 102 of 118</div><div>10 January 2025</div>")
    assert parse_dateline(sel).value is None


@pytest.mark.parametrize(("text", "expected"), [
    ("10 January 2025", date(2025, 1, 10)),
    ("08 September 2024", date(2024, 9, 8)),
    ("8 Sept 2024", date(2024, 9, 8)),
    ("Sunday, September 8, 2024", date(2024, 9, 8)),
    ("31 February 2024", None),
    ("10 Januar 2025", None),
    ("3rd January 2025", date(2025, 1, 3)),  # one parser for the project: crawler.dates
    ("2025-01-10", date(2025, 1, 10)),
])
def test_parse_date_text(text: str, expected: date | None) -> None:
    assert parse_date_text(text) == expected


def test_header_parsers_accept_empty_and_broken_documents() -> None:
    for sel in (Selector(text=""), Selector(text="<html><body><div><span>KGS/USD = 1 0%"),
                Selector(text="<<<>>>")):
        parse_ticker(sel)
        parse_dateline(sel)
    assert parse_ticker(Selector(text="<div>KGS/USD = 0.1 0%")).quotes[0].rate_text == "0.1"
