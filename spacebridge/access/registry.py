"""Which models carry release policies, and the level an object has before anyone decides otherwise."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from spacebridge.access.models import Level


@dataclass(frozen=True)
class Released:
    model: type[models.Model]
    default_level: str
    # The party that owns an object without a policy row (None: no owner party).
    default_owner: Callable[[models.Model], object] | None = None
    # The page where an object with its own release page (a record, which logs its release decisions) is released;
    # the generic release form sends such objects there and never writes their release itself.
    release_url: Callable[[models.Model], str] | None = None


_REGISTRY: dict[type[models.Model], Released] = {}


def register(model: type[models.Model], *, default_level: str, default_owner=None, release_url=None) -> None:  # type: ignore[no-untyped-def]
    _REGISTRY[model] = Released(model, default_level, default_owner, release_url)


def released(model: type[models.Model]) -> Released:
    try:
        return _REGISTRY[model]
    except KeyError:  # a model nobody registered is visible to nobody: fail closed
        return Released(model, Level.OWNER)


def released_model(label: str) -> type[models.Model] | None:
    """The registered model named ``app_label.model``, or None: only registered models carry release policies."""
    for model in _REGISTRY:
        if model._meta.label_lower == label.lower():
            return model
    return None


def register_principals() -> None:
    """The principals themselves: parties are listed publicly, people and groups to signed-in members."""
    from spacebridge.groups.models import WorkingGroup
    from spacebridge.parties.models import Party, Person

    register(Party, default_level=Level.PUBLIC, default_owner=lambda party: party)
    register(Person, default_level=Level.PLATFORM, default_owner=_person_owner)
    register(WorkingGroup, default_level=Level.PLATFORM)


def _person_owner(person):  # type: ignore[no-untyped-def]
    """A person's profile belongs to the party of their current (or else latest) affiliation."""
    affiliations = person.current_affiliations() or list(person.affiliations.all())
    return affiliations[0].party if affiliations else None
