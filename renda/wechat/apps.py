from django.apps import AppConfig


class WechatConfig(AppConfig):
    name = "renda.wechat"
    label = "wechat"
