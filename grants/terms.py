"""Statutory terms: the end of the objection period, extended under the Algemene termijnenwet.

A term set by law (such as the six weeks for an objection, Awb 6:7) that ends on a Saturday,
a Sunday or a generally recognised holiday runs on to the next day that is none of these
(Algemene termijnenwet, article 1). Its article 3 lists the holidays: New Year's Day, Easter
Monday, Ascension Day, Whit Monday, Christmas Day and Boxing Day, the day the King's birthday
is celebrated (27 April, or 26 April when the 27th is a Sunday) and 5 May. Easter Sunday and
Whit Sunday are Sundays anyway. Good Friday is not on the list.

Banks keep another calendar: a SEPA credit transfer is executed on a TARGET2 business day,
which excludes weekends and New Year's Day, Good Friday, Easter Monday, 1 May, Christmas Day
and Boxing Day (the ECB's TARGET2 closing days), but not the Dutch holidays above.
"""

import datetime

from dateutil.easter import easter

OBJECTION_PERIOD = datetime.timedelta(weeks=6)  # Awb 6:7, counted from the day after the letter (6:8)


def recognised_holidays(year: int) -> frozenset[datetime.date]:
    easter_sunday = easter(year)  # dateutil's Western (Gregorian) Easter
    kings_day = datetime.date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = datetime.date(year, 4, 26)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            easter_sunday + datetime.timedelta(days=1),
            easter_sunday + datetime.timedelta(days=39),  # Ascension Day
            easter_sunday + datetime.timedelta(days=50),  # Whit Monday
            kings_day,
            datetime.date(year, 5, 5),
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),
        }
    )


def extended_to_working_day(day: datetime.date) -> datetime.date:
    """Algemene termijnenwet article 1: past weekends and recognised holidays."""
    while day.weekday() >= 5 or day in recognised_holidays(day.year):
        day += datetime.timedelta(days=1)
    return day


def objection_period_end(letter_date: datetime.date) -> datetime.date:
    """The last day an objection to a letter of `letter_date` is in time."""
    return extended_to_working_day(letter_date + OBJECTION_PERIOD)


# Awb 7:10 lid 1: six weeks, twelve where an advisory committee hears the objection (7:13), counted
# from the day after the objection period ended, not from the day the objection came in.
OBJECTION_DECISION_TERM = datetime.timedelta(weeks=6)
OBJECTION_DECISION_TERM_WITH_COMMITTEE = datetime.timedelta(weeks=12)


def objection_decision_due(letter_date: datetime.date, *, committee: bool = False) -> datetime.date:
    """The last day to decide on an objection against a letter of `letter_date`; `committee`: the funder
    has objections advised by a committee (`Funder.objection_committee`)."""
    term = OBJECTION_DECISION_TERM_WITH_COMMITTEE if committee else OBJECTION_DECISION_TERM
    return extended_to_working_day(objection_period_end(letter_date) + term)


# --- Banking days (TARGET2) --------------------------------------------------------------------
def target2_closing_days(year: int) -> frozenset[datetime.date]:
    """The weekdays TARGET2 is closed in `year`; weekends it is always closed."""
    easter_sunday = easter(year)
    return frozenset(
        {
            datetime.date(year, 1, 1),
            easter_sunday - datetime.timedelta(days=2),  # Good Friday
            easter_sunday + datetime.timedelta(days=1),  # Easter Monday
            datetime.date(year, 5, 1),
            datetime.date(year, 12, 25),
            datetime.date(year, 12, 26),
        }
    )


def is_banking_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in target2_closing_days(day.year)


def banking_day_on_or_after(day: datetime.date) -> datetime.date:
    """The first day from `day` on that the banks execute SEPA credit transfers."""
    while not is_banking_day(day):
        day += datetime.timedelta(days=1)
    return day
