"""Uploaded images: type sniffed from the bytes, size-limited, re-encoded, metadata (EXIF, GPS) dropped.

Re-encoding means what is stored is an image Pillow wrote, never the bytes a client sent.
"""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000


def reencode_image(upload, *, max_side: int = 1600, max_bytes: int = MAX_UPLOAD_BYTES) -> ContentFile:
    """Return a clean JPEG of `upload` (a Django UploadedFile), or raise ValidationError in the user's language."""
    if upload.size > max_bytes:
        raise ValidationError(_("The image is larger than %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)})
    data = upload.read()
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The file is not an image.")) from None
    if kind not in ALLOWED_FORMATS:
        raise ValidationError(_("Only JPEG, PNG, WebP or GIF images are accepted."))
    try:
        with Image.open(BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The image has too many pixels."))
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side))
            out = BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("The image could not be read.")) from None
    # Nothing of the uploaded name is kept: the field's upload_to gives the stored file a random name.
    return ContentFile(out.getvalue(), name="image.jpg")
