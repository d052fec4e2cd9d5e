"""CLI: serve | ground-truth | save-pages."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from types import FrameType

from . import ReplicaConfig, ReplicaSite, serve
from .fixtures import save_pages
from .model import REST_API_MODES, SEO_NAMES, THEME_NAMES


def _config(args: argparse.Namespace) -> ReplicaConfig:
    faults = frozenset(f for f in (args.faults or "").split(",") if f)
    return ReplicaConfig(
        seed=args.seed,
        posts=args.posts,
        theme=args.theme,
        state=args.state,
        faults=faults,
        slow_seconds=args.slow_seconds,
        seo=args.seo,
        validators=args.validators,
        sitemaps=not args.no_sitemaps,
        appeal=args.appeal,
        rest_api=args.rest_api,
        rest_html_mismatch=args.rest_html_mismatch,
    )


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--posts", type=int, default=120)
    p.add_argument("--theme", choices=THEME_NAMES, default="classic")
    p.add_argument(
        "--seo", choices=SEO_NAMES, default="yoast", help="SEO plugin: yoast, rankmath or none"
    )
    p.add_argument("--state", choices=("initial", "later"), default="initial")
    p.add_argument("--faults", default="", help="comma list of 503,slow,truncated,500,removed")
    p.add_argument("--slow-seconds", type=float, default=2.0)
    p.add_argument("--validators", action="store_true",
                   help="send ETag/Last-Modified on posts and answer conditional GETs with 304")
    p.add_argument("--no-sitemaps", action="store_true",
                   help="no XML sitemaps (404) and no Sitemap line in robots.txt")
    p.add_argument("--appeal", action="store_true",
                   help="the theme's reader-support box inside every post (site boilerplate)")
    p.add_argument("--rest-api", choices=REST_API_MODES, default="on",
                   help="the REST API /wp-json/: on, locked (401, discovery kept) or off (404, "
                   "no discovery)")
    p.add_argument("--rest-html-mismatch", action="store_true",
                   help="the API's content of a few posts differs from their pages")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(prog="python -m tests.replica")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("serve", help="serve the replica until SIGTERM/SIGINT")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=0)
    sp.add_argument("--request-log")
    sp.add_argument("--ground-truth")
    _common(sp)
    gp = sub.add_parser("ground-truth", help="print the ground truth JSON")
    gp.add_argument("--base-url", required=True)
    _common(gp)
    pp = sub.add_parser("save-pages", help="save representative pages and expected parses")
    pp.add_argument("dir")
    pp.add_argument("--base-url", required=True)
    _common(pp)
    args = ap.parse_args(argv)
    cfg = _config(args)
    if args.cmd == "ground-truth":
        json.dump(ReplicaSite(cfg).ground_truth(args.base_url), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if args.cmd == "save-pages":
        names = save_pages(ReplicaSite(cfg), args.dir, args.base_url.rstrip("/"))
        print("\n".join(names))
        return 0
    site = ReplicaSite(cfg, request_log=args.request_log)
    stop = threading.Event()

    def _stop(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with serve(site, host=args.host, port=args.port) as srv:
        if args.ground_truth:
            with open(args.ground_truth, "w", encoding="utf-8") as fh:
                json.dump(site.ground_truth(srv.base_url), fh, ensure_ascii=False)
        print(f"READY {srv.base_url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
