"""答复公开: the public finds published replies by words or number and by lead unit; nothing unpublished, nothing
that the redaction review took out."""

from django.urls import reverse

from renda.suggestions.models import Disclosure, Suggestion
from renda.suggestions.workflow import Kind, State

from .helpers import make_suggestion


def _publish(s, *, title, text, reply, unit):
    Suggestion.objects.filter(pk=s.pk).update(
        disclosure=Disclosure.PUBLISHED, public_title=title, public_text=text, public_reply=reply, lead_unit=unit
    )
    return Suggestion.objects.get(pk=s.pk)


def _found(client, **params) -> str:
    response = client.get(reverse("suggestions_my:public_search"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_words_number_and_unit_find_published_replies_only(world):
    lift = _publish(
        make_suggestion(world, State.CLOSED, title="关于老旧小区加装电梯的建议"),
        title="关于老旧小区加装电梯的建议",
        text="建议简化加装电梯审批。",
        reply="已出台加装电梯补贴办法。",
        unit=world.wuzhong_unit,
    )
    parking = make_suggestion(world, State.CLOSED, kind=Kind.CPPCC, title="关于增加停车位的提案")
    parking = _publish(parking, title="关于增加停车位的提案", text="建议挖潜。", reply="已新增车位200个。", unit=None)
    # Redacted: the original text speaks of a lift and a phone number, the published one does not.
    redacted = make_suggestion(world, State.CLOSED, title="关于道路照明的建议")
    Suggestion.objects.filter(pk=redacted.pk).update(text="电梯坏了请联系13912345678")
    redacted = _publish(redacted, title="关于道路照明的建议", text="建议增设LED路灯。", reply="已安装。", unit=None)
    under_review = make_suggestion(world, State.CLOSED, title="关于电梯维保的建议")
    Suggestion.objects.filter(pk=under_review.pk).update(disclosure=Disclosure.REVIEW, public_title=under_review.title)
    public = world.client(None)

    page = _found(public, q="电梯")
    assert lift.number in page and parking.number not in page
    assert redacted.number not in page and under_review.number not in page
    assert parking.number in _found(public, q="新增车位")  # the reply's words
    page = _found(public, q=parking.number.lower())  # a number as typed, any case
    assert parking.number in page and lift.number not in page
    assert redacted.number in _found(public, q="led路灯")  # Latin letters in any case
    page = _found(public, q="不存在的词")
    assert not any(s.number in page for s in (lift, parking, redacted, under_review))

    # The unit filter offers the lead units that have published replies, and filters by one.
    page = _found(public)
    assert f'<option value="{world.wuzhong_unit.pk}">{world.wuzhong_unit.name}</option>' in page
    assert f">{world.co_unit.name}</option>" not in page  # a co-unit with no published lead item
    page = _found(public, unit=world.wuzhong_unit.pk, q="电梯")
    assert lift.number in page and parking.number not in page
    assert lift.number not in _found(public, unit=world.wuzhong_unit.pk, q="车位")


def test_an_over_long_search_is_refused_with_the_form_again(world, settings):
    settings.SEARCH_MAX_LENGTH = 10
    response = world.client(None).get(reverse("suggestions_my:public_search"), {"q": "电" * 11, "year": "2026"})
    assert response.status_code == 400
    assert "电" * 10 in response.content.decode() and "电" * 11 not in response.content.decode()
