"""The hostile server itself (tests/hostile): each scenario serves what it claims, over real
HTTP on loopback. These tests do not run the crawler."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.hostile import EXPECTED, SCENARIOS, serve_hostile
from tests.hostile.bodies import MIB
from tests.hostile.scenarios import BAD_DATES, HUGE_ID, NESTING, WALL_TEXT

#: real crawls or other subprocesses: deselected by the fast suite (-m "not crawl")
pytestmark = pytest.mark.crawl

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = (
    "endless-same", "endless-new", "wall", "canonical-home", "huge-id", "big-article",
    "gzip-bomb", "sitemap-flood", "bad-dates", "offsite-redirect", "robots-forbid",
    "empty-pages", "bodies-gone", "redirects", "slow-drip", "endless-response",
)
#: small sizes for the scenarios whose defaults are big (the defaults are tested once each)
SMALL: dict[str, dict[str, Any]] = {
    "big-article": {"size_mb": 1}, "gzip-bomb": {"inflated_mb": 2}, "sitemap-flood": {"count": 30},
}
Resp = tuple[int, dict[str, str], bytes]


def request(base: str, path: str, method: str = "GET", headers: dict[str, str] | None = None,
            ) -> Resp:
    """One request on a new connection, redirects not followed; header names lower-cased."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.request(method, path, headers={"User-Agent": "hostile-test", **(headers or {})})
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


def open_stream(base: str, path: str) -> tuple[http.client.HTTPConnection,
                                               http.client.HTTPResponse]:
    """A GET whose body the caller reads (and closes)."""
    u = urlsplit(base)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", path)
    return conn, conn.getresponse()


def count_body(resp: http.client.HTTPResponse, limit: int | None = None) -> int:
    """Read the body in 1 MiB pieces, keeping none of it; stop after ``limit`` bytes."""
    n = 0
    while limit is None or n < limit:
        piece = resp.read(MIB)
        if not piece:
            break
        n += len(piece)
    return n


def listing_ids(html: bytes) -> list[int]:
    return [int(x) for x in re.findall(rb'<article id="post-(\d+)"', html)]


def graph(html: bytes) -> list[dict[str, Any]]:
    m = re.search(rb'<script type="application/ld\+json" class="yoast-schema-graph">(.*?)'
                  rb"</script>", html)
    assert m, "no Yoast JSON-LD"
    return json.loads(m.group(1))["@graph"]


def node(html: bytes, type_: str) -> dict[str, Any]:
    return next(n for n in graph(html) if type_ == n["@type"] or type_ in n["@type"])


def link(html: bytes, rel: str) -> str | None:
    m = re.search(rb"<link rel=[\"']" + rel.encode() + rb"[\"'] href=[\"']([^\"']+)", html)
    return m.group(1).decode() if m else None


def meta(html: bytes, prop: str) -> str | None:
    m = re.search(rb'<meta property="' + prop.encode() + rb'" content="([^"]*)"', html)
    return m.group(1).decode() if m else None


def entry_content(html: bytes) -> bytes:
    m = re.search(rb'<div class="entry-content">(.*?)</div><!-- \.entry-content -->', html, re.S)
    assert m, "no .entry-content"
    return m.group(1)


# ---------------------------------------------------------------------------- registry, CLI
def test_registry_names_docs_and_expectations() -> None:
    assert set(REQUIRED) <= set(SCENARIOS)
    assert len(set(SCENARIOS) - set(REQUIRED)) <= 5
    for name, cls in SCENARIOS.items():
        assert cls.name == name
        assert (cls.__doc__ or "").strip(), name
        assert EXPECTED[name].endswith("."), name


