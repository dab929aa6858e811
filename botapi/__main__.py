"""``python -m botapi --port P [--token T …]``: run the local Bot API server."""

from __future__ import annotations

import argparse
import logging

from aiohttp import web

from botapi.access_log import RedactedAccessLogger
from botapi.app import DEFAULT_TOKEN, create_app


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m botapi", description="本地 Bot API 服务器（开发与测试用）"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument(
        "--token", action="append", help=f"bot token to accept (repeatable; default {DEFAULT_TOKEN})"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    web.run_app(
        create_app(args.token or [DEFAULT_TOKEN]),
        host=args.host,
        port=args.port,
        print=None,
        handler_cancellation=True,
        access_log_class=RedactedAccessLogger,
    )


if __name__ == "__main__":
    main()
