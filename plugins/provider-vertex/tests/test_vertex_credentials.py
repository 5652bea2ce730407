"""Vertex project/region/credential resolution (offline), catalogue mapping and the light entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from claw.testing import assert_import_light
from claw_provider_vertex import credentials
from claw_provider_vertex.provider import VertexProvider


def status(tmp_path: Path, settings: dict | None = None, **env: str):  # type: ignore[no-untyped-def]
    return VertexProvider(settings or {}, {"HOME": str(tmp_path), **env}).credentials()


def test_project_is_required(tmp_path: Path) -> None:
    st = status(tmp_path, access_token="t")
    assert not st.present and "GOOGLE_CLOUD_PROJECT" in st.hint


def test_access_token_from_settings(tmp_path: Path) -> None:
    st = status(tmp_path, {"access_token": "ya29", "project": "p"})
    assert st.present and st.source == "settings providers.vertex.access_token"


def test_gcloud_adc_file_and_its_quota_project(tmp_path: Path) -> None:
    adc = tmp_path / ".config" / "gcloud" / "application_default_credentials.json"
    adc.parent.mkdir(parents=True)
    adc.write_text(json.dumps({"type": "authorized_user", "quota_project_id": "from-adc"}))
    st = status(tmp_path)
    assert st.present and "gcloud application-default credentials" in (st.source or "")
    assert credentials.project({}, {"HOME": str(tmp_path)}) == "from-adc"


def test_service_account_file(tmp_path: Path) -> None:
    key = tmp_path / "sa.json"
    key.write_text(json.dumps({"type": "service_account", "project_id": "sa-proj"}))
    st = status(tmp_path, GOOGLE_APPLICATION_CREDENTIALS=str(key))
    assert st.present and st.source == f"GOOGLE_APPLICATION_CREDENTIALS ({key})"
    missing = status(
        tmp_path, GOOGLE_APPLICATION_CREDENTIALS=str(tmp_path / "nope.json"), GOOGLE_CLOUD_PROJECT="p"
    )
    assert not missing.present and "missing file" in missing.hint


def test_nothing_configured(tmp_path: Path) -> None:
    st = status(tmp_path, GOOGLE_CLOUD_PROJECT="p")
    assert not st.present and "gcloud auth application-default login" in st.hint


@pytest.mark.parametrize(
    ("settings", "env", "project", "region"),
    [
        ({"project": "s", "region": "europe-west1"}, {"GOOGLE_CLOUD_PROJECT": "e"}, "s", "europe-west1"),
        (
            {},
            {"ANTHROPIC_VERTEX_PROJECT_ID": "a", "GOOGLE_CLOUD_PROJECT": "g", "CLOUD_ML_REGION": "us-east5"},
            "a",
            "us-east5",
        ),
        (
            {},
            {"GOOGLE_CLOUD_PROJECT": "g", "GOOGLE_CLOUD_REGION": "asia-east1", "CLOUD_ML_REGION": "x"},
            "g",
            "asia-east1",
        ),
        ({}, {"GOOGLE_CLOUD_PROJECT": "g"}, "g", "global"),
    ],
)
def test_project_and_region_precedence(settings: dict, env: dict, project: str, region: str) -> None:
    env = {"HOME": "/nonexistent", **env}
    assert credentials.project(settings, env) == project
    assert credentials.region(settings, env) == region


@pytest.mark.parametrize(
    ("model", "vertex_id"),
    [
        ("claude-sonnet-4-5", "claude-sonnet-4-5@20250929"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5@20250929"),
        ("claude-haiku-4-5", "claude-haiku-4-5@20251001"),
        ("claude-opus-4-6", "claude-opus-4-6"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1@20250805"),  # not in the catalogue: mapped by pattern
        ("gemini-2.5-pro", "gemini-2.5-pro"),
    ],
)
def test_model_id_mapping(model: str, vertex_id: str) -> None:
    assert VertexProvider.model_info(model).id == vertex_id


def test_catalogue_capabilities() -> None:
    gemini = VertexProvider.model_info("gemini-2.5-pro")
    assert gemini.context_window == 1_048_576 and gemini.supports_images and gemini.pricing is not None
    opus = VertexProvider.model_info("claude-opus-4-6")
    assert opus.effort_levels == ("low", "medium", "high", "max") and opus.supports_prompt_cache


def test_entry_point_module_is_light() -> None:
    assert_import_light("claw_provider_vertex.plugin", banned={"anthropic", "google", "httpx2", "pydantic"})


def test_provider_module_imports_no_sdk() -> None:
    # the kernel imports it whenever a run registers providers
    assert_import_light("claw_provider_vertex.provider", banned={"anthropic", "google", "httpx2"})


def test_metadata_server_on_compute_engine_and_cloud_run(tmp_path: Path) -> None:
    dmi = tmp_path / "dmi"
    dmi.mkdir()
    (dmi / "product_name").write_text("Google Compute Engine\n")
    env = {"HOME": str(tmp_path), "GOOGLE_CLOUD_PROJECT": "p"}
    assert credentials.status({}, env, dmi).source == "Compute Engine metadata server"
    assert (
        credentials.status({}, {**env, "K_SERVICE": "svc"}, tmp_path).source
        == "Google Cloud serverless metadata server"
    )
    assert not credentials.status({}, env, tmp_path).present
