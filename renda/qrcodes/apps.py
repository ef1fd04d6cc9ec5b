from django.apps import AppConfig


class QrcodesConfig(AppConfig):
    name = "renda.qrcodes"
    label = "qrcodes"
