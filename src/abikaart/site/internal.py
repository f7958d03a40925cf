"""The internal guidance site's generated pages: contacts to verify and referral paths per need.

Counsellors need what the public site must never show: unverified contacts (`to_verify`) and
`internal_note`s. The `abikaart/internal` MkDocs plugin loads the directory once per process, renders
those pages as Markdown in et/ru/en and writes them into a git-ignored folder inside `docs_dir` before
mkdocs-static-i18n collects the files, so each page gets its translations and language switcher.

A plugin rather than a `hooks:` file: MkDocs executes a hooks file as a fresh module on every config
load (a second copy of this module, and `mkdocs serve` reloads the config on each rebuild), so a
per-process cache would not survive; a plugin is imported once, like the directory and safety plugins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority

from abikaart import phones
from abikaart.directory import Directory, LoadResult, is_always_open, load_cached
from abikaart.letters import LetterError
from abikaart.models import LANGS, Channel, LocalizedText, Service, Status
from abikaart.problems import format_problems, has_errors
from abikaart.review import due_records, pending_contacts
from abikaart.site.escaping import markdown_link, markdown_text
from abikaart.site.internal_finder import finder_pages, write_finder_assets
from abikaart.site.languages import inside_language_build
from abikaart.site.letter_pages import render_letter_pages
from abikaart.site.render import yaml_string

NATIONWIDE = "nationwide"

# Interface strings -------------------------------------------------------------------------------------
# Every word the generated pages show, per language, in one place.

STRINGS: dict[str, dict[str, str]] = {
    "et": {
        "generated": "See leht on loodud kataloogist (`directory/`) automaatselt {date}. Ära muuda seda käsitsi: "
                     "paranda kataloogi faili ja ehita sait uuesti.",
        "verify_title": "Kontrollida",
        "verify_intro": "Siin on kontaktid, mida avalikul saidil ei näidata, sest neid pole kinnitatud, ja kirjed, "
                        "mille ülevaatus on hiljaks jäänud. Helista või kontrolli allikat, seejärel paranda faili "
                        "ja märgi `verified:` kuupäev.",
        "unverified_title": "Kinnitamata kontaktid",
        "unverified_none": "Kinnitamata kontakte ei ole.",
        "overdue_title": "Ülevaatus hilineb",
        "overdue_none": "Ühegi kirje ülevaatus ei hiline.",
        "col_service": "Teenus või asutus", "col_contact": "Kontakt", "col_reason": "Põhjus", "col_file": "Fail",
        "col_check": "Kontrolli", "website": "koduleht", "col_verified": "Viimati kontrollitud", "col_due": "Tähtaeg",
        "org_phone": "asutuse telefon",
        "referrals_title": "Suunamisnimekirjad vajaduse järgi",
        "referrals_intro": "Iga vajaduse juures on kataloogi teenused koos avalike ja siseste kontaktidega. "
                           "Kinnitamata kontaktid on märgitud **KONTROLLIDA**: enne edasi andmist helista ja "
                           "veendu, et number töötab.",
        "col_need": "Vajadus", "col_services": "Teenuseid", "col_always": "Ööpäevaringselt",
        "urgent": "kiire", "yes": "jah", "no": "ei",
        "need_title": "Suunamine: {need}",
        "urgent_note": "Kiireloomuline vajadus. Kui inimene on vahetus ohus, helista **112**.",
        "no_services": "Kataloogis pole selle vajaduse teenuseid.",
        "back": "Kõik vajadused",
        "contacts": "Kontaktid", "to_verify": "KONTROLLIDA", "reason": "põhjus",
        "county": "maakond (allikad vastuolus)",
        "not_public": "avalikul saidil ei näidata",
        "for_whom": "Kellele", "area": "Piirkond", "nationwide": "üle Eesti", "languages": "Keeled",
        "cost": "Tasu", "cost_free": "tasuta", "cost_paid": "tasuline", "cost_partly": "osaliselt tasuline",
        "anonymous": "Anonüümne", "referral_required": "Vajab saatekirja",
        "internal_note": "Sisemärkus", "see_also": "Vaata ka", "source": "Allikas", "checked": "kontrollitud",
        "always_open": "ööpäevaringselt", "closed_temp": "Ajutiselt suletud",
        "confidential_place": "aadress on konfidentsiaalne",
        "reports_title": "Statistikaaruanded",
        "reports_intro": "Arendusettepanekute töövihik kirjutab aruanded kausta `docs-internal/reports/<periood>/`. "
                         "Siin on loetelu sellest, mis seal praegu on.",
        "reports_none": "Aruandeid veel ei ole.",
        "charts": "joonist",
    },
    "ru": {
        "generated": "Эта страница создана автоматически из каталога (`directory/`) {date}. Не меняйте её вручную: "
                     "исправьте файл каталога и соберите сайт заново.",
        "verify_title": "Проверить",
        "verify_intro": "Здесь контакты, которые не показываются на публичном сайте, потому что они не подтверждены, "
                        "и записи с просроченной проверкой. Позвоните или проверьте источник, затем исправьте файл "
                        "и укажите дату в `verified:`.",
        "unverified_title": "Неподтверждённые контакты",
        "unverified_none": "Неподтверждённых контактов нет.",
        "overdue_title": "Проверка просрочена",
        "overdue_none": "Просроченных проверок нет.",
        "col_service": "Услуга или организация", "col_contact": "Контакт", "col_reason": "Причина",
        "col_file": "Файл", "col_check": "Как проверить", "website": "сайт", "col_verified": "Последняя проверка",
        "col_due": "Срок",
        "org_phone": "телефон организации",
        "referrals_title": "Списки направления по потребностям",
        "referrals_intro": "Для каждой потребности указаны услуги каталога с публичными и внутренними контактами. "
                           "Неподтверждённые контакты отмечены **ПРОВЕРИТЬ**: прежде чем передать номер, "
                           "позвоните и убедитесь, что он работает.",
        "col_need": "Потребность", "col_services": "Услуг", "col_always": "Круглосуточно",
        "urgent": "срочно", "yes": "да", "no": "нет",
        "need_title": "Направление: {need}",
        "urgent_note": "Срочная потребность. Если человеку угрожает непосредственная опасность, звоните **112**.",
        "no_services": "В каталоге нет услуг для этой потребности.",
        "back": "Все потребности",
        "contacts": "Контакты", "to_verify": "ПРОВЕРИТЬ", "reason": "причина",
        "county": "уезд (источники расходятся)",
        "not_public": "на публичном сайте не показывается",
        "for_whom": "Для кого", "area": "Регион", "nationwide": "вся Эстония", "languages": "Языки",
        "cost": "Оплата", "cost_free": "бесплатно", "cost_paid": "платно", "cost_partly": "частично платно",
        "anonymous": "Анонимно", "referral_required": "Нужно направление",
        "internal_note": "Внутренняя заметка", "see_also": "См. также", "source": "Источник",
        "checked": "проверено",
        "always_open": "круглосуточно", "closed_temp": "Временно закрыто",
        "confidential_place": "адрес конфиденциален",
        "reports_title": "Статистические отчёты",
        "reports_intro": "Тетрадь предложений по развитию записывает отчёты в папку "
                         "`docs-internal/reports/<период>/`. Здесь перечислено то, что там сейчас есть.",
        "reports_none": "Отчётов пока нет.",
        "charts": "графиков",
    },
    "en": {
        "generated": "This page was generated from the directory (`directory/`) on {date}. Do not edit it by hand: "
                     "fix the directory file and build the site again.",
        "verify_title": "To verify",
        "verify_intro": "These are the contacts the public site does not show because they are not confirmed, and "
                        "the records whose review is overdue. Call or check the source, then fix the file and set "
                        "its `verified:` date.",
        "unverified_title": "Unconfirmed contacts",
        "unverified_none": "There are no unconfirmed contacts.",
        "overdue_title": "Review overdue",
        "overdue_none": "No record is overdue for review.",
        "col_service": "Service or organisation", "col_contact": "Contact", "col_reason": "Reason",
        "col_file": "File", "col_check": "Check with", "website": "website", "col_verified": "Last verified",
        "col_due": "Due",
        "org_phone": "organisation phone",
        "referrals_title": "Referral lists by need",
        "referrals_intro": "For each need, the directory's services with their public and internal contacts. "
                           "Unconfirmed contacts are marked **TO VERIFY**: call and make sure the number works "
                           "before you pass it on.",
        "col_need": "Need", "col_services": "Services", "col_always": "24/7",
        "urgent": "urgent", "yes": "yes", "no": "no",
        "need_title": "Referral: {need}",
        "urgent_note": "An urgent need. If the person is in immediate danger, call **112**.",
        "no_services": "The directory has no services for this need.",
        "back": "All needs",
        "contacts": "Contacts", "to_verify": "TO VERIFY", "reason": "reason", "not_public": "not on the public site",
        "county": "county (sources in conflict)",
        "for_whom": "For", "area": "Area", "nationwide": "all of Estonia", "languages": "Languages",
        "cost": "Cost", "cost_free": "free", "cost_paid": "paid", "cost_partly": "partly paid",
        "anonymous": "Anonymous", "referral_required": "Referral required",
        "internal_note": "Internal note", "see_also": "See also", "source": "Source", "checked": "checked",
        "always_open": "24/7", "closed_temp": "Temporarily closed",
        "confidential_place": "the address is confidential",
        "reports_title": "Statistics reports",
        "reports_intro": "The development-proposals notebook writes its reports into "
                         "`docs-internal/reports/<period>/`. This is the list of what is there now.",
        "reports_none": "There are no reports yet.",
        "charts": "charts",
    },
}


def _suffix(lang: str) -> str:
    """The file suffix mkdocs-static-i18n expects: none for Estonian, `.ru`/`.en` otherwise."""
    return "" if lang == "et" else f".{lang}"


def _cell(text: str) -> str:
    """Data in a Markdown table cell: text only (`markdown_text` keeps `|` from ending the cell)."""
    return markdown_text(text)


def _text(text: str) -> str:
    """Free text from the YAML as one line of Markdown (so it stays inside its list item or admonition) that
    shows as text: no HTML, no Markdown link or emphasis, nothing that loads or runs."""
    return markdown_text(text)


def _generated_note(lang: str, today: dt.date) -> str:
    return f"*{STRINGS[lang]['generated'].format(date=today.isoformat())}*\n"


# Loading -------------------------------------------------------------------------------------------------

def failure_message(result: LoadResult) -> str:
    """Every problem, then a count: what the plugin and the CLI print when the data is broken."""
    errors = sum(problem.level == "error" for problem in result.problems)
    return (f"{format_problems(result.problems, 'text')}\n{errors} error(s) in {result.files} file(s) of the "
            "directory: the internal site was not built")


# Contacts ------------------------------------------------------------------------------------------------


def _name(directory: Directory, kind: str, term_id: str, lang: str) -> str:
    term = directory.term(kind, term_id)
    return term.name.get(lang) if term else term_id


def _contact(channel: Channel, directory: Directory, service: Service, lang: str) -> str:
    """The channel's contact as Markdown: a tel:/mailto: link, a web address, or a place."""
    if channel.number:
        return markdown_link(f"tel:{phones.e164(channel.number)}", phones.display(channel.number))
    if channel.email:
        return markdown_link(f"mailto:{channel.email}", channel.email)
    if channel.url:
        return markdown_link(channel.url, channel.url)
    location = directory.location(service, channel.location or "")
    if location is None:
        return ""
    if location.confidential:
        door = f": {_text(location.front_door.get(lang))}" if location.front_door else ""
        return f"{_text(location.name.get(lang))} ({STRINGS[lang]['confidential_place']}){door}"
    address = f", {_text(location.address.address_1)}, {_text(location.address.city)}" if location.address else ""
    return f"{_text(location.name.get(lang))}{address}"


