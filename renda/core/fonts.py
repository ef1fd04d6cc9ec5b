"""The CJK font the generated documents use (station posters, report PDFs): domain-free, so every layer may read it."""

from django.core.exceptions import ImproperlyConfigured


def font_path() -> str:
    """The CJK font shipped by a pip package in requirements.txt; a clear error if the install step was skipped."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError as error:
        raise ImproperlyConfigured(
            "Posters need the Noto Sans SC font: pip install -r requirements.txt (package pylopdf-fonts-zh-cn)"
        ) from error
    return str(pylopdf_fonts_zh_cn.sans_path())
