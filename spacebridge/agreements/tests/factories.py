"""Factories for agreements. ``drafted`` makes an agreement through the services (audited) among parties whose
officers are real users, for tests about who may do and see what."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacebridge.agreements import services
from spacebridge.agreements import signing as crypto
from spacebridge.agreements.models import Agreement
from spacebridge.core.multilingual import MultilingualText
from spacebridge.parties.models import Party
from spacebridge.parties.tests.factories import PartyFactory, member_of, secretariat_user

EN = """# Memorandum of Understanding

The Parties, recognising the value of space technology for human health, have agreed as follows:

## Article 1 Purpose

1. The Parties cooperate on the peaceful use of space technology for human health.
2. Cooperation follows the laws of each Party.

## Article 2 Working groups

The Parties establish a joint working group on space medicine within three months.

## Article 3 Entry into force

This Memorandum enters into force on the date of the last signature.
"""
ZH = """# 谅解备忘录

双方认识到空间技术对人类健康的价值，达成如下协议：

## 第一条 宗旨

1. 双方在空间技术和平利用于人类健康方面开展合作。
2. 合作遵守各方法律。

## 第二条 工作组

双方在三个月内成立空间医学联合工作组。

## 第三条 生效

本备忘录自最后一方签字之日起生效。
"""
RU = """# Меморандум о взаимопонимании

Стороны, признавая ценность космических технологий для здоровья человека, договорились о следующем:

## Статья 1 Цель

1. Стороны сотрудничают в мирном использовании космических технологий для здоровья человека.
2. Сотрудничество осуществляется в соответствии с законодательством каждой Стороны.

## Статья 2 Рабочие группы

Стороны создают совместную рабочую группу по космической медицине в течение трёх месяцев.

## Статья 3 Вступление в силу

Настоящий Меморандум вступает в силу с даты последней подписи.
"""
TEXTS = {"en": EN, "zh": ZH, "ru": RU}


@dataclass
class Cast:
    secretariat: Any
    parties: list[Party]
    officers: list[Any]
    members: list[Any]
    keys: dict[str, Any] = field(default_factory=dict)


def cast(n: int = 3) -> Cast:
    countries = ["CN", "RU", "US", "FR"]
    parties = [PartyFactory(code=f"agency-{i}", country=countries[i]) for i in range(n)]
    return Cast(
        secretariat=secretariat_user("agreements-secretariat"),
        parties=parties,
        officers=[member_of(p, role="liaison_officer", username=f"officer-{p.code}") for p in parties],
        members=[member_of(p, role="member", username=f"member-{p.code}") for p in parties],
    )


def drafted(world: Cast, *, texts: dict[str, str] | None = None, **terms: Any) -> Agreement:
    agreement = services.agreement_create(
        by=world.secretariat,
        type="mou",
        title=MultilingualText({"en": "Space medicine MoU", "zh": "空间医学谅解备忘录", "ru": "Меморандум"}, "en"),
        lead_party=world.parties[0],
        parties=world.parties,
        year=2018,
        **terms,
    )
    for language, body in (TEXTS if texts is None else texts).items():
        services.text_version_add(agreement=agreement, by=world.secretariat, language=language, body=body)
    return agreement


def key_pair() -> tuple[Any, str]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    return key, crypto.public_pem(crypto.public_raw(key))


def sign_all(world: Cast, agreement: Agreement) -> None:
    """Every party registers a key and signs the canonical hash digitally."""
    from spacebridge.agreements import selectors, signatures

    for officer, ap in zip(world.officers, agreement.parties.order_by("position"), strict=False):
        key, public = key_pair()
        world.keys[ap.party.code] = key
        signatures.party_key_register(party=ap.party, by=officer, public_key=public)
        digest = selectors.agreement_hash(agreement)
        signatures.signature_add_digital(agreement_party=ap, by=officer, signature=crypto.sign_digest(key, digest))
