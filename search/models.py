"""Search bookkeeping kept in the project database, whatever the engine.

`OutboxEntry` is the indexing queue: written in the same transaction as the change it
describes, drained by the indexer, kept (with the error) when the engine is down.
`LemmaForm` maps a word folded without diacritics to the lemma of the indexed word it
came from, so a query typed as `kosciola` meets `kościół` on every backend.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    class Action(models.TextChoices):
        INDEX = "index", _("index")
        DELETE = "delete", _("delete")

    # Not a foreign key: the entry must outlive a deleted item until the index forgets it.
    item_id = models.BigIntegerField(_("item id"), db_index=True)
    identifier = models.CharField(_("identifier"), max_length=64, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=Action, default=Action.INDEX)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")

    def __str__(self) -> str:
        return f"{self.action} {self.identifier or self.item_id}"


class LemmaForm(models.Model):
    form = models.CharField(_("folded form"), max_length=64)
    lemma = models.CharField(_("folded lemma"), max_length=64)
    word = models.CharField(_("word as written"), max_length=64)

    class Meta:
        verbose_name = _("lemma form")
        verbose_name_plural = _("lemma forms")
        constraints = [models.UniqueConstraint(fields=["form", "lemma"], name="unique_lemma_form")]
        # Highlighting looks forms up by lemma (every form of the query's lemmas).
        indexes = [models.Index(fields=["lemma"], name="search_lemmaform_lemma")]

    def __str__(self) -> str:
        return f"{self.form} → {self.lemma}"
