from django.apps import AppConfig


class BackupConfig(AppConfig):
    """Backup and restore of the database and media in one verified archive (manage.py backup / restore)."""

    name = "renda.backup"
    label = "backup"
