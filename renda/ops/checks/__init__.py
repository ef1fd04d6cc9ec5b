"""Whether a deployment is ready (`manage.py check_deployment`): each check returns findings, errors or warnings."""

from .deployment import ERROR, WARNING, Finding, deployment_findings

__all__ = ["ERROR", "WARNING", "Finding", "deployment_findings"]
