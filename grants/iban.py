"""Checking an IBAN, with a message that says what is wrong in the reader's language.

schwifty validates, but its exception texts are English ("Invalid checksum digits") and
sometimes misleading for a person typing a number ("NL91" is reported as "Invalid characters"
because it is too short). Every place that accepts an IBAN (the bank-details form, the action
behind it, the model field's validator) goes through `parse_iban`, so none shows library text.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import IBAN, exceptions, registry

WHITESPACE = re.compile(r"\s+")
ALPHANUMERIC = re.compile(r"[A-Z0-9]*")
START = re.compile(r"[A-Z]{2}[0-9]{2}")


def parse_iban(value: str) -> IBAN:
    """The IBAN (compact, upper case); ValidationError (code ``invalid_iban``) when it is not valid."""
    try:
        return IBAN(value)
    except exceptions.SchwiftyException as error:
        raise ValidationError(iban_error_message(value, error), code="invalid_iban") from error


def iban_error_message(value: str, error: exceptions.SchwiftyException) -> str:
    """One translated sentence for what schwifty refused, never schwifty's own text."""
    typed = WHITESPACE.sub("", value).upper()  # what schwifty checked (its own clean-up)
    if not typed:
        return _("Enter an IBAN.")
    return _("This is not a valid IBAN: %(error)s") % {"error": _reason(typed, error)}


def _spec(country: str):
    try:
        return registry.get_iban_spec(country)
    except exceptions.InvalidCountryCode:
        return None


def _length_reason(country: str, expected: int, length: int) -> str:
    if country == "NL":
        return _("a Dutch IBAN has %(expected)s characters (without spaces); this one has %(length)s.") % {
            "expected": expected,
            "length": length,
        }
    return _(
        "an IBAN with country code %(country)s has %(expected)s characters (without spaces); this one has %(length)s."
    ) % {"country": country, "expected": expected, "length": length}


def _structure_reason(typed: str) -> str:
    """schwifty's InvalidStructure covers three mistakes; say which one it is."""
    if not ALPHANUMERIC.fullmatch(typed):
        return _("an IBAN has only letters and digits (spaces may be left in).")
    if not START.match(typed):
        return _("an IBAN starts with two letters for the country and two check digits, such as NL91.")
    country = typed[:2]
    spec = _spec(country)
    if spec is None:
        return _country_reason(country)
    if len(typed) != spec.iban_length:  # "NL91": too short for schwifty's character check
        return _length_reason(country, spec.iban_length, len(typed))
    if country == "NL":
        return _(
            "after NL and the two check digits, a Dutch IBAN has four letters for the bank and ten digits "
            "for the account."
        )
    return _(
        "the account part does not have the form used with country code %(country)s: check for a letter "
        "where a digit belongs, or the other way round."
    ) % {"country": country}


def _country_reason(country: str) -> str:
    return _("%(country)s is not the country code of a country that uses IBANs.") % {"country": country}


def _reason(typed: str, error: exceptions.SchwiftyException) -> str:
    country = typed[:2]
    if isinstance(error, exceptions.InvalidChecksumDigits):
        return _("the check digits do not match; check the number for a typo.")
    if isinstance(error, exceptions.InvalidBBANChecksum):
        return _("the account number's own check digit does not match; check the number for a typo.")
    if isinstance(error, exceptions.InvalidCountryCode):
        return _country_reason(country)
    if isinstance(error, exceptions.InvalidLength):
        spec = _spec(country)
        if spec is not None:
            return _length_reason(country, spec.iban_length, len(typed))
    if isinstance(error, exceptions.InvalidStructure):
        return _structure_reason(typed)
    if isinstance(error, exceptions.InvalidBankCode):
        return _("the bank code does not have the right form.")
    if isinstance(error, exceptions.InvalidBranchCode):
        return _("the branch code does not have the right form.")
    if isinstance(error, exceptions.InvalidAccountCode):
        return _("the account number does not have the right form.")
    return _("check the number for a typo.")


# SEPA countries outside the EEA (the EPC's list of SEPA scheme countries, EPC409-09): a SEPA credit
# transfer to an account there must name the payee's bank by its BIC (SCT rulebook, attribute AT-C002),
# and the bank rejects one without. Jersey, Guernsey and the Isle of Man mostly use GB IBANs, and
# Saint-Pierre-et-Miquelon uses FR ones, which cannot be told from France's. Albania, Moldova, Montenegro
# and North Macedonia joined the scheme lately; schwifty may still call them outside SEPA (refused then).
BIC_REQUIRED_COUNTRIES = frozenset({"AD", "AL", "CH", "GB", "GG", "GI", "IM", "JE", "MC", "MD", "ME", "MK", "SM", "VA"})


def needs_bic(iban: str) -> bool:
    """Whether a SEPA credit transfer to this (compact) IBAN must carry the bank's BIC."""
    return (iban or "")[:2].upper() in BIC_REQUIRED_COUNTRIES
