"""Write a synthetic directory of N services for benchmarks and scale tests, never into directory/.

Usage: python scripts/gen_directory.py N [--out DIR] [--seed S]

Organisations of 5-15 services each, every text in Estonian, Russian and English, with the mix of
channels, opening hours, counties and (confidential) locations the real directory has. The taxonomies are
copied from the repository's directory/taxonomies. Phone numbers are drawn at random and kept only if
phonenumbers calls them valid, so no real-looking number is written in the repository. The output
validates with no errors; it prints the folder it wrote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

REPO = Path(__file__).resolve().parent.parent
TAXONOMIES = REPO / "directory" / "taxonomies"
FORBIDDEN = REPO / "directory"

# Load inputs.

TOWNS = [
    ("Tallinn", "Таллинн", "harju", 59.437, 24.753), ("Tartu", "Тарту", "tartu", 58.378, 26.729),
    ("Narva", "Нарва", "ida-viru", 59.377, 28.190), ("Pärnu", "Пярну", "parnu", 58.385, 24.497),
    ("Kohtla-Järve", "Кохтла-Ярве", "ida-viru", 59.398, 27.273), ("Viljandi", "Вильянди", "viljandi", 58.364, 25.590),
    ("Rakvere", "Раквере", "laane-viru", 59.346, 26.355), ("Maardu", "Маарду", "harju", 59.476, 25.025),
    ("Kuressaare", "Курессааре", "saare", 58.252, 22.485), ("Võru", "Выру", "voru", 57.834, 27.019),
    ("Valga", "Валга", "valga", 57.777, 26.047), ("Haapsalu", "Хаапсалу", "laane", 58.943, 23.541),
    ("Jõhvi", "Йыхви", "ida-viru", 59.359, 27.421), ("Paide", "Пайде", "jarva", 58.885, 25.557),
    ("Põlva", "Пылва", "polva", 58.060, 27.069), ("Rapla", "Рапла", "rapla", 59.007, 24.793),
    ("Jõgeva", "Йыгева", "jogeva", 58.746, 26.394), ("Kärdla", "Кярдла", "hiiu", 58.998, 22.749),
]
ORG_KINDS = [
    ("naiste tugikeskus", "центр поддержки женщин", "women's support centre", "naiste-tugikeskus"),
    ("ohvriabi keskus", "центр помощи жертвам", "victim support centre", "ohvriabi"),
    ("perekeskus", "семейный центр", "family centre", "perekeskus"),
    ("kriisinõustamise ühing", "общество кризисного консультирования", "crisis counselling society",
     "kriisinoustamine"),
    ("noorte nõustamiskeskus", "молодёжный консультационный центр", "youth counselling centre", "noorte-keskus"),
    ("vaimse tervise keskus", "центр психического здоровья", "mental health centre", "vaimne-tervis"),
]
SERVICE_KINDS = [
    (("Nõustamine telefonil", "Консультация по телефону", "Counselling by phone"),
     ["emotional-crisis", "mental-health"], ["everyone"]),
    (("Lähisuhtevägivalla ohvrite tugi", "Поддержка жертв насилия в близких отношениях",
      "Support for victims of domestic violence"), ["domestic-violence", "violence-against-women"],
     ["victims", "women"]),
    (("Turvakodu", "Приют", "Safe house"), ["safe-accommodation", "domestic-violence"], ["women", "victims"]),
    (("Laste ja noorte nõustamine", "Консультирование детей и молодёжи", "Counselling for children and young people"),
     ["child-worry", "emotional-crisis"], ["children-and-young-people", "parents"]),
    (("Leinanõustamine", "Консультирование в горе", "Bereavement counselling"), ["bereavement"],
     ["relatives", "everyone"]),
    (("Õigusnõustamine", "Юридическая консультация", "Legal advice"), ["compensation-and-legal", "crime"],
     ["victims", "officials-and-partners"]),
    (("Vägivallast loobumise programm", "Программа отказа от насилия", "Programme for people who use violence"),
     ["using-violence"], ["people-using-violence"]),
    (("Eakate tugi", "Поддержка пожилых", "Support for older people"), ["elder-abuse"], ["older-people"]),
    (("Internetiohutuse nõu", "Советы по безопасности в интернете", "Online safety advice"), ["online-abuse"],
     ["children-and-young-people", "parents"]),
    (("Psühholoogiline kriisiabi", "Психологическая кризисная помощь", "Psychological crisis support"),
     ["traumatic-event", "suicidal-thoughts"], ["everyone", "relatives"]),
]
OFFICE_HOURS = ["Mo-Fr 09:00-17:00; PH off", "Mo-Fr 08:00-16:00; PH off", "Mo-Th 10:00-18:00; Fr 10:00-15:00",
                "Mo-Fr 09:00-17:00; Sa 10:00-14:00; PH off", "Tu,Th 12:00-19:00"]
LONG_HOURS = ["24/7", "Mo-Su 10:00-22:00", "Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00"]
STREETS = ["Pikk", "Lai", "Rüütli", "Kooli", "Jaama", "Tallinna mnt", "Riia", "Aia", "Vabaduse pst", "Turu"]
COUNTIES = sorted({town[2] for town in TOWNS})


def _phone(rng: random.Random) -> str:
    """A random number phonenumbers accepts as a valid Estonian mobile or landline, written as people do."""
    while True:
        first = rng.choice(["5", "5", "6", "7", "4"])
        length = 8 if first == "5" else 7
        national = first + "".join(rng.choice("0123456789") for _ in range(length - 1))
        number = phonenumbers.parse("+372" + national)
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _text(et: str, ru: str, en: str) -> dict[str, str]:
    return {"et": et, "ru": ru, "en": en}


# Process data.


def _location(rng: random.Random, org_id: str, index: int, town: tuple[str, str, str, float, float],
              phone: str) -> dict[str, Any]:
    name_et, name_ru, county, lat, lon = town
    location: dict[str, Any] = {"id": f"{org_id}-koht-{index}",
                                "name": _text(f"{name_et} kontor {index}", f"Офис {name_ru} {index}",
                                              f"{name_et} office {index}")}
    if rng.random() < 0.25:
        location["confidential"] = True
        # "Офис Пярну 3" reads as a street and number, which a confidential place must not have in any text
        location["name"] = _text(f"{name_et} varjupaik {index}", f"Убежище № {index}, {name_ru}",
                                 f"{name_et} shelter {index}")
        location["front_door"] = _text(f"Helista {phone}, kohtume linna keskväljakul.",
                                       f"Позвоните {phone}, встретимся на центральной площади.",
                                       f"Call {phone}; we meet you on the central square.")
        return location
    location["address"] = {"address_1": f"{rng.choice(STREETS)} {rng.randint(1, 80)}", "city": name_et,
                           "postal_code": f"{rng.randint(10000, 99999)}", "county": county}
    location["latitude"] = round(lat + rng.uniform(-0.02, 0.02), 5)
    location["longitude"] = round(lon + rng.uniform(-0.02, 0.02), 5)
    if rng.random() < 0.5:
        location["accessibility"] = _text("Ratastooliga ligipääsetav.", "Доступно для инвалидных колясок.",
                                          "Wheelchair accessible.")
    return location


def _channels(rng: random.Random, domain: str, locations: list[dict[str, Any]],
              urgent: bool) -> list[dict[str, Any]]:
    hours = rng.choice(LONG_HOURS) if urgent and rng.random() < 0.6 else rng.choice(OFFICE_HOURS)
    channels: list[dict[str, Any]] = [{"type": "phone", "number": _phone(rng), "hours": hours}]
    extra = rng.sample(["chat", "email", "in-person", "video", "sms", "web-form", "app"], k=rng.randint(1, 3))
    for kind in extra:
        channel: dict[str, Any] = {"type": kind}
        if kind == "sms":
            channel["number"] = _phone(rng)
        elif kind == "email":
            channel["email"] = f"info@{domain}"
        elif kind == "in-person":
            channel["location"] = rng.choice(locations)["id"]
            channel["hours"] = rng.choice(OFFICE_HOURS)
        else:
            channel["url"] = f"https://{domain}/{kind}"
        if kind in ("chat", "video"):
            channel["hours"] = rng.choice(OFFICE_HOURS + LONG_HOURS)
            channel["languages"] = rng.sample(["et", "ru", "en"], k=rng.randint(1, 3))
        if rng.random() < 0.05:
            channel["to_verify"] = "number from a leaflet, not yet confirmed by phone"
        channels.append(channel)
    return channels


def _service(rng: random.Random, org_id: str, index: int, domain: str, town_et: str, county: str,
             locations: list[dict[str, Any]], today: dt.date, helpline: str, urgent_needs: set[str]
             ) -> dict[str, Any]:
    (et, ru, en), needs, audiences = rng.choice(SERVICE_KINDS)
    urgent = bool(urgent_needs.intersection(needs))
    service: dict[str, Any] = {
        "id": f"{org_id}-teenus-{index}",
        "name": _text(f"{et} ({town_et})", f"{ru} ({town_et})", f"{en} ({town_et})"),
        "description": _text(f"{et}: tasuta ja konfidentsiaalne abi igaühele, kes seda vajab.",
                             f"{ru}: бесплатная и конфиденциальная помощь каждому, кто в ней нуждается.",
                             f"{en}: free and confidential help for anyone who needs it."),
        "needs": needs,
        "audiences": audiences,
        "counties": ["nationwide"] if rng.random() < 0.15 else sorted({county, rng.choice(COUNTIES)}),
        "languages": rng.sample(["et", "ru", "en", "uk"], k=rng.randint(1, 3)),
        "channels": _channels(rng, domain, locations, urgent),
        "cost": rng.choice(["free", "free", "free", "partly", "paid"]),
        "confidential": True,
        "anonymous": rng.random() < 0.5,
        "referral_required": rng.random() < 0.2,
        "source": f"https://{domain}/teenused/{index}",
        "verified": (today - dt.timedelta(days=rng.randint(0, 150))).isoformat(),
        "verified_by": rng.choice(["abikaart maintainers", "SKA ohvriabi", "Kadri Tamm"]),
        "review_every": rng.choice(["6 months", "180 days", "1 year"]),
    }
    if urgent:
        service["see_also"] = [helpline]
    if rng.random() < 0.2:
        service["eligibility"] = _text("Täisealised.", "Совершеннолетние.", "Adults.")
    if rng.random() < 0.1:
        service["notice"] = _text("Jõulude ajal suletud.", "Закрыто на Рождество.", "Closed over Christmas.")
        service["notice_until"] = (today + dt.timedelta(days=30)).isoformat()
    if rng.random() < 0.1:
        service["internal_note"] = "Ask for the duty social worker."
    return service


def _organisation(rng: random.Random, index: int, services: int, today: dt.date, helpline: str,
                  urgent: set[str]) -> dict[str, Any]:
    town = TOWNS[index % len(TOWNS)]
    kind_et, kind_ru, kind_en, slug = ORG_KINDS[index % len(ORG_KINDS)]
    org_id = f"{slug}-{index}"
    domain = f"{org_id}.example.ee"
    phone = _phone(rng)
    locations = [_location(rng, org_id, n, town, phone) for n in range(rng.randint(1, 3))]
    return {
        "id": org_id,
        "name": _text(f"{town[0]} {kind_et} {index}", f"{kind_ru} {town[1]} {index}",
                      f"{town[0]} {kind_en} {index}"),
        "description": _text(f"MTÜ, mis pakub abi {town[0]} ja ümbruse inimestele.",
                             f"НКО, помогающая жителям {town[1]} и окрестностей.",
                             f"A non-profit helping people in and around {town[0]}."),
        "website": f"https://{domain}",
        "email": f"info@{domain}",
        "phones": [{"number": phone}],
        "locations": locations,
        "services": [_service(rng, org_id, n, domain, town[0], town[2], locations, today, helpline, urgent)
                     for n in range(services)],
        "source": f"https://{domain}/meist",
        "verified": (today - dt.timedelta(days=rng.randint(0, 300))).isoformat(),
        "verified_by": "abikaart maintainers",
        "review_every": "1 year",
    }


def _helpline(today: dt.date, rng: random.Random) -> dict[str, Any]:
    """A national 24/7 line that urgent services refer to in `see_also`, as real ones refer to 116 006."""
    return {
        "id": "riiklik-kriisiabi",
        "name": _text("Riiklik kriisiabi", "Государственная кризисная помощь", "National crisis support"),
        "description": _text("Riigiasutus.", "Государственное учреждение.", "A state agency."),
        "source": "https://kriisiabi.example.ee",
        "verified": today.isoformat(),
        "verified_by": "abikaart maintainers",
        "services": [{
            "id": "riiklik-kriisitelefon",
            "name": _text("Kriisitelefon", "Кризисный телефон", "Crisis line"),
            "description": _text("Ööpäevaringne tugi.", "Круглосуточная поддержка.", "Round-the-clock support."),
            "needs": ["emotional-crisis", "crime", "domestic-violence"],
            "first_contact_for": ["crime", "domestic-violence"],
            "audiences": ["everyone"],
            "counties": ["nationwide"],
            "languages": ["et", "ru", "en"],
            "channels": [{"type": "phone", "number": _phone(rng), "hours": "24/7"},
                         {"type": "chat", "url": "https://kriisiabi.example.ee/chat", "hours": "24/7"}],
            "source": "https://kriisiabi.example.ee/telefon",
            "verified": today.isoformat(),
            "verified_by": "abikaart maintainers",
        }],
    }


def _urgent_needs() -> set[str]:
    data = yaml.safe_load((TAXONOMIES / "needs.yaml").read_text(encoding="utf-8"))
    return {term["id"] for term in data["terms"] if term.get("urgent")}


# Save outputs.


class _Dumper(yaml.SafeDumper):
    """Writes short lists of terms inline (`needs: [crime, bereavement]`), as maintainers do by hand."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # shared lists are written out each time: the loader refuses aliases


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = all(isinstance(item, str) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


_Dumper.add_representer(list, _represent_list)


def _dump(path: Path, record: dict[str, Any]) -> None:
    text = yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, indent=2)
    path.write_text(text, encoding="utf-8")


