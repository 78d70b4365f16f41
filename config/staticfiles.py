from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class StaticFilesConfig(BaseStaticFilesConfig):
    """collectstatic skips @utrecht/design-tokens' background-image-icon.css: it points at an
    icon (pijltje.svg) the package does not ship, which the manifest storage refuses. We do not use it."""

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "background-image-icon.css"]
