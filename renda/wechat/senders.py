"""The outbox's "wechat" channel: template messages through the one client (NOTIFICATION_WECHAT_SENDER).

Set NOTIFICATION_WECHAT_SENDER=renda.wechat.senders.TemplateSender. A message's `address` is the recipient's openid;
its `template` (e.g. "opinion_replied") picks the WeChat template id from WECHAT_TEMPLATE_IDS. Every template the
account adds in the WeChat admin must have the fields below (the data mapping, docs/api/wechat.md):
first = the message text, keyword1 = tracking code, keyword2 = state, keyword3 = due date, remark = station.
"""

from django.conf import settings

from renda.notifications.senders import PermanentSendError, Sender, SendError
from renda.notifications.texts import render_body

from . import client as wechat_client

# WeChat's refusals about the recipient, the same at every try: an openid that is not of this account (40003), a
# user who does not follow it (43004) or who refused its messages (43101). Failed at once, not retried.
PERMANENT_CODES = frozenset({40003, 43004, 43101})


def template_data(message) -> dict:
    context = message.context or {}
    values = {
        "first": render_body(message),
        "keyword1": context.get("code", ""),
        "keyword2": context.get("state", ""),
        "keyword3": context.get("due", ""),
        "remark": context.get("station", ""),
    }
    return {name: {"value": str(value)[:200]} for name, value in values.items()}


class TemplateSender(Sender):
    def send(self, message) -> None:
        if not message.address:
            raise PermanentSendError("no WeChat openid")
        template_id = settings.WECHAT_TEMPLATE_IDS.get(message.template)
        if not template_id:
            raise SendError(f"no WeChat template id for {message.template!r} in WECHAT_TEMPLATE_IDS")
        try:
            wechat_client.get_client().send_template(
                message.address, template_id, template_data(message), url=(message.context or {}).get("url", "")
            )
        except wechat_client.WeChatError as exc:
            raise (PermanentSendError if exc.code in PERMANENT_CODES else SendError)(str(exc)) from None