def generate(services: int, out: Path, seed: int = 1) -> Path:
    """Write `services` services (in organisations of 5-15, plus one national line) under `out`."""
    out = out.resolve()
    if out.is_relative_to(FORBIDDEN.resolve()):
        raise ValueError(f"refusing to write inside {FORBIDDEN}: generated data never goes into the directory")
    if out.exists() and any(out.iterdir()):
        raise ValueError(f"{out} is not empty: give a new folder, so nothing is overwritten or mixed in")
    rng = random.Random(seed)
    today = dt.date.today()
    urgent = _urgent_needs()
    shutil.copytree(TAXONOMIES, out / "taxonomies", dirs_exist_ok=True)
    organisations = out / "organisations"
    organisations.mkdir(parents=True, exist_ok=True)
    helpline = _helpline(today, rng)
    _dump(organisations / f"{helpline['id']}.yaml", helpline)
    left, index = services - 1, 0
    while left > 0:
        size = min(left, rng.randint(5, 15))
        record = _organisation(rng, index, size, today, "riiklik-kriisitelefon", urgent)
        _dump(organisations / f"{record['id']}.yaml", record)
        left -= size
        index += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("services", type=int, help="how many services to write (at least 1)")
    parser.add_argument("--out", type=Path, default=None, help="folder to write (default: a new temp folder)")
    parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable output")
    args = parser.parse_args(argv)
    if args.services < 1:
        parser.error("N must be at least 1")
    out = args.out or Path(tempfile.mkdtemp(prefix="abikaart-directory-"))
    try:
        generate(args.services, out, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
