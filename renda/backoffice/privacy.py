"""Who may see a masked phone in full (the reveal itself, audited, is renda/core/privacy.py `reveal`).

The right follows the grants: congress staff whose scope covers the opinion's region (or the deputy's electoral
region) may reveal; station keepers, unit staff and deputies see masks only (`mask_phone` in renda/core/crypto.py).
"""

from renda.accounts.scope import scope_for


def may_reveal_opinion(user, opinion) -> bool:
    return bool(opinion.consent and opinion.submitter_phone) and scope_for(user).covers_path(opinion.region.path)


def may_reveal_deputy(user, deputy) -> bool:
    return bool(deputy.phone) and scope_for(user).covers_path(deputy.electoral_region.path)
