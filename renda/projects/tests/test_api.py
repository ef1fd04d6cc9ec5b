"""The JSON endpoints: public reads and proposals, a deputy casting with a token, staff moving a round."""

from django.urls import reverse

from renda.api.tests.helpers import bearer

from ..actions import sessions
from ..ballots import commitment
from ..models import Proposal, Receipt
from ..phases import Phase
from .helpers import STAFF, add_candidates, make_deputies, make_round, voting_session

SECRET = "d4" * 16


def test_public_round_and_proposal(world, client):
    round_ = make_round(world)
    rounds = client.get("/api/v1/projects/rounds").json()
    assert [r["id"] for r in rounds] == [round_.pk]
    detail = client.get(f"/api/v1/projects/rounds/{round_.pk}").json()
    assert detail["phase"] == "solicitation" and len(detail["phases"]) == 7 and detail["projects"] == []
    body = {"title": "加装电梯", "description": "老小区没有电梯", "client_token": "api-1"}
    made = client.post(f"/api/v1/projects/rounds/{round_.pk}/proposals", body, content_type="application/json")
    assert made.status_code == 201 and Proposal.objects.get().tracking_code == made.json()["tracking_code"]
    no_consent = {**body, "client_token": "api-2", "phone": "13900001111"}
    refused = client.post(f"/api/v1/projects/rounds/{round_.pk}/proposals", no_consent, content_type="application/json")
    assert refused.status_code == 422 and Proposal.objects.count() == 1
    assert client.get("/api/v1/projects/rounds/999999").status_code == 404


def test_deputy_casts_through_the_api(world, client):
    round_ = make_round(world, phase=Phase.VOTING, places=1)
    a, b = add_candidates(world, round_, 2)
    make_deputies(world, 2)
    session = voting_session(world, round_)
    api, _secret = bearer(world.deputy_user)
    mine = api.get("/api/v1/staff/projects/sessions").json()
    assert [s["id"] for s in mine] == [session.pk] and mine[0]["present"] and not mine[0]["voted"]
    ballot = api.get(f"/api/v1/staff/projects/sessions/{session.pk}").json()
    assert [item["project"] for item in ballot["items"]] == [a.pk, b.pk] and ballot["places"] == 1
    choices = {str(a.pk): "for", str(b.pk): "for"}
    url = f"/api/v1/staff/projects/sessions/{session.pk}/cast"
    too_many = api.post(url, {"choices": choices, "secret": SECRET}, content_type="application/json")
    assert too_many.status_code == 409 and too_many.json()["code"] == "too_many"
    choices[str(b.pk)] = "against"
    cast = api.post(url, {"choices": choices, "secret": SECRET}, content_type="application/json")
    assert cast.status_code == 201 and cast.json()["commitment"] == commitment(choices, SECRET)
    twice = api.post(url, {"choices": choices, "secret": SECRET}, content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "twice"
    assert client.get(f"/api/v1/projects/rounds/{round_.pk}/sessions/{session.pk}/ballots").status_code == 404
    sessions.close_voting(world.wuzhong_staff, session, STAFF)
    published = client.get(f"/api/v1/projects/rounds/{round_.pk}/sessions/{session.pk}/ballots").json()
    assert published["receipts"] == [{"code": Receipt.objects.get().code, "commitment": cast.json()["commitment"]}]
    assert published["ballots"] == [choices] and published["count"]["votes"][str(a.pk)]["for"] == 1
    other, _ = bearer(world.gusu_staff)
    assert other.get(f"/api/v1/staff/projects/sessions/{session.pk}").status_code == 404
    assert client.get(f"/api/v1/staff/projects/sessions/{session.pk}").status_code == 401


def test_staff_advance_through_the_api(world):
    round_ = make_round(world, phase=Phase.SCREENING)
    staff, _ = bearer(world.wuzhong_staff)
    assert [r["id"] for r in staff.get("/api/v1/staff/projects/rounds").json()] == [round_.pk]
    moved = staff.post(f"/api/v1/staff/projects/rounds/{round_.pk}/advance")
    assert moved.status_code == 200 and moved.json()["phase"] == "candidates"
    refused = staff.post(f"/api/v1/staff/projects/rounds/{round_.pk}/advance")
    assert refused.status_code == 409 and refused.json()["code"] == "unpublished"
    gusu, _ = bearer(world.gusu_staff)
    assert gusu.post(f"/api/v1/staff/projects/rounds/{round_.pk}/advance").status_code == 404
    assert reverse("api:openapi-json")