def _plain_contact(channel: Channel, directory: Directory, service: Service, lang: str) -> str:
    """The contact as plain text for a table cell (no links, never a confidential address)."""
    if channel.number:
        return phones.display(channel.number)
    if channel.email or channel.url:
        return channel.email or channel.url or ""
    location = directory.location(service, channel.location or "")
    return location.name.get(lang) if location else ""


def _hours(channel: Channel, service: Service, lang: str) -> str:
    expression = channel.hours or service.hours
    if not expression:
        return ""
    return STRINGS[lang]["always_open"] if expression.strip() == "24/7" else f"<code>{_text(expression)}</code>"


# To verify -----------------------------------------------------------------------------------------------


def _pending_kind(directory: Directory, contact_type: str, kind: str, lang: str) -> str:
    """The contact's kind in `lang`: a channel type's name, or the organisation's phone, website or source."""
    strings = STRINGS[lang]
    if kind == "organisation" and contact_type == "phone":
        return strings["org_phone"]
    if contact_type in ("website", "source", "county"):
        return strings[contact_type]
    return _name(directory, "channels", contact_type, lang)


def _unverified_rows(directory: Directory, lang: str) -> list[list[str]]:
    """Every contact to verify (review.pending_contacts: the queue `abikaart stale` prints), urgent first."""
    strings = STRINGS[lang]
    rows: list[list[str]] = []
    for item in pending_contacts(directory):
        name = item.name.get(lang)
        if item.kind == "service":
            name = f"{name} ({item.organisation.get(lang)})"
        if item.urgent:
            name = f"{strings['urgent'].upper()}: {name}"
        rows.append([name, f"{_pending_kind(directory, item.contact_type, item.kind, lang)}: {item.value}",
                     item.reason, item.file, item.check_with])
    return rows


