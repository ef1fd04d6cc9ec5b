"""The official account's custom menu (自定义菜单): 找代表, 提意见, 查进度, 接待日, each opening a phone page.

Set with `manage.py wechat_menu` (docs/api/wechat.md); the links are absolute, from PUBLIC_BASE_URL. WeChat allows
at most three top-level buttons (16 bytes of name each, about five Chinese characters) with up to five sub-buttons
each, so 接待日 sits under 找代表 beside the station directory: a reception day is where a constituent meets a deputy.
The labels are in Chinese whatever the server's language.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# (label, URL name) for a link; (label, [links]) for a top-level button with sub-buttons.
MENU = [
    (
        _("Find a deputy"),
        [
            (_("Station directory"), "public:home"),  # region → station → its deputies
            (pgettext_lazy("wechat menu", "Reception days"), "receptions_public:schedule"),  # the public schedule
        ],
    ),
    (_("Give an opinion"), "public:nearest"),  # the nearest stations; each page has the opinion form
    (_("Track progress"), "opinions_public:track"),  # tracking code → the opinion's timeline
]
TOP_NAME_MAX_BYTES, SUB_NAME_MAX_BYTES = 16, 60  # WeChat's limits (UTF-8 bytes)


def _link(label, url_name) -> dict:
    name = str(label)
    if len(name.encode()) > SUB_NAME_MAX_BYTES:
        raise ValueError(f"menu button name too long for WeChat: {name!r}")
    return {"type": "view", "name": name, "url": settings.PUBLIC_BASE_URL + reverse(url_name)}


def build_menu() -> dict:
    buttons = []
    with translation.override("zh-hans"):
        for label, target in MENU:
            if len(str(label).encode()) > TOP_NAME_MAX_BYTES:
                raise ValueError(f"menu button name too long for WeChat: {label!s}")
            if isinstance(target, list):
                buttons.append({"name": str(label), "sub_button": [_link(*link) for link in target]})
            else:
                buttons.append(_link(label, target))
    return {"button": buttons}


def links(menu: dict) -> list[dict]:
    """Every link of the menu, sub-buttons included, in menu order."""
    return [link for button in menu["button"] for link in button.get("sub_button", [button])]