def test_cli_list_and_serve() -> None:
    out = subprocess.run([sys.executable, "-m", "tests.hostile", "list"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, check=True).stdout
    for name in SCENARIOS:
        assert re.search(rf"^{re.escape(name)}$", out, re.M), name
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.hostile", "serve", "--scenario", "big-article",
         "--posts", "20", "--size-mb", "0.5", "--chunked"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("READY http://127.0.0.1:")
        base = line.split()[1]
        status, _, body = request(base, "/robots.txt")
        assert status == 200 and b"Sitemap:" in body
        status, headers, body = request(base, "/latest/")
        slug = re.search(rb'<h2 class="entry-title[^"]*"><a href="[^"]*/([a-z0-9-]+)/?"', body)
        assert slug
        status, headers, body = request(base, f"/{slug.group(1).decode()}/")
        assert headers.get("transfer-encoding") == "chunked" and len(body) == MIB // 2
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_scenario_serves_a_site(name: str) -> None:
    """robots.txt, /latest/ and the sitemap index answer (the site around the fault works)."""
    with serve_hostile(name, **SMALL.get(name, {})) as srv:
        status, headers, _ = request(srv.base_url, "/robots.txt")
        assert status == 200 and headers["content-type"].startswith("text/plain")
        status, _, page = request(srv.base_url, "/latest/")
        assert status == 200 and b"Viewing results 1 - 6 of" in page
        assert len(listing_ids(page)) == 6
        status, _, index = request(srv.base_url, "/sitemap_index.xml")
        assert status == 200 and b"<sitemapindex" in index
        assert srv.port == urlsplit(srv.base_url).port and srv.scenario.name == name
        assert [r["path"] for r in srv.requests] == ["/robots.txt", "/latest/",
                                                     "/sitemap_index.xml"]
        assert srv.requests[0]["request_headers"]["User-Agent"] == "hostile-test"
        assert srv.requests[1]["bytes"] == len(page) and srv.requests[1]["done"]


# ---------------------------------------------------------------------------- listings
def test_endless_same() -> None:
    with serve_hostile("endless-same") as srv:
        first = request(srv.base_url, "/latest/")[2]
        ids = listing_ids(first)
        assert len(ids) == 6 and link(first, "next") == f"{srv.base_url}/latest/page/2/"
        for n in (2, 11, 5000):
            status, _, page = request(srv.base_url, f"/latest/page/{n}/")
            assert status == 200
            assert listing_ids(page) == ids
            assert b"Viewing results 1 - 6 of 6<" in page
            assert link(page, "next") == f"{srv.base_url}/latest/page/{n + 1}/"


def test_endless_new() -> None:
    with serve_hostile("endless-new") as srv:
        seen: set[int] = set()
        for n in [*range(1, 13), 5000]:
            path = "/latest/" if n == 1 else f"/latest/page/{n}/"
            status, _, page = request(srv.base_url, path)
            ids = listing_ids(page)
            assert status == 200 and len(ids) == 6 and not seen & set(ids), n
            seen |= set(ids)
            a, b = (n - 1) * 6 + 1, n * 6
            assert f"Viewing results {a} - {b} of 60<".encode() in page
            assert link(page, "next") == f"{srv.base_url}/latest/page/{n + 1}/"
            if n > 10:
                assert re.findall(rb'href="[^"]*/junk-(\d+)-\d/?"', page)[0] == str(n).encode()
        # a generated post is a valid article with its own id
        status, _, art = request(srv.base_url, "/junk-5000-3/")
        assert status == 200
        pid = int(re.search(rb"postid-(\d+)", art).group(1))  # type: ignore[union-attr]
        assert pid in seen and link(art, "canonical") == f"{srv.base_url}/junk-5000-3/"
        assert b"<p>" in entry_content(art) and node(art, "Article")["datePublished"]
        assert request(srv.base_url, "/junk-5000-3")[0] == 301
        assert request(srv.base_url, "/junk-10-1/")[0] == 404  # real pages have no junk
        assert request(srv.base_url, "/junk-11-7/")[0] == 404


# ---------------------------------------------------------------------------- articles
def test_wall_before_and_after() -> None:
    with serve_hostile("wall", state="before") as srv:
        post = srv.scenario.posts[4]
        before = request(srv.base_url, f"/{post.slug}/")[2]
        sitemap_before = request(srv.base_url, "/post-sitemap.xml")[2]
    with serve_hostile("wall", state="after") as srv:
        after = request(srv.base_url, f"/{post.slug}/")[2]
        sitemap_after = request(srv.base_url, "/post-sitemap.xml")[2]
    assert WALL_TEXT.encode() not in before and len(entry_content(before)) > 1000
    assert entry_content(after).strip() == f"<p>{WALL_TEXT}</p>".encode()
    for pattern in (rb"postid-\d+", rb'<h1 class="entry-title">[^<]*<'):
        assert re.search(pattern, before).group(0) == re.search(pattern, after).group(0)  # type: ignore[union-attr]
    old, new = node(before, "Article"), node(after, "Article")
    assert old["headline"] == new["headline"] and old["datePublished"] == new["datePublished"]
    moved = datetime.fromisoformat(new["dateModified"]) - datetime.fromisoformat(
        old["dateModified"])
    assert moved == timedelta(days=1)
    assert sitemap_before != sitemap_after


@pytest.mark.parametrize("target", ["home", "offsite", "other-post"])
def test_canonical_home(target: str) -> None:
    with serve_hostile("canonical-home", target=target) as srv:
        posts = srv.scenario.posts
        for i in (0, 7):
            html = request(srv.base_url, f"/{posts[i].slug}/")[2]
            want = {"home": f"{srv.base_url}/", "offsite": "https://elsewhere.example/some-post/",
                    "other-post": f"{srv.base_url}/{posts[i + 1].slug}/"}[target]
            assert link(html, "canonical") == want
            assert meta(html, "og:url") == want
            assert node(html, "WebPage")["url"] == want
            assert f"postid-{posts[i].post_id} ".encode() in html  # still the same post


def test_huge_id() -> None:
    with serve_hostile("huge-id") as srv:
        post, other = srv.scenario.posts[0], srv.scenario.posts[1]
        status, headers, html = request(srv.base_url, f"/{post.slug}/")
        assert status == 200 and post.post_id == HUGE_ID == 9223372036854775808
        assert link(html, "shortlink") == f"{srv.base_url}/?p={HUGE_ID}"
        assert f"postid-{HUGE_ID} ".encode() in html
        assert f'href="{srv.base_url}/wp-json/wp/v2/posts/{HUGE_ID}"'.encode() in html
        assert f"wp/v2/posts/{HUGE_ID}>" in headers["link"]
        assert node(html, "Article")["identifier"] == HUGE_ID
        assert request(srv.base_url, f"/?p={HUGE_ID}")[1]["location"].endswith(f"/{post.slug}/")
        html = request(srv.base_url, f"/{other.slug}/")[2]
        assert link(html, "shortlink") == f"{srv.base_url}/?p={other.post_id}"
        assert other.post_id < 2**31 and b'"identifier"' not in html
        assert f'id="post-{HUGE_ID}"'.encode() in request(srv.base_url, "/latest/")[2]


def test_big_article_default_streams_200_mib() -> None:
    with serve_hostile("big-article") as srv:
        path = f"/{srv.scenario.posts[0].slug}/"
        status, headers, body = request(srv.base_url, path, method="HEAD")
        assert status == 200 and int(headers["content-length"]) == 200 * MIB and body == b""
        conn, resp = open_stream(srv.base_url, path)
        head = resp.read(64 * 1024)
        assert head.startswith(b"<!doctype html>") and b"postid-" in head
        n = len(head) + count_body(resp)
        conn.close()
        assert n == 200 * MIB == int(resp.headers["Content-Length"])
        assert srv.requests[-1]["bytes"] == 200 * MIB and srv.requests[-1]["done"]
        # other articles are normal
        assert len(request(srv.base_url, f"/{srv.scenario.posts[1].slug}/")[2]) < 100_000


def test_big_article_chunked() -> None:
    with serve_hostile("big-article", size_mb=2, chunked=True) as srv:
        status, headers, body = request(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert status == 200 and "content-length" not in headers
        assert headers["transfer-encoding"] == "chunked"
        assert len(body) == 2 * MIB and body.rstrip().endswith(b"</html>")
        assert body.count(b"<p>") > 1000


def test_gzip_bomb_default() -> None:
    with serve_hostile("gzip-bomb") as srv:
        conn, resp = open_stream(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert resp.headers["Content-Encoding"] == "gzip"
        wire = resp.read()
        conn.close()
    assert len(wire) == int(resp.headers["Content-Length"]) < 2_000_000
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    inflated, start, pending = 0, b"", wire
    while pending:  # inflate at most 4 MiB at a time, keeping none of it
        out = inflater.decompress(pending, 4 * MIB)
        pending = inflater.unconsumed_tail
        start = start or out[:200]
        inflated += len(out)
    inflated += len(inflater.flush())
    assert inflater.eof and inflated >= 600 * MIB
    assert start.startswith(b"<!doctype html>")


# ---------------------------------------------------------------------------- sitemaps
def test_sitemap_flood_default() -> None:
    with serve_hostile("sitemap-flood") as srv:
        robots = request(srv.base_url, "/robots.txt")[2]
        assert f"Sitemap: {srv.base_url}/sitemap_index.xml".encode() in robots
        index = request(srv.base_url, "/sitemap_index.xml")[2]
        locs = re.findall(rb"<loc>[^<]*/post-sitemap(\d+)\.xml</loc>\s*<lastmod>[^<]+</lastmod>",
                          index)
        assert [int(x) for x in locs] == list(range(1, 100_001))
        real = {f"{srv.base_url}/{p.slug}/" for p in srv.scenario.posts}
        for n in (1, 2, 3, 77_777, 100_000):
            status, _, xml = request(srv.base_url, f"/post-sitemap{n}.xml")
            urls = [e.text for e in ET.fromstring(xml).iter(
                "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
            assert status == 200 and 1 <= len(urls) <= 3 and set(urls) <= real
        assert request(srv.base_url, "/post-sitemap100001.xml")[0] == 404
        assert request(srv.base_url, urlsplit(urls[0]).path)[0] == 200


def test_sitemap_flood_one_big_sitemap() -> None:
    with serve_hostile("sitemap-flood", big_sitemap_mb=3) as srv:
        index = request(srv.base_url, "/sitemap_index.xml")[2]
        assert index.count(b"<sitemap>") == 1 and b"/post-sitemap.xml<" in index
        status, headers, xml = request(srv.base_url, "/post-sitemap.xml")
        assert status == 200 and len(xml) == int(headers["content-length"]) >= 3 * MIB
        urls = list(ET.fromstring(xml).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}url"))
        assert len(urls) > 10_000


# ---------------------------------------------------------------------------- bad markup
def test_bad_dates_and_deep_nesting() -> None:
    with serve_hostile("bad-dates") as srv:
        t = srv.scenario.targets
        for role, bad in zip(("far-future", "year-one", "not-a-date"), BAD_DATES, strict=True):
            html = request(srv.base_url, t[role][0])[2]
            art = node(html, "Article")
            assert art["datePublished"] == art["dateModified"] == bad
            assert meta(html, "article:published_time") == bad
            assert re.search(rb'<time class="entry-date published[^"]*" datetime="([^"]+)"',
                             html).group(1) == bad.encode()  # type: ignore[union-attr]
        sitemap = request(srv.base_url, "/post-sitemap.xml")[2]
        assert b"<lastmod>sometime</lastmod>" in sitemap
        html = request(srv.base_url, t["deep-nesting"][0])[2]
        assert b"<div>" * NESTING + b"<p>" in html and b"</p>" + b"</div>" * NESTING in html


# ---------------------------------------------------------------------------- redirects
def test_offsite_redirect() -> None:
    with serve_hostile("offsite-redirect") as srv:
        for post in srv.scenario.posts[:3]:
            status, headers, _ = request(srv.base_url, f"/{post.slug}/")
            assert status == 301
            assert headers["location"] == f"https://elsewhere.example/{post.slug}/"


def test_redirect_groups() -> None:
    with serve_hostile("redirects") as srv:
        t, base = srv.scenario.targets, srv.base_url
        status, headers, _ = request(base, t["offsite"][0])
        assert status == 301 and headers["location"].startswith("https://elsewhere.example/")
        a = t["loop"][0]
        status, headers, _ = request(base, a)
        b = urlsplit(headers["location"]).path
        assert status == 301 and b != a
        status, headers, _ = request(base, b)
        assert status == 301 and headers["location"] == base + a
        status, _, html = request(base, t["meta-refresh"][0])
        assert status == 200
        assert re.search(rb'<meta http-equiv="refresh" content="0; url=https://elsewhere\.example/',
                         html)
        status, headers, _ = request(base, t["other-port"][0])
        loc = urlsplit(headers["location"])
        assert status == 301 and loc.hostname == "127.0.0.1"
        assert loc.port == srv.scenario.other_port != srv.port
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", loc.port), timeout=5)
        assert request(base, t["normal"][0])[0] == 200
        assert len(t["offsite"]) == len(t["normal"]) == 12


def test_robots_forbid() -> None:
    with serve_hostile("robots-forbid") as srv:
        assert request(srv.base_url, "/robots.txt")[2] == b"User-agent: *\nDisallow: /\n"


# ---------------------------------------------------------------------------- empty pages
def test_empty_pages() -> None:
    with serve_hostile("empty-pages") as srv:
        status, headers, body = request(srv.base_url, f"/{srv.scenario.posts[3].slug}/")
        assert (status, body, headers["content-length"]) == (200, b"", "0")
        assert headers["content-type"].startswith("text/html")


def test_bodies_gone() -> None:
    with serve_hostile("bodies-gone") as srv:
        post = srv.scenario.posts[3]
        status, _, html = request(srv.base_url, f"/{post.slug}/")
        assert status == 200 and entry_content(html).strip() == b""
        assert node(html, "Article")["datePublished"] and b'<h1 class="entry-title">' in html


# ---------------------------------------------------------------------------- slow, endless
def read_raw(sock: socket.socket, seconds: float) -> bytes:
    """Whatever arrives on ``sock`` within ``seconds``."""
    data, end = b"", time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            piece = sock.recv(65536)
        except TimeoutError:
            break
        if not piece:
            break
        data += piece
    return data


def test_slow_drip_and_shutdown_while_dripping() -> None:
    with serve_hostile("slow-drip") as srv:
        path = f"/{srv.scenario.posts[0].slug}/"
        sock = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        raw = read_raw(sock, 2.5)
        head, _, body = raw.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and b"Transfer-Encoding: chunked" in head
        payload = b"".join(re.findall(rb"[0-9a-f]+\r\n(.)\r\n", body, re.S))
        assert 1 <= len(payload) <= 4 and b"<!doctype html>".startswith(payload)
        entry = srv.requests[-1]
        assert entry["path"] == path and not entry["done"] and entry["bytes"] <= 4
        started = time.monotonic()
    assert time.monotonic() - started < 3  # stopped while the client was still reading
    assert sock.recv(1024) == b""  # connection cut, no final chunk
    sock.close()


def test_endless_response() -> None:
    with serve_hostile("endless-response") as srv:
        conn, resp = open_stream(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert resp.headers["Transfer-Encoding"] == "chunked"
        assert count_body(resp, limit=30 * MIB) >= 30 * MIB  # and it goes on
        conn.close()
        time.sleep(0.2)
        assert srv.requests[-1]["bytes"] >= 30 * MIB and not srv.requests[-1]["done"]
        assert request(srv.base_url, "/robots.txt")[0] == 200  # the server is fine


def test_shutdown_mid_download_and_client_disconnect(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_hostile("big-article", size_mb=100) as srv:
        path = f"/{srv.scenario.posts[0].slug}/"
        # a client that goes away mid-body does not hurt the server
        conn, resp = open_stream(srv.base_url, path)
        assert count_body(resp, limit=2 * MIB) >= 2 * MIB
        conn.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]
        conn.close()
        assert request(srv.base_url, "/latest/")[0] == 200
        # a client mid-download (reading nothing more) when the with-block ends
        conn, resp = open_stream(srv.base_url, path)
        resp.read(MIB)
        started = time.monotonic()
    assert time.monotonic() - started < 3
    try:
        rest = count_body(resp)  # read(amt) returns b"" at a cut connection
    except (http.client.IncompleteRead, OSError):
        rest = 0
    conn.close()
    assert MIB + rest < 100 * MIB
    first = next(r for r in srv.requests if r["path"] == path)
    assert not first["done"] and first["bytes"] < 100 * MIB
    assert "Traceback" not in capfd.readouterr().err


# ---------------------------------------------------------------------------- extras
def test_bad_charset() -> None:
    with serve_hostile("bad-charset") as srv:
        status, headers, html = request(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert status == 200 and headers["content-type"] == "text/html; charset=x-bogus-8"
        assert b'<meta charset="x-bogus-8">' in html and b"<p>\xff\xfe\xc3(" in html
        with pytest.raises(UnicodeDecodeError):
            html.decode("utf-8")


def test_binary_200() -> None:
    with serve_hostile("binary-200") as srv:
        status, headers, body = request(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert status == 200 and headers["content-type"].startswith("text/html")
        assert len(body) == 65536 and body.startswith(b"\xff\xd8") and b"\0" in body


def test_lying_length() -> None:
    with serve_hostile("lying-length") as srv:
        longer, shorter = srv.scenario.posts[0], srv.scenario.posts[1]
        with pytest.raises(http.client.IncompleteRead):
            request(srv.base_url, f"/{longer.slug}/")
        status, headers, body = request(srv.base_url, f"/{shorter.slug}/")
        assert status == 200 and len(body) == int(headers["content-length"])
        assert not body.rstrip().endswith(b"</html>")
        assert srv.requests[-1]["bytes"] // 2 == len(body)  # the whole page went out


def test_soft_404() -> None:
    with serve_hostile("soft-404") as srv:
        status, _, html = request(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert status == 200 and b"Nothing here" in html and b"postid-" not in html
        assert request(srv.base_url, "/no-such-page/")[0] == 404


def test_throttled() -> None:
    with serve_hostile("throttled", retry_after="soon") as srv:
        status, headers, _ = request(srv.base_url, f"/{srv.scenario.posts[0].slug}/")
        assert (status, headers["retry-after"]) == (429, "soon")
    with serve_hostile("throttled") as srv:
        assert request(srv.base_url, f"/{srv.scenario.posts[0].slug}/")[1]["retry-after"] == (
            "86400")
