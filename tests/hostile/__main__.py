"""CLI: ``python -m tests.hostile list`` | ``serve --scenario NAME [--port P] [--posts N]
[--any-option VALUE ...]`` (options go to the scenario: ``--size-mb 5``, ``--chunked``,
``--target offsite``; a flag without a value is True)."""

from __future__ import annotations

import argparse
import ast
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any

from .scenarios import SCENARIOS, describe
from .server import serve_hostile


def _value(text: str) -> Any:
    """'5' -> 5, '0.5' -> 0.5, 'true' -> True, 'none' -> None, anything else the string."""
    low = text.lower()
    if low in ("true", "false", "none"):
        return {"true": True, "false": False, "none": None}[low]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text
    return value if isinstance(value, int | float) else text


def scenario_options(extra: list[str]) -> dict[str, Any]:
    """``--size-mb 5 --chunked`` -> {'size_mb': 5, 'chunked': True}."""
    out: dict[str, Any] = {}
    i = 0
    while i < len(extra):
        tok = extra[i]
        if not tok.startswith("--"):
            raise SystemExit(f"unexpected argument {tok!r}")
        name, _, val = tok[2:].partition("=")
        if not val and i + 1 < len(extra) and not extra[i + 1].startswith("--"):
            val, i = extra[i + 1], i + 1
        out[name.replace("-", "_")] = _value(val) if val else True
        i += 1
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    ap = argparse.ArgumentParser(prog="python -m tests.hostile")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("list", help="print the scenarios and what they do")
    sp = sub.add_parser("serve", help="serve a scenario until SIGTERM/SIGINT",
                        epilog="Any other --name VALUE is passed to the scenario as an option.")
    sp.add_argument("--scenario", required=True, choices=sorted(SCENARIOS))
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int, default=0)
    sp.add_argument("--posts", type=int, default=60)
    sp.add_argument("--log", action="store_true", help="print each request to stderr")
    args, extra = ap.parse_known_args(argv)
    if args.cmd == "list":
        if extra:
            ap.error(f"unrecognized arguments: {' '.join(extra)}")
        for name, doc, options, expected in describe():
            print(f"{name}\n    {doc}")
            if options:
                print(f"    options: {options}")
            print(f"    expected: {expected}")
        return 0
    options = scenario_options(extra)
    stop = threading.Event()

    def _stop(_sig: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        scenario = SCENARIOS[args.scenario](posts=args.posts, **options)
    except (TypeError, ValueError) as exc:
        print(f"bad option for {args.scenario}: {exc}", file=sys.stderr)
        return 2
    with serve_hostile(scenario, args.host, args.port) as srv:
        print(f"READY {srv.base_url}", flush=True)
        seen = 0
        while not stop.wait(0.2):
            if args.log:
                for r in srv.requests[seen:]:
                    print(f"{time.strftime('%H:%M:%S')} {r['method']} {r['path']} "
                          f"{r['status']}", file=sys.stderr, flush=True)
                seen = len(srv.requests)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
