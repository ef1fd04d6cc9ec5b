"""The WeChat keyword 实事项目: the open rounds with their phase and link, through the signed endpoint."""

from renda.wechat.tests.conftest import text_of, wechat  # noqa: F401 (the signed-endpoint fixture)

from ..phases import Phase
from .helpers import make_round


def test_keyword_lists_open_rounds(wechat, world):  # noqa: F811
    none = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "实事项目", "MsgId": "p1"})))
    assert "/projects/" in none
    open_round = make_round(world, phase=Phase.VOTING)
    make_round(world, phase=Phase.CLOSED)
    text = text_of(wechat.reply(wechat.send({"MsgType": "text", "Content": "实事项目", "MsgId": "p2"})))
    assert open_round.title in text and "票决" in text and f"/projects/{open_round.pk}/" in text
    assert text.count("·") == 1
