"""Field helpers shared by the domain models."""

from decimal import Decimal

from django.db import models

ZERO = Decimal("0.00")


def MoneyField(verbose_name=None, **kwargs):
    """Euros with two places; a check constraint next to each use keeps them >= 0."""
    kwargs.setdefault("max_digits", 14)
    kwargs.setdefault("decimal_places", 2)
    return models.DecimalField(verbose_name, **kwargs)


def non_negative(model_name: str, *fields: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=models.Q(**{f"{field}__gte": 0}) | models.Q(**{f"{field}__isnull": True}),
            name=f"{model_name}_{field}_non_negative",
        )
        for field in fields
    ]
