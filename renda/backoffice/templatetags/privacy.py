"""{% if request.user|may_reveal_opinion:opinion %}: whether to offer the "show full number" button."""

from django import template

from renda.backoffice import privacy

register = template.Library()


@register.filter
def may_reveal_opinion(user, opinion) -> bool:
    return privacy.may_reveal_opinion(user, opinion)


@register.filter
def may_reveal_deputy(user, deputy) -> bool:
    return privacy.may_reveal_deputy(user, deputy)
