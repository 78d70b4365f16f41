from django.contrib.staticfiles.finders import FileSystemFinder as BaseFileSystemFinder

# @utrecht/design-tokens' background-image-icon.css points at an icon (pijltje.svg) the package
# does not ship, which the manifest storage of collectstatic refuses. We do not use that file.
VENDOR_IGNORE = ["background-image-icon.css"]


class FileSystemFinder(BaseFileSystemFinder):
    """STATICFILES_DIRS as usual; collectstatic leaves out VENDOR_IGNORE."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *VENDOR_IGNORE])
