"""The submitter's WeChat identity, as the silent OAuth (snsapi_base, renda/wechat/views.py) left it in the session.

The WeChat channel sits above opinions, so it writes this key and the opinion form reads it here; nothing in
opinions imports the channel.
"""

SESSION_OPENID = "wechat_openid"
OPENID_MAX_LENGTH = 64  # WeChat's openids are 28 characters; anything far longer is not one


def wechat_openid_from_session(request) -> str:
    """The openid of the person filling in the form inside WeChat, or "" (not in WeChat, or OAuth not done)."""
    value = request.session.get(SESSION_OPENID, "")
    return value if isinstance(value, str) and 0 < len(value) <= OPENID_MAX_LENGTH else ""
