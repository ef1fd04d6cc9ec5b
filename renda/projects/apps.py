from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "renda.projects"
    label = "projects"
