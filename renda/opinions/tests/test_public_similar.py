""" "Mine too": suggestions while typing (htmx fragment) and joining an open opinion instead of filing a duplicate."""

import re
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

from renda.opinions import actions, similar
from renda.opinions.models import Event, Opinion, Supporter
from renda.opinions.public_forms import sign_opinion, unsign_opinion
from renda.opinions.workflow import Action, RefusalReason
from renda.testing import assert_statuses

from .public_helpers import NAME, PHONE, submit

SIMILAR_URL = "/s/MUDU01/opinion/similar/"
MINE_TOO_URL = "/s/MUDU01/opinion/mine-too/"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def english(world):
    client = world.client(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_similar_ranks_open_opinions_at_the_station_and_town(world):
    best = submit(world, "小区门口停车难，晚上没有车位")
    good = submit(world, "晚上停车难")
    weak = submit(world, "门口路灯不亮")
    # Same town (木渎镇), another place: the village below the town counts as the town.
    world.mudu_home.region = world.mudu_village
    world.mudu_home.save(update_fields=["region"])
    in_town = submit(world, "村里停车难")
    world.mudu_home.region = world.mudu
    world.mudu_home.save(update_fields=["region"])
    elsewhere = submit(world, "小区门口停车难，晚上没有车位", station=world.canglang_home)
    refused = submit(world, "小区门口停车难，晚上没有车位")
    actions.perform(world.keeper, refused.pk, Action.REFUSE, reason=RefusalReason.DUPLICATE)

    found = similar.similar_open("小区门口停车难", station=world.mudu_home)
    assert found[0] == best
    assert set(found) == {best, good, weak, in_town}
    assert elsewhere not in found and refused not in found
    assert similar.similar_open("停车", station=world.mudu_home) == []  # under four characters: nothing yet
    assert similar.similar_open("完全无关的内容", station=world.mudu_home) == []


def test_long_texts_prefilter_with_bigrams_from_start_to_end(world):
    tail = submit(world, "垃圾清运不及时")
    text = "小区门口停车难，" * 30 + "另外垃圾清运不及时"
    assert similar.similar_open(text, station=world.mudu_home) == [tail]


def test_similar_is_bounded(world):
    for i in range(similar.LIMIT + 3):
        submit(world, f"停车难问题第{i}次反映")
    assert len(similar.similar_open("停车难问题", station=world.mudu_home)) == similar.LIMIT


def test_similar_for_a_deputy(world):
    to_deputy = actions.submit(deputy=world.deputy_wz, category=submit(world).category, text="河道垃圾很多没人清理")
    found = similar.similar_open("河道垃圾", deputy=world.deputy_wz)
    assert found == [to_deputy.opinion]


def test_fragment_lists_suggestions_with_mine_too_buttons(world, django_assert_max_num_queries):
    opinion = submit(world, "小区门口停车难，晚上没有车位")
    assert_statuses(
        world,
        f"{SIMILAR_URL}?text=停车难的问题",
        {"anonymous": 200, "outsider": 200, "wuzhong_staff": 200, "gusu_staff": 200},
    )
    client = english(world)
    with django_assert_max_num_queries(2):  # the station, the candidates
        response = client.get(SIMILAR_URL, {"text": "小区停车难的问题"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    # The button carries a signed reference (with a timestamp, so compare what it opens, not its text).
    references = re.findall(r'name="opinion" value="([^"]+)"', html)
    assert "小区门口停车难" in html and [unsign_opinion(r) for r in references] == [opinion.pk]
    assert f'formaction="{MINE_TOO_URL}"' in html and "Mine too" in html
    assert opinion.tracking_code not in html  # suggestions never reveal another person's tracking code
    assert client.get(SIMILAR_URL, {"text": "停车"}).content.decode().strip() == ""
    assert client.get("/s/NOPE99/opinion/similar/", {"text": "停车难的问题"}).status_code == 404


def test_mine_too_joins_the_opinion_and_lands_on_its_tracking_page(world):
    opinion = submit(world)
    token = str(uuid.uuid4())
    data = {"opinion": sign_opinion(opinion.pk), "name": NAME, "phone": PHONE, "consent": "on", "client_token": token}
    response = world.client(None).post(MINE_TOO_URL, data)
    assert response.status_code == 302 and response["Location"] == f"/t/{opinion.tracking_code}/?joined=1"
    supporter = Supporter.objects.get()
    assert supporter.opinion == opinion and supporter.name == NAME and supporter.phone == PHONE
    assert supporter.client_token == token
    assert Event.objects.filter(opinion=opinion, action=Action.SUPPORT).count() == 1
    # A retry with the same token: the same answer, no second supporter.
    again = world.client(None).post(MINE_TOO_URL, data)
    assert again["Location"] == response["Location"] and Supporter.objects.count() == 1
    html = english(world).get(response["Location"]).content.decode()
    assert 'id="joined"' in html and "1 other person raised the same matter" in html
    assert Opinion.objects.count() == 1


def test_mine_too_from_the_submission_form_posts_the_whole_form(world):
    """The button sits in the opinion form (formaction): its other fields ride along and are ignored."""
    opinion = submit(world)
    data = {
        "opinion": sign_opinion(opinion.pk),
        "category": "",
        "text": "我也遇到同样的停车问题",
        "client_token": str(uuid.uuid4()),
    }
    response = world.client(None).post(MINE_TOO_URL, data)
    assert response.status_code == 302
    assert Supporter.objects.get().name == "" and Opinion.objects.count() == 1


def test_mine_too_contact_without_consent_is_refused(world):
    opinion = submit(world)
    data = {"opinion": sign_opinion(opinion.pk), "phone": PHONE, "client_token": str(uuid.uuid4())}
    response = english(world).post(MINE_TOO_URL, data)
    assert response.status_code == 400 and response.context["form"].errors["consent"]
    assert 'id="joined-opinion"' in response.content.decode()  # the page to fix it on shows what is being joined
    assert not Supporter.objects.exists()


def test_mine_too_refuses_forged_references_and_closed_opinions(world):
    opinion = submit(world)
    forged = {"opinion": str(opinion.pk), "client_token": str(uuid.uuid4())}
    assert world.client(None).post(MINE_TOO_URL, forged).status_code == 400
    assert world.client(None).get(MINE_TOO_URL, {"o": str(opinion.pk)}).status_code == 404
    actions.perform(world.keeper, opinion.pk, Action.REFUSE, reason=RefusalReason.NO_CONTENT)
    response = english(world).post(MINE_TOO_URL, {"opinion": sign_opinion(opinion.pk), "client_token": ""})
    assert response.status_code == 400 and "no longer open" in response.content.decode()
    assert not Supporter.objects.exists()


def test_mine_too_confirmation_page(world):
    opinion = submit(world)
    url = f"{MINE_TOO_URL}?o={sign_opinion(opinion.pk)}"
    assert_statuses(world, url, {"anonymous": 200, "outsider": 200, "gusu_staff": 200})
    html = english(world).get(url).content.decode()
    assert opinion.text in html and 'id="privacy-notice"' in html and opinion.tracking_code not in html
    assert world.client(None).get(f"/d/DWZ001/opinion/mine-too/?o={sign_opinion(opinion.pk)}").status_code == 200