def _overdue_rows(directory: Directory, today: dt.date, lang: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for due in due_records(directory, today):
        record = directory.organisations[due.id] if due.kind == "organisation" else directory.services[due.id]
        rows.append([record.name.get(lang), due.verified.isoformat(), due.due.isoformat(), due.file, due.contact])
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render_to_verify(directory: Directory, today: dt.date, lang: str) -> str:
    """The "to verify" page: unconfirmed contacts and records overdue for re-verification."""
    s = STRINGS[lang]
    parts = [f"# {s['verify_title']}\n", _generated_note(lang, today), f"{s['verify_intro']}\n",
             f"## {s['unverified_title']} {{#unverified}}\n"]
    unverified = _unverified_rows(directory, lang)
    header = [s["col_service"], s["col_contact"], s["col_reason"], s["col_file"], s["col_check"]]
    parts.append(_table(header, unverified) if unverified else f"{s['unverified_none']}\n")
    parts.append(f"## {s['overdue_title']} {{#overdue}}\n")
    overdue = _overdue_rows(directory, today, lang)
    header = [s["col_service"], s["col_verified"], s["col_due"], s["col_file"], s["col_check"]]
    parts.append(_table(header, overdue) if overdue else f"{s['overdue_none']}\n")
    return "\n".join(parts)


# Referral paths ------------------------------------------------------------------------------------------


def _referral_services(directory: Directory, need: str) -> list[Service]:
    """Services to refer to for a need: not closed, round-the-clock ones first, then by name."""
    services = [s for s in directory.services_for_need(need) if s.status != Status.CLOSED]
    return sorted(services, key=lambda s: not is_always_open(s))


def _localized(text: LocalizedText | None, lang: str) -> str:
    return _text(text.get(lang)) if text else ""


def _channel_lines(directory: Directory, service: Service, lang: str) -> list[str]:
    s = STRINGS[lang]
    lines = []
    for channel in service.channels:
        kind = _text(_name(directory, "channels", channel.type.value, lang))
        hours = _hours(channel, service, lang)
        detail = f"{kind} {_contact(channel, directory, service, lang)}" + (f" — {hours}" if hours else "")
        if channel.description:
            detail += f" ({_localized(channel.description, lang)})"
        if channel.to_verify:
            detail = (f"**{s['to_verify']}** {detail} — {s['reason']}: {_text(channel.to_verify)} "
                      f"({s['not_public']})")
        lines.append(f"    - {detail}")
    return lines


def _facts(directory: Directory, service: Service, lang: str) -> list[str]:
    s = STRINGS[lang]
    area = ", ".join(s["nationwide"] if c == NATIONWIDE else _text(_name(directory, "counties", c, lang))
                     for c in service.counties)
    conflicts = [f"**{s['to_verify']}** {_text(_name(directory, 'counties', claim.county, lang))} "
                 f"— {s['reason']}: {_text(claim.to_verify)}" for claim in service.counties_to_verify]
    area = "; ".join(part for part in (area, *conflicts) if part)
    audiences = ", ".join(_text(_name(directory, "audiences", a, lang)) for a in service.audiences)
    facts = [f"- **{s['for_whom']}:** {audiences}", f"- **{s['area']}:** {area}"]
    if service.languages:
        facts.append(f"- **{s['languages']}:** " + ", ".join(_text(_name(directory, "languages", code, lang))
                                                           for code in service.languages))
    flags = []
    if service.cost:
        flags.append(f"**{s['cost']}:** {s['cost_' + service.cost.value]}")
    for key in ("anonymous", "referral_required"):
        value = getattr(service, key)
        if value is not None:
            flags.append(f"**{s[key]}:** {s['yes'] if value else s['no']}")
    if flags:
        facts.append("- " + " · ".join(flags))
    return facts


def _see_also(directory: Directory, service: Service, lang: str) -> str:
    links = []
    for ref in service.see_also:
        other = directory.services.get(ref)
        if other is None:
            continue
        name = _text(other.name.get(lang))
        # A closed service has no block on any referral page, so there is nothing to link to.
        links.append(name if other.status == Status.CLOSED else f"[{name}]({other.needs[0]}.md#{other.id})")
    return f"- **{STRINGS[lang]['see_also']}:** " + ", ".join(links) if links else ""


def _service_block(directory: Directory, service: Service, lang: str, today: dt.date) -> str:
    s = STRINGS[lang]
    organisation = directory.organisation(service)
    parts = [f"## {_text(service.name.get(lang))} {{#{service.id}}}\n",
             f"**{_text(organisation.name.get(lang))}**. {_localized(service.description, lang)}\n"]
    if service.status == Status.TEMPORARILY_CLOSED:
        parts.append(f'!!! warning "{s["closed_temp"]}"\n')
    if (notice := directory.notice(service)) is not None:
        parts.append(f"!!! info \"\"\n    {_localized(notice, lang)}\n")
    lines = [f"- **{s['contacts']}:**", *_channel_lines(directory, service, lang), *_facts(directory, service, lang)]
    if service.internal_note:
        lines.append(f"- **{s['internal_note']}:** {_text(service.internal_note)}")
    if see_also := _see_also(directory, service, lang):
        lines.append(see_also)
    source = markdown_link(service.source, service.source)
    lines.append(f"- **{s['source']}:** {source} · {s['checked']} {service.verified.isoformat()}")
    if service.source_to_verify:  # withheld from the public site: say so, and why
        lines[-1] += f" — **{s['to_verify']}** ({s['not_public']}): {_text(service.source_to_verify)}"
    parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def render_need(directory: Directory, need: str, today: dt.date, lang: str) -> str:
    """One need's referral list: every service with all its contacts, unconfirmed ones marked."""
    s = STRINGS[lang]
    term = directory.taxonomies["needs"][need]
    title = s["need_title"].format(need=term.name.get(lang))
    # The page title (<title>, navigation) is printed unescaped by the theme: give it, HTML-escaped, up front
    heading = s["need_title"].format(need=_text(term.name.get(lang)))
    parts = [f"---\ntitle: {yaml_string(title)}\n---\n", f"# {heading}\n", _generated_note(lang, today)]
    if term.urgent:
        parts.append(f"!!! danger \"\"\n    {s['urgent_note']}\n")
    services = _referral_services(directory, need)
    parts.extend(_service_block(directory, service, lang, today) for service in services)
    if not services:
        parts.append(f"{s['no_services']}\n")
    parts.append(f"[{s['back']}](index.md)\n")
    return "\n".join(parts)


def render_referral_index(directory: Directory, today: dt.date, lang: str) -> str:
    """All needs, urgent ones first, with how many services and whether one is open round the clock."""
    s = STRINGS[lang]
    rows = []
    needs = sorted(directory.taxonomies["needs"].values(), key=lambda t: (not t.urgent, t.name.get(lang).casefold()))
    for term in needs:
        services = _referral_services(directory, term.id)
        always = any(is_always_open(service) for service in services)
        label = f"[{_cell(term.name.get(lang))}]({term.id}.md)" + (f" ({s['urgent']})" if term.urgent else "")
        rows.append(f"| {label} | {len(services)} | {s['yes'] if always else s['no']} |")
    table = "\n".join([f"| {s['col_need']} | {s['col_services']} | {s['col_always']} |", "|---|---|---|", *rows])
    return "\n".join([f"# {s['referrals_title']}\n", _generated_note(lang, today), f"{s['referrals_intro']}\n",
                      table + "\n"])


# Reports -------------------------------------------------------------------------------------------------


def _report_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def render_reports(reports: Path, today: dt.date, lang: str) -> str:
    """What the statistics notebook has written into reports/<period>/, newest period first."""
    s = STRINGS[lang]
    parts = [f"# {s['reports_title']}\n", _generated_note(lang, today), f"{s['reports_intro']}\n"]
    periods = sorted((p for p in reports.iterdir() if p.is_dir()), reverse=True) if reports.is_dir() else []
    for period in periods:
        # Only pages in the default language (no .ru/.en suffix) are linked: those exist in every build.
        pages = sorted(p for p in period.glob("*.md") if p.suffixes[-2:-1] not in ([".ru"], [".en"]))
        charts = [p for p in period.iterdir() if p.suffix in {".png", ".svg"}]
        lines = [f"- [{_cell(_report_title(page))}](../{reports.name}/{period.name}/{page.name})" for page in pages]
        parts.append(f"## {_text(period.name)}\n\n" + "\n".join(lines) + f"\n\n{len(charts)} {s['charts']}\n")
    if not periods:
        parts.append(f"{s['reports_none']}\n")
    return "\n".join(parts)


# Writing -------------------------------------------------------------------------------------------------


def render_pages(directory: Directory, today: dt.date, reports: Path) -> dict[str, str]:
    """Every generated page, keyed by its path inside the generated folder, in every language."""
    pages: dict[str, str] = {}
    for lang in LANGS:
        suffix = _suffix(lang)
        pages[f"to-verify{suffix}.md"] = render_to_verify(directory, today, lang)
        pages[f"reports{suffix}.md"] = render_reports(reports, today, lang)
        pages[f"referrals/index{suffix}.md"] = render_referral_index(directory, today, lang)
        for need in directory.taxonomies["needs"]:
            pages[f"referrals/{need}{suffix}.md"] = render_need(directory, need, today, lang)
    return pages


def write_pages(folder: Path, pages: dict[str, str]) -> int:
    """Write pages whose content changed and remove pages no longer generated; return how many were written.

    Writing only on change keeps `mkdocs serve` from rebuilding forever on its own output.
    """
    written = 0
    for relative, text in pages.items():
        path = folder / relative
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += 1
    for stale in _stale(folder, pages):
        stale.unlink()
    return written


def _stale(folder: Path, pages: Iterable[str]) -> list[Path]:
    keep = {folder / relative for relative in pages}
    return [path for path in folder.rglob("*.md") if path not in keep] if folder.is_dir() else []


# Plugin --------------------------------------------------------------------------------------------------


NOINDEX = '<meta name="robots" content="noindex, nofollow">'


class InternalConfig(Config):  # type: ignore[no-untyped-call]  # mkdocs leaves __init_subclass__ untyped
    """Options of `abikaart/internal` in mkdocs.internal.yml."""

    enabled = opt.Type(bool, default=True)
    directory = opt.Type(str, default="directory")
    """The directory data, relative to the config file."""
    generated_dir = opt.Type(str, default="_generated")
    """Folder inside docs_dir for the generated pages; git-ignored."""
    reports_dir = opt.Type(str, default="reports")
    """Folder inside docs_dir where the statistics notebook writes reports/<period>/."""
    letters = opt.Type(str, default="letters")
    """The letter templates folder, relative to the config file (pages under generated_dir/letters/)."""
    noindex = opt.Type(bool, default=True)
    """Ask search engines not to index or follow the site, should it ever be reachable."""


class InternalPlugin(BasePlugin[InternalConfig]):  # type: ignore[no-untyped-call]  # as above
    """Writes the "to verify", referral and reports pages of the internal site from the directory."""

    def root(self, config: MkDocsConfig) -> Path:
        """The directory folder, resolved against the config file's folder."""
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return (base / self.config.directory).resolve()

    # on_pre_build runs before MkDocs collects the files, so the pages are on disk when both MkDocs and
    # mkdocs-static-i18n (on_files, priority -100) look for them; i18n calls it again for each language.
    @event_priority(50)
    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        result = load_cached(self.root(config))
        if result.directory is None or has_errors(result.problems):
            raise PluginError(failure_message(result))
        docs = Path(config.docs_dir)
        pages = render_pages(result.directory, dt.date.today(), docs / self.config.reports_dir)
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        letters = base / self.config.letters
        try:
            pages.update(render_letter_pages(letters))
        except (LetterError, OSError) as exc:
            raise PluginError(f"letters ({letters}): {exc}") from None
        pages.update(finder_pages(result.directory, self.config.generated_dir))  # the finder (internal_finder.py)
        write_pages(docs / self.config.generated_dir, pages)

    # After mkdocs-static-i18n has built the other languages (-100), before the safety pipeline (-150).
    @event_priority(-120)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The internal finder's data, scripts and stylesheet (`internal_finder.py`), once for the whole site."""
        if self.config.enabled and not inside_language_build(config):
            directory = load_cached(self.root(config)).directory
            if directory is not None:
                write_finder_assets(directory, Path(config.site_dir), self.config.generated_dir)

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """Internal guidance is for counsellors only: keep it out of search engines if it is ever exposed."""
        if not (self.config.enabled and self.config.noindex) or NOINDEX in output:
            return output
        return output.replace("<head>", "<head>" + NOINDEX, 1)

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The 404 page is a theme template, not a page: it gets the same request."""
        return self.on_post_page(output_content, page=None, config=config)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a directory file changes, not only when a page does."""
        if self.config.enabled:
            server.watch(str(self.root(config)))
        return server
