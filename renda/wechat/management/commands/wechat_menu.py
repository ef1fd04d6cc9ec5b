"""Set the official account's menu (找代表, 提意见, 查进度, 接待日) through the WeChat API."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from renda.audit.actions import record
from renda.wechat import client as wechat_client
from renda.wechat.menu import build_menu, links


class Command(BaseCommand):
    help = "Replace the WeChat official account's custom menu with buttons that open the phone pages."

    def add_arguments(self, parser):
        parser.add_argument("--print", action="store_true", dest="print_only", help="print the menu; send nothing")

    def handle(self, *args, print_only=False, **options):
        menu = build_menu()
        if print_only:
            self.stdout.write(json.dumps(menu, ensure_ascii=False, indent=2))
            return
        if not (settings.WECHAT_APPID and settings.WECHAT_SECRET):
            raise CommandError("WECHAT_APPID and WECHAT_SECRET must be set to change the menu")
        if not settings.PUBLIC_BASE_URL.startswith("https://"):
            raise CommandError(f"PUBLIC_BASE_URL must be the public https address, not {settings.PUBLIC_BASE_URL}")
        try:
            wechat_client.get_client().create_menu(menu)
        except wechat_client.WeChatError as exc:
            raise CommandError(f"WeChat refused the menu: {exc}") from None
        record(None, "wechat.menu", changes={"links": {link["name"]: link["url"] for link in links(menu)}})
        self.stdout.write("menu set: " + ", ".join(f"{link['name']} {link['url']}" for link in links(menu)))
