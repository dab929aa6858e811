"""Temporal connection settings for a cluster or a cloud namespace: mTLS files, a CA, an API key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from temporalio.service import TLSConfig

import nianbao.commands.cycle
import nianbao.worker
from nianbao.connection import connect, tls_config
from nianbao.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("NIANBAO_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_the_dev_server_gets_a_plain_connection() -> None:
    assert tls_config(load_settings()) is False


def test_mtls_files_are_read_into_the_tls_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("cert", "key", "ca"):
        (tmp_path / f"{name}.pem").write_bytes(f"-- {name} --".encode())
        monkeypatch.setenv(f"NIANBAO_TEMPORAL_TLS_{name.upper()}", f"{name}.pem")
    config = tls_config(load_settings())
    assert isinstance(config, TLSConfig)
    assert (config.client_cert, config.client_private_key, config.server_root_ca_cert) == (
        b"-- cert --",
        b"-- key --",
        b"-- ca --",
    )


def test_an_api_key_turns_tls_on_and_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_TEMPORAL_API_KEY", "very-secret-key")
    settings = load_settings()
    assert tls_config(settings) is True
    assert "very-secret-key" not in repr(settings)
    assert "very-secret-key" not in str(settings.model_dump())


def test_a_certificate_without_its_key_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "cert.pem").write_text("cert")
    monkeypatch.setenv("NIANBAO_TEMPORAL_TLS_CERT", "cert.pem")
    with pytest.raises(SettingsError, match="NIANBAO_TEMPORAL_TLS_KEY"):
        load_settings()


def test_a_missing_file_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIANBAO_TEMPORAL_TLS_CA", "nowhere/ca.pem")
    with pytest.raises(SettingsError, match="NIANBAO_TEMPORAL_TLS_CA"):
        load_settings()


def test_worker_bot_and_cli_share_the_one_connect_helper() -> None:
    assert nianbao.worker.connect is connect
    assert nianbao.commands.cycle.connect is connect
