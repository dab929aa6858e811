"""The one way every process (worker, bot, CLI, setup) connects to Temporal.

Locally that is a plain connection to the dev server. A cluster or a cloud namespace adds TLS: with
``NIANBAO_TEMPORAL_TLS_CERT``/``_KEY`` a client certificate (mTLS), with ``NIANBAO_TEMPORAL_TLS_CA`` a
private CA to trust, and with ``NIANBAO_TEMPORAL_API_KEY`` a bearer key (Temporal Cloud API keys).
"""

from __future__ import annotations

import os
import sys
from typing import NoReturn

from temporalio.client import Client
from temporalio.service import TLSConfig

from nianbao.settings import Settings


def tls_config(settings: Settings) -> TLSConfig | bool:
    """What ``Client.connect(tls=...)`` needs: False (plain), True (system CAs) or the configured files."""
    if not settings.temporal_tls:
        return False
    files = (settings.temporal_tls_cert, settings.temporal_tls_key, settings.temporal_tls_ca)
    if not any(files):
        return True
    return TLSConfig(
        server_root_ca_cert=settings.temporal_tls_ca.read_bytes() if settings.temporal_tls_ca else None,
        client_cert=settings.temporal_tls_cert.read_bytes() if settings.temporal_tls_cert else None,
        client_private_key=settings.temporal_tls_key.read_bytes() if settings.temporal_tls_key else None,
    )


async def connect(settings: Settings) -> Client:
    api_key = settings.temporal_api_key.get_secret_value()
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        tls=tls_config(settings),
        api_key=api_key or None,
    )


def exit_after_client(code: int) -> NoReturn:
    """Leave the process at once once a Temporal client was used.

    The client's native threads can abort interpreter shutdown (temporalio/sdk-python#300: "PyGILState_
    Release … finalizing", exit code -6), which would turn a passing health check into a failing one.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
