"""Form fields shared by the portal, the workbench and the finance pages."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .money import euro_input, format_euro, parse_euro, to_money

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999.99")  # what a MoneyField (14 digits, 2 places) holds, with room to spare
EXAMPLE_AMOUNT = Decimal("1250")
MAX_INPUT_LENGTH = 30


class EuroField(forms.Field):
    """An amount in euros, typed as the reader writes it (`grants.money.parse_euro`).

    Not Django's DecimalField: that one reads only "4750.50", so a Dutch "14.400" was refused as
    "too many decimals" and "4.750,50" became 4.75050, and its limits were shown as "0.00".
    This field reads "14.400", "4.750,50" and "€ 4.750,50" in Dutch ("4,750.50" in English), shows
    its value the reader's way and states limits as euro amounts ("€ 0,00").
    """

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in euros, for example %(example)s."),
        "decimals": _("An amount has at most two decimals (whole cents)."),
        "negative": _("The amount cannot be negative."),
        "positive": _("Enter an amount of more than € 0."),
        "max_value": _("Enter an amount of at most %(limit)s."),
        "too_large": _("This amount is too large."),
    }

    def __init__(self, *, positive=False, max_value=None, **kwargs):
        self.positive, self.max_value = positive, max_value
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = {"inputmode": "decimal", "autocomplete": "off", "maxlength": str(MAX_INPUT_LENGTH)}
        return {**super().widget_attrs(widget), **attrs}

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return euro_input(value)
        return value

    def to_python(self, value) -> Decimal | None:
        text = str(value).strip() if value is not None else ""
        if text in self.empty_values:
            return None
        try:
            if len(text) > MAX_INPUT_LENGTH:
                raise ValueError(text)
            amount = parse_euro(text)
        except ValueError:
            example = euro_input(EXAMPLE_AMOUNT)
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"example": example}
            ) from None
        if amount.as_tuple().exponent < -2:  # "4,755": a third decimal is a typo, not something to round
            raise forms.ValidationError(self.error_messages["decimals"], code="decimals")
        return to_money(amount)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.positive and value <= ZERO:
            raise forms.ValidationError(self.error_messages["positive"], code="min_value")
        if value < ZERO:
            raise forms.ValidationError(self.error_messages["negative"], code="min_value")
        if self.max_value is not None and value > self.max_value:
            limit = format_euro(self.max_value)
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value", params={"limit": limit})
        if value > MAX_AMOUNT:
            raise forms.ValidationError(self.error_messages["too_large"], code="max_value")
