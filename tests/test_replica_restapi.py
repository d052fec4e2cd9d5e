"""The replica's WordPress REST API (tests/replica/restapi.py), over real HTTP."""

from __future__ import annotations

import html
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import redirect_stdout
from datetime import datetime
from typing import Any

import pytest
from parsel import Selector

from tests.replica import ReplicaConfig, ReplicaSite, RunningServer, serve
from tests.replica.__main__ import main as replica_main

JSON_TYPE = "application/json; charset=UTF-8"


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``: (status, headers, body), errors included."""
    try:
        with urllib.request.urlopen(url) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers.items()), err.read()


def api(srv: RunningServer, route: str) -> tuple[int, dict[str, str], Any]:
    status, headers, body = fetch(f"{srv.base_url}/wp-json{route}")
    return status, headers, json.loads(body)


@pytest.fixture(scope="module")
def srv() -> Iterator[RunningServer]:
    with serve(ReplicaSite(ReplicaConfig(seed=1, posts=250))) as running:
        yield running


def test_discovery_link_and_header(srv: RunningServer) -> None:
    base, post = srv.base_url, srv.site.content.posts[5]
    for path in ("/", "/latest/page/2/", "/category/kazakhstan/", f"/{post.slug}/", "/nope/"):
        status, headers, body = fetch(base + path)
        assert status in (200, 404)
        assert f'<link rel="https://api.w.org/" href="{base}/wp-json/" />'.encode() in body
        assert headers["Link"].startswith(f'<{base}/wp-json/>; rel="https://api.w.org/"')
    _, headers, body = fetch(f"{base}/{post.slug}/")
    alternate = f"{base}/wp-json/wp/v2/posts/{post.post_id}"
    assert Selector(body.decode()).css(
        'link[rel=alternate][type="application/json"]::attr(href)').get() == alternate
    assert (f'<{alternate}>; rel="alternate"; title="JSON"; type="application/json"'
            in headers["Link"])
    status, headers, index = api(srv, "/")
    assert status == 200 and headers["Content-Type"] == JSON_TYPE
    assert (index["name"], index["url"]) == ("The Times Of Central Asia", base)
    assert "wp/v2" in index["namespaces"] and "/wp/v2/posts" in index["routes"]
    status, _, item = api(srv, f"/wp/v2/posts/{post.post_id}")
    assert status == 200 and item["link"] == f"{base}/{post.slug}/"


def test_pagination_and_request_log(srv: RunningServer) -> None:
    base, before = srv.base_url, len(srv.requests)
    pages, ids = [], []
    for n in (1, 2, 3):
        status, headers, posts = api(srv, f"/wp/v2/posts?per_page=100&page={n}")
        assert status == 200 and headers["Content-Type"] == JSON_TYPE
        assert (headers["X-WP-Total"], headers["X-WP-TotalPages"]) == ("250", "3")
        pages.append(headers["Link"])
        ids += [p["id"] for p in posts]
    url = f"{base}/wp-json/wp/v2/posts?per_page=100&page="
    assert pages == [
        f'<{url}2>; rel="next"',
        f'<{url}1>; rel="prev", <{url}3>; rel="next"',
        f'<{url}2>; rel="prev"',
    ]
    assert ids == [p.post_id for p in srv.site.content.posts]  # all 250, newest first
    status, headers, body = fetch(f"{base}/wp-json/wp/v2/posts?per_page=100&page=4")
    assert (status, headers["Content-Type"]) == (400, JSON_TYPE)
    assert json.loads(body) == {
        "code": "rest_post_invalid_page_number",
        "message": "The page number requested is larger than the number of pages available.",
        "data": {"status": 400},
    }
    logged = [(r["path"], r["status"]) for r in srv.requests[before:]]
    assert logged == [("/wp-json/wp/v2/posts?per_page=100&page=1", 200),
                      ("/wp-json/wp/v2/posts?per_page=100&page=2", 200),
                      ("/wp-json/wp/v2/posts?per_page=100&page=3", 200),
                      ("/wp-json/wp/v2/posts?per_page=100&page=4", 400)]


def test_per_page_bounds(srv: RunningServer) -> None:
    status, headers, posts = api(srv, "/wp/v2/posts")
    assert (status, len(posts), headers["X-WP-TotalPages"]) == (200, 10, "25")
    status, _, err = api(srv, "/wp/v2/posts?per_page=101")
    message = "per_page must be between 1 (inclusive) and 100 (inclusive)"
    assert status == 400 and err == {
        "code": "rest_invalid_param",
        "message": "Invalid parameter(s): per_page",
        "data": {"status": 400, "params": {"per_page": message},
                 "details": {"per_page": {"code": "rest_out_of_bounds", "message": message,
                                          "data": None}}},
    }
    assert api(srv, "/wp/v2/posts?per_page=0")[0] == 400
    assert api(srv, "/wp/v2/categories?per_page=101")[0] == 400


@pytest.mark.parametrize(("query", "total"), [
    ("modified_after=2025-01-01T00:00:00", 7),
    ("modified_after=2024-12-01T00:00:00", 15),  # a post of Nov 29 was edited on Dec 1
    ("after=2024-12-01T00:00:00", 14),  # after: the publication date
    ("modified_after=2024-12-01T04:07:21Z", 15),  # that edit: 09:07:22 site time, +05:00
    ("modified_after=2024-12-01T04:07:22Z", 14),  # strictly after
    ("modified_after=2024-12-01T09:07:22%2B05:00", 14),
])
def test_date_filters(srv: RunningServer, query: str, total: int) -> None:
    status, headers, posts = api(srv, f"/wp/v2/posts?{query}&_fields=id,modified_gmt")
    assert status == 200 and headers["X-WP-Total"] == str(total)
    assert len(posts) == min(total, 10)


def test_date_with_unencoded_plus_is_invalid(srv: RunningServer) -> None:
    # "+05:00" unencoded in a query string reads as " 05:00": not a date (as on WordPress)
    status, _, err = api(srv, "/wp/v2/posts?modified_after=2024-12-01T09:07:22+05:00")
    assert status == 400 and err["data"]["details"]["modified_after"]["code"] == (
        "rest_invalid_date")


def test_category_hierarchy_matches_archives(srv: RunningServer) -> None:
    base = srv.base_url
    _, _, (kaz,) = api(srv, "/wp/v2/categories?slug=kazakhstan")
    assert (kaz["id"], kaz["parent"], kaz["link"]) == (12, 0, f"{base}/category/kazakhstan/")
    _, _, page = fetch(f"{base}/category/kazakhstan/")
    sel = Selector(page.decode())
    assert "category-12" in sel.css("body::attr(class)").get().split()
    assert "Viewing results 1 - 6 of 118" in page.decode()
    for query in ("categories[terms]=12&categories[include_children]=1",
                  "categories%5Bterms%5D=12&categories%5Binclude_children%5D=true"):
        assert api(srv, f"/wp/v2/posts?{query}")[1]["X-WP-Total"] == "118"
    # without include_children only the posts filed under the country itself: most of
    # the site's posts sit in a country's child section only
    direct = [p for p in srv.site.content.posts if "kazakhstan" in p.categories]
    assert len(direct) == 60
    assert api(srv, "/wp/v2/posts?categories=12")[1]["X-WP-Total"] == "60"
    _, headers, children = api(srv, "/wp/v2/categories?parent=12&per_page=100")
    assert headers["X-WP-Total"] == "7" and {c["parent"] for c in children} == {12}
    for child in children:
        status, _, body = fetch(child["link"])
        assert child["link"].startswith(f"{base}/category/kazakhstan/") and status == 200
        classes = Selector(body.decode()).css("body::attr(class)").get().split()
        assert f"category-{child['id']}" in classes and f"category-{child['slug']}" in classes
    # "Home" holds no post itself: only its children's posts make its archive
    home = srv.site.content.archives["category/home"]
    shown = 0
    for n in range(1, 6):
        _, _, body = fetch(f"{base}{home.path}" + (f"page/{n}/" if n > 1 else ""))
        shown += len(Selector(body.decode()).css("article.hentry"))
    assert shown == len(home.posts) == 28
    assert api(srv, "/wp/v2/posts?categories=4")[1]["X-WP-Total"] == "0"
    query = "categories[terms]=4&categories[include_children]=1"
    assert api(srv, f"/wp/v2/posts?{query}")[1]["X-WP-Total"] == "28"
    _, _, home_term = api(srv, "/wp/v2/categories/4")
    assert (home_term["name"], home_term["count"]) == ("Home", 0)


def test_term_names_escaped(srv: RunningServer) -> None:
    _, _, (term,) = api(srv, "/wp/v2/categories?slug=kazakhstan-life-culture")
    assert term["name"] == "Life &amp; Culture" and term["taxonomy"] == "category"
    _, headers, tags = api(srv, "/wp/v2/tags?per_page=100")
    assert headers["X-WP-Total"] == "36"
    assert {t["name"] for t in tags} >= {"Oil &amp; Gas", "Belt &amp; Road"}
    assert "parent" not in tags[0]


def test_fields(srv: RunningServer) -> None:
    _, _, posts = api(srv, "/wp/v2/posts?per_page=3&_fields=id,title.rendered")
    assert [list(p) for p in posts] == [["id", "title"]] * 3
    assert [list(p["title"]) for p in posts] == [["rendered"]] * 3
    _, _, one = api(srv, f"/wp/v2/posts/{posts[0]['id']}?_fields=link,date_gmt")
    assert list(one) == ["date_gmt", "link"]  # the object's own order
    _, _, posts = api(srv, "/wp/v2/posts?per_page=1&_fields=id,_links.self")
    assert posts[0]["_links"] == {"self": [{
        "href": f"{srv.base_url}/wp-json/wp/v2/posts/{posts[0]['id']}",
        "targetHints": {"allow": ["GET"]}}]}


def test_embed(srv: RunningServer) -> None:
    c = srv.site.content
    post = next(p for p in c.posts if p.has_image and p.tags)
    _, _, item = api(srv, f"/wp/v2/posts/{post.post_id}?_embed")
    emb = item["_embedded"]
    assert list(emb) == ["author", "wp:featuredmedia", "wp:term"]
    assert [a["name"] for a in emb["author"]] == [c.authors[post.authors[0]].name]
    assert set(emb["author"][0]) == {"id", "name", "url", "description", "link", "slug",
                                     "avatar_urls", "_links"}
    assert emb["wp:featuredmedia"][0]["source_url"] == srv.base_url + post.image_path
    assert emb["wp:featuredmedia"][0]["id"] == item["featured_media"]
    cats, tags = emb["wp:term"]
    assert {t["taxonomy"] for t in cats} == {"category"}
    assert {t["taxonomy"] for t in tags} == {"post_tag"}
    assert [t["id"] for t in cats] == item["categories"]
    assert sorted(html.unescape(t["name"]) for t in tags) == sorted(
        c.tags[t].name for t in post.tags)
    _, _, posts = api(srv, "/wp/v2/posts?per_page=2&_embed=author")
    assert [list(p["_embedded"]) for p in posts] == [["author"]] * 2
    _, _, posts = api(srv, "/wp/v2/posts?per_page=2&_fields=id&_embed")
    assert posts == [{"id": p.post_id} for p in c.posts[:2]]  # no _links: nothing to embed
    status, _, media = api(srv, f"/wp/v2/media/{item['featured_media']}")
    assert status == 200 and media["post"] == post.post_id


def test_post_matches_page(srv: RunningServer) -> None:
    c = srv.site.content
    posts = [next(p for p in c.posts if "’" in p.title), next(p for p in c.posts if "&" in p.title)]
    for post in posts:
        status, _, raw = fetch(f"{srv.base_url}/wp-json/wp/v2/posts/{post.post_id}")
        item = json.loads(raw)
        _, _, page = fetch(f"{srv.base_url}/{post.slug}/")
        text = page.decode()
        assert status == 200 and item["content"]["rendered"] in text
        assert item["title"]["rendered"] in text and html.unescape(
            item["title"]["rendered"]) == post.title
        assert " ".join(item["class_list"]) in text
        graph = Selector(text).css("script.yoast-schema-graph::text").get()
        assert item["yoast_head_json"]["schema"] == json.loads(graph)
        assert item["yoast_head"] in text.replace("\t", "")
        assert item["yoast_head_json"]["canonical"] == f"{srv.base_url}/{post.slug}/"
    assert b"Kazakhstan&#8217;s" in fetch(f"{srv.base_url}/wp-json/wp/v2/posts/{posts[0].post_id}"
                                          )[2]
    _, _, body = fetch(f"{srv.base_url}/wp-json/wp/v2/posts/{posts[1].post_id}?_fields=title")
    assert body == (b'{"title":{"rendered":"' + html.escape(posts[1].title, quote=False).encode()
                    + b'"}}')


def test_dates_are_site_time_and_gmt(srv: RunningServer) -> None:
    post = srv.site.content.posts[0]
    _, _, item = api(srv, f"/wp/v2/posts/{post.post_id}")
    local = datetime.fromisoformat(item["date"]).replace(tzinfo=post.published.tzinfo)
    gmt = datetime.fromisoformat(item["date_gmt"] + "+00:00")
    assert local == gmt == post.published


def test_errors(srv: RunningServer) -> None:
    status, _, err = api(srv, "/wp/v2/posts/1")
    assert (status, err) == (404, {"code": "rest_post_invalid_id", "message": "Invalid post ID.",
                                   "data": {"status": 404}})
    status, _, err = api(srv, "/wp/v2/nothing")
    assert (status, err["code"]) == (404, "rest_no_route")
    status, _, err = api(srv, "/wp/v2/categories/9999")
    assert (status, err["code"]) == (404, "rest_term_invalid")
    status, _, err = api(srv, "/wp/v2/users/9999")
    assert (status, err["code"]) == (404, "rest_user_invalid_id")


def test_users_are_authors_of_published_posts(srv: RunningServer) -> None:
    c = srv.site.content
    _, headers, users = api(srv, "/wp/v2/users?per_page=100")
    authors = {c.authors[p.authors[0]].user_id for p in c.posts}
    assert headers["X-WP-Total"] == str(len(authors)) == "15"
    assert {u["id"] for u in users} == authors
    assert [u["name"] for u in users] == sorted((u["name"] for u in users), key=str.lower)


def test_api_truth_equals_html_truth(srv: RunningServer) -> None:
    base, site = srv.base_url, srv.site
    truth = {t["post_id"]: t for t in site.api_truth(base)}
    for g in site.ground_truth(base)["posts"]:
        t = truth[g["post_id"]]
        assert (t["url"], t["title"], t["image_url"]) == (g["url"], g["title"], g["image_url"])
        assert datetime.fromisoformat(t["published_at"]) == datetime.fromisoformat(
            g["published_at"])
        assert datetime.fromisoformat(t["modified_at"]) == datetime.fromisoformat(
            g["modified_at"])
        # get_the_terms() order (by name) on the page and in the API alike
        assert (t["categories"], t["tags"]) == (g["categories"], g["tags"])
        assert t["authors"] == g["authors"] and t["author"] == g["authors"][0]
        assert t["paragraphs"] == g["paragraphs"] and t["content_matches_page"]
    # ... and the truth is what the API's JSON says
    _, _, posts = api(srv, "/wp/v2/posts?per_page=100&_embed")
    for p in posts:
        t = truth[p["id"]]
        emb = p["_embedded"]
        terms = [[html.unescape(x["name"]) for x in group] for group in emb["wp:term"]]
        media = [m["source_url"] for m in emb.get("wp:featuredmedia", [])]
        assert html.unescape(p["title"]["rendered"]) == t["title"]
        assert p["date_gmt"] + "+00:00" == t["published_at"]
        assert p["modified_gmt"] + "+00:00" == t["modified_at"]
        assert terms == [t["categories"], t["tags"]]
        assert emb["author"][0]["name"] == t["author"]
        assert (media[0] if media else None) == t["image_url"]
        schema = p["yoast_head_json"]["schema"]["@graph"][0]["author"]
        names = [a["name"] for a in (schema if isinstance(schema, list) else [schema])]
        assert names == t["authors"]


def test_html_mismatch_switch() -> None:
    site = ReplicaSite(ReplicaConfig(seed=2, posts=30, rest_html_mismatch=True))
    truth = site.api_truth("http://x")
    odd = [t["post_id"] for t in truth if not t["content_matches_page"]]
    assert len(odd) == 3
    with serve(site) as srv:
        for post in site.content.posts:
            _, _, item = api(srv, f"/wp/v2/posts/{post.post_id}")
            _, _, page = fetch(f"{srv.base_url}/{post.slug}/")
            same = item["content"]["rendered"] in page.decode()
            assert same == (post.post_id not in odd)
            assert re.sub(r"<[^>]+>", "", item["content"]["rendered"]).startswith(
                "Editor&#8217;s note") == (not same)


def test_locked() -> None:
    with serve(ReplicaSite(ReplicaConfig(posts=20, rest_api="locked"))) as srv:
        for route in ("/", "/wp/v2/posts", "/wp/v2/posts/1", "/wp/v2/categories?per_page=5"):
            status, headers, body = fetch(f"{srv.base_url}/wp-json{route}")
            assert (status, headers["Content-Type"]) == (401, JSON_TYPE)
            assert body == (b'{"code":"rest_cannot_access","message":"Only authenticated users '
                            b'can access the REST API.","data":{"status":401}}')
        status, headers, body = fetch(f"{srv.base_url}/?rest_route=/wp/v2/posts")
        assert status == 401
        status, headers, body = fetch(f"{srv.base_url}/")
        assert status == 200 and b'rel="https://api.w.org/"' in body
        assert 'rel="https://api.w.org/"' in headers["Link"]


def test_off() -> None:
    site = ReplicaSite(ReplicaConfig(posts=20, rest_api="off"))
    post = site.content.posts[0]
    with serve(site) as srv:
        for path in ("/wp-json/", "/wp-json", "/wp-json/wp/v2/posts", f"/wp-json/wp/v2/posts/"
                     f"{post.post_id}"):
            status, headers, body = fetch(srv.base_url + path)
            assert status == 404 and headers["Content-Type"] == "text/html; charset=UTF-8"
            assert b"Page not found" in body
        for path in ("/", f"/{post.slug}/", "/category/kazakhstan/", "/nope/"):
            status, headers, body = fetch(srv.base_url + path)
            assert b"api.w.org" not in body and b"wp-json" not in body
            assert "api.w.org" not in headers.get("Link", "")
        _, headers, _ = fetch(f"{srv.base_url}/{post.slug}/")
        assert headers["Link"] == f"<{srv.base_url}/?p={post.post_id}>; rel=shortlink"
        assert [r["status"] for r in srv.requests[:4]] == [404] * 4


def test_cli_switches() -> None:
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = replica_main(["ground-truth", "--base-url", "http://x", "--posts", "10",
                           "--rest-api", "locked", "--rest-html-mismatch"])
    assert rc == 0 and json.loads(buf.getvalue())["posts"]
    with pytest.raises(ValueError):
        ReplicaConfig(rest_api="maybe")
