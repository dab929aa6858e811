"""The local Bot API server's access log shows every request but never the bot token in its path."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from botapi.access_log import redact

TOKEN = "123456:SECRET-token_value"


def test_the_token_segment_of_api_and_file_paths_is_replaced() -> None:
    assert redact(f"GET /bot{TOKEN}/getMe?x=1 HTTP/1.1") == "GET /bot<token>/getMe?x=1 HTTP/1.1"
    assert redact(f"GET /file/bot{TOKEN}/documents/a.docx") == "GET /file/bot<token>/documents/a.docx"
    assert redact("GET /control/chats HTTP/1.1") == "GET /control/chats HTTP/1.1"


def test_the_server_process_logs_requests_without_the_token() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "botapi", "--port", str(port), "--token", TOKEN]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as server:
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/bot{TOKEN}/getMe", timeout=2
                    ) as reply:
                        assert reply.status == 200
                    break
                except OSError:
                    time.sleep(0.1)
        finally:
            server.terminate()
            output, _ = server.communicate(timeout=15)
    assert "/bot<token>/getMe" in output
    assert "SECRET" not in output
