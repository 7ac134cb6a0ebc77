"""Complete AIMSS answer sets used by the rule, CLI and browser tests."""

from __future__ import annotations

from typing import Any

FOCAL_CARPAL_TUNNEL: dict[str, Any] = {
    "symptoms": ["tendinopathy"],
    "tendinopathy_types": ["carpal_tunnel"],
    "ring_no_longer_fits": "no",
    "weeks_since_ai_start": 20,
    "onset_before_ai": "no",
    "onset_weeks_after_ai_start": 7,
    "ai_stopped": "no",
    "distribution": "focal",
    "focal_refractory": "no",
    "limited_prognosis": "no",
    "equally_effective_alternative": "no",
}

DIFFUSE_MILD: dict[str, Any] = {
    "symptoms": ["arthralgia", "joint_stiffness"],
    "ring_no_longer_fits": "no",
    "weeks_since_ai_start": 30,
    "onset_before_ai": "no",
    "onset_weeks_after_ai_start": 6,
    "ai_stopped": "no",
    "distribution": "diffuse",
    "diffuse_severity": "mild",
    "concomitant_depression": "no",
    "diffuse_refractory": "no",
    "limited_prognosis": "no",
    "equally_effective_alternative": "no",
}

DIFFUSE_MODERATE_WITH_DEPRESSION: dict[str, Any] = {
    **DIFFUSE_MILD,
    "diffuse_severity": "moderate",
    "concomitant_depression": "yes",
}

NEUROPATHY_ONLY: dict[str, Any] = {"symptoms": ["neuropathy"]}

FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS: dict[str, Any] = {
    "symptoms": ["tendinopathy", "arthralgia"],
    "tendinopathy_types": ["de_quervain"],
    "ring_no_longer_fits": "yes",
    "weeks_since_ai_start": "12",
    "onset_before_ai": "no",
    "onset_weeks_after_ai_start": "4.5",
    "ai_stopped": "yes",
    "weeks_since_ai_stopped": "2",
    "improved_within_4_weeks_of_stopping": "no",
    "distribution": "focal",
    "focal_refractory": "yes",
    "limited_prognosis": "yes",
    "widespread_metastases": "yes",
    "widespread_visceral_disease": "yes",
    "equally_effective_alternative": "not_known",
}

BROWSER_CASES = {
    "focal_carpal_tunnel": FOCAL_CARPAL_TUNNEL,
    "diffuse_mild": DIFFUSE_MILD,
    "diffuse_moderate_with_depression": DIFFUSE_MODERATE_WITH_DEPRESSION,
    "neuropathy_only": NEUROPATHY_ONLY,
    "focal_de_quervain_refractory_limited_prognosis": FOCAL_DE_QUERVAIN_REFRACTORY_LIMITED_PROGNOSIS,
}
