"""The phone form and the public API share one proposal path and one per-address limit, checked and counted in one
step (LIMIT_PROPOSE_PER_IP_HOUR): over it both answer 429 and nothing is written; a refused proposal does not count."""

from django.urls import reverse

from ..models import Proposal
from .helpers import make_round


def test_form_and_api_share_one_limit(world, client, settings):
    settings.LIMIT_PROPOSE_PER_IP_HOUR = 2
    round_ = make_round(world)
    api = f"/api/v1/projects/rounds/{round_.pk}/proposals"
    form = reverse("projects_public:propose", args=[round_.pk])
    body = {"title": "加装电梯", "description": "老小区没有电梯"}
    assert client.post(api, {**body, "client_token": "a1"}, content_type="application/json").status_code == 201
    page = client.post(form, {**body, "client_token": "00000000-0000-4000-8000-000000000001"})
    assert page.status_code == 302 and Proposal.objects.count() == 2
    over_api = client.post(api, {**body, "client_token": "a3"}, content_type="application/json")
    assert over_api.status_code == 429 and over_api.json()["code"] == "rate_limited"
    over_form = client.post(form, {**body, "client_token": "00000000-0000-4000-8000-000000000003"})
    assert over_form.status_code == 429 and "请稍后" in over_form.content.decode()
    assert Proposal.objects.count() == 2


def test_a_refused_proposal_gives_its_hit_back(world, client, settings):
    settings.LIMIT_PROPOSE_PER_IP_HOUR = 1
    round_ = make_round(world)
    api = f"/api/v1/projects/rounds/{round_.pk}/proposals"
    round_.phase = "screening"  # the action refuses: solicitation is over
    round_.save(update_fields=["phase"])
    body = {"title": "加装电梯", "description": "老小区没有电梯", "client_token": "r1"}
    assert client.post(api, body, content_type="application/json").status_code == 409
    round_.phase = "solicitation"
    round_.save(update_fields=["phase"])
    assert client.post(api, {**body, "client_token": "r2"}, content_type="application/json").status_code == 201
