"""Who may do what: one access policy per route, and which submissions a user sees.

Every route declares its policy (`openapi_extra={"x-access": …}`); the authorisation matrix test
reads the route table, so a new route without a policy fails the suite.
"""
from __future__ import annotations

from sqlalchemy import Select, select

from dudao.web import regions
from dudao.web.models import Submission, User

PUBLIC = "public"        # anyone, signed in or not
USER = "user"            # any signed-in user
SUBMITTER = "submitter"  # a county's (or city's) reporting unit
REVIEWER = "reviewer"    # an office's reviewer
ADMIN = "admin"          # the installation's administrator
OFFICE = "office"        # reviewers and administrators (round-wide views)
POLICIES = (PUBLIC, USER, SUBMITTER, REVIEWER, ADMIN, OFFICE)


def role_allowed(user: User | None, name: str) -> bool:
    if name == PUBLIC:
        return True
    if user is None:
        return False
    if name == OFFICE:
        return user.role in (REVIEWER, ADMIN)
    return name == USER or user.role == name


def can_see_region(user: User, adcode: str) -> bool:
    if user.role == "admin":
        return True
    if user.role == "reviewer":
        return regions.at_or_under(adcode, user.region_adcode)
    return adcode == user.region_adcode


def visible_submissions(user: User) -> Select:
    """A query of the submissions `user` may see (filtered in SQL where the tree allows)."""
    q = select(Submission).order_by(Submission.id.desc())
    if user.role == "admin":
        return q
    if user.role == "submitter":
        return q.where(Submission.region_adcode == user.region_adcode)
    office = regions.get(user.region_adcode)
    if office is None:
        return q.where(False)
    if office.level == "province":
        return q.where(Submission.region_adcode.like(office.adcode[:2] + "%"))
    if office.level == "city":
        return q.where(Submission.region_adcode.like(office.adcode[:4] + "%"))
    return q.where(Submission.region_adcode == office.adcode)
