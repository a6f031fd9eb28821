"""Short guidance texts that facilitators edit as data (PRODUCT.md, issue 20).

The app knows no domain: a page asks for a text by its slug (`{% guidance_link "slug" %}`), and
the texts are seeded by guidance/seed.py. Bodies are plain text, never HTML: guidance/text.py
escapes them and makes paragraphs and simple lists."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guidance.text import render_body


class GuidanceText(models.Model):
    class Topic(models.TextChoices):
        STAGES = "stages", _("The stage plan")
        METHODS = "methods", _("Ways of working")
        RULES = "rules", _("The procurement rules")

    slug = models.SlugField(_("key"), max_length=60, unique=True, help_text=_("Pages link to the text by this key."))
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.METHODS)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title_sv = models.CharField(_("title in Swedish"), max_length=120)
    title_en = models.CharField(_("title in English"), max_length=120, blank=True)
    body_sv = models.TextField(_("text in Swedish"), max_length=4000)
    body_en = models.TextField(_("text in English"), max_length=4000, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["topic", "position", "slug"]
        verbose_name = _("guidance text")
        verbose_name_plural = _("guidance texts")

    def __str__(self):
        return self.title_sv

    def get_absolute_url(self):
        return reverse("guidance:detail", args=[self.slug])

    def shown_language(self) -> str:
        """The language the reader gets: English for an English page when the English text is
        complete, Swedish otherwise (Swedish is the canonical wording)."""
        english = (get_language() or "sv").startswith("en")
        return "en" if english and self.title_en and self.body_en else "sv"

    @property
    def title(self) -> str:
        return self.title_en if self.shown_language() == "en" else self.title_sv

    @property
    def body(self) -> str:
        return self.body_en if self.shown_language() == "en" else self.body_sv

    def body_html(self):
        return render_body(self.body)
