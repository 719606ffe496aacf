"""Every broken manifest of ``corpus/`` produces exactly the messages, locations and order it expects."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vultr_state.errors import ManifestError
from vultr_state.manifest import load_manifest

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(path.name for path in CORPUS.iterdir() if path.is_dir())


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES)
def test_broken_manifest_reports_exact_issues(case: str, monkeypatch: pytest.MonkeyPatch):
    directory = CORPUS / case
    monkeypatch.chdir(directory)
    env_file = directory / "env.json"
    env = json.loads(env_file.read_text()) if env_file.exists() else {}
    target = "manifest.yaml" if (directory / "manifest.yaml").exists() else "manifests"
    with pytest.raises(ManifestError) as caught:
        load_manifest([target], env=env)
    expected = (directory / "expected.txt").read_text().splitlines()
    assert [str(issue) for issue in caught.value.issues] == expected
    assert str(caught.value).splitlines()[1:] == [f"  {line}" for line in expected]
