"""Small builders for the receptions tests: a reception day, a reception at a station, deputies on duty, deputies
in bulk. Each writes exactly the row its arguments name, with the model's defaults for everything else, so a test's
hand count reads the same with or without them."""

import datetime

from renda.people.models import Deputy, DeputyLevel
from renda.receptions.models import Campaign, Duty, Reception


def reception_day(
    region,
    *,
    title,
    date,
    starts=datetime.time(9),
    ends=datetime.time(11),
    status="draft",
    **extra,
) -> Campaign:
    """A reception day (Campaign) of `region` on `date`, 09:00–11:00 and a draft unless told otherwise.

    `extra` goes to the model as it is: theme, published_at, finished_at, …
    """
    return Campaign.objects.create(
        region=region, title=title, date=date, starts=starts, ends=ends, status=status, **extra
    )


def sitting(
    campaign, station, *, date=None, starts=None, ends=None, kind=None, published_at=None, **extra
) -> Reception:
    """A reception at `station`, scheduled unless `extra` says otherwise (status=…, cancel_reason=…, slot=…).

    With a campaign it is that day's reception: the campaign's date and times unless given, kind "campaign".
    Without one (None) `date`, `starts` and `ends` must be given, and the kind is "roster" unless told.
    """
    if campaign is not None:
        date = campaign.date if date is None else date
        starts = campaign.starts if starts is None else starts
        ends = campaign.ends if ends is None else ends
        kind = kind or "campaign"
    return Reception.objects.create(
        station=station,
        date=date,
        starts=starts,
        ends=ends,
        kind=kind or "roster",
        campaign=campaign,
        published_at=published_at,
        **extra,
    )


def on_duty(reception, *deputies, **extra) -> list[Duty]:
    """One Duty per deputy at `reception`, in the order given, under the reception's campaign (if any).

    `extra` goes to every row: attendance, absence_reason, checked_in_at, …
    """
    return [
        Duty.objects.create(reception=reception, deputy=deputy, campaign_id=reception.campaign_id, **extra)
        for deputy in deputies
    ]


def deputies(region, prefix, n, *, level=DeputyLevel.COUNTY, code=None) -> list[Deputy]:
    """`n` active 17th-term deputies elected in `region`, named prefix0, prefix1, ….

    Their public codes are `code` and a three-digit number (code="DWX": DWX000, DWX001, …); without a code, the first
    four hex digits of the prefix's UTF-8 and a two-digit number, so that each prefix gets its own codes.
    """
    head = code if code is not None else prefix.encode().hex()[:4].upper()
    width = 3 if code is not None else 2
    return [
        Deputy.objects.create(
            name=f"{prefix}{i}",
            term=17,
            level=level,
            electoral_region=region,
            public_code=f"{head}{i:0{width}d}",
        )
        for i in range(n)
    ]
