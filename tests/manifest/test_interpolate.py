"""``${VAR}`` interpolation of one string: defaults, escapes, and precise problems."""

from __future__ import annotations

import pytest

from vultr_state.manifest.interpolate import interpolate

ENV = {"STAGE": "prod", "EMPTY": "", "DOLLAR": "$X"}
MALFORMED = (
    "malformed reference '{}': expected ${{NAME}} or ${{NAME:-default}} (write '$$' for a literal '$')"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("web-${STAGE}-1", "web-prod-1"),
        ("${STAGE}${STAGE}", "prodprod"),
        ("${MISSING:-dev}", "dev"),
        ("${EMPTY:-fallback}", "fallback"),
        ("${STAGE:-dev}", "prod"),
        ("${MISSING:-}", ""),
        ("${MISSING:-a:b-c d}", "a:b-c d"),
        ("$${STAGE}", "${STAGE}"),
        ("cost $$5 and $HOME and a lone $", "cost $5 and $HOME and a lone $"),
        ("${DOLLAR}", "$X"),
        ("${EMPTY}", ""),
    ],
)
def test_interpolation(text, expected):
    assert interpolate(text, ENV) == (expected, [])


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "${MISSING}",
            "environment variable 'MISSING' is not set (use ${MISSING:-default} to give a default)",
        ),
        ("${}", MALFORMED.format("${}")),
        ("${A B}", MALFORMED.format("${A B}")),
        ("${A-x}", MALFORMED.format("${A-x}")),
        ("x-${STAGE", "unclosed '${' (write '$$' for a literal '$')"),
    ],
)
def test_interpolation_problems(text, problem):
    result, problems = interpolate(text, ENV)
    assert problems == [problem]
    assert result == text


def test_every_problem_of_a_string_is_reported():
    _, problems = interpolate("${A}-${B}-${STAGE}", ENV)
    assert problems == [
        "environment variable 'A' is not set (use ${A:-default} to give a default)",
        "environment variable 'B' is not set (use ${B:-default} to give a default)",
    ]
