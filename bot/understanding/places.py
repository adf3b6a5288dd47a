"""Country and region names members use, in English and Chinese, mapped to ISO 3166-1 alpha-2 codes.

The event calendar stores a country code; members write "Germany", "德国", "UK", "Britain" or "Europe".
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

from bot.messages import Lang

# code: (English names and aliases, Chinese names). The first of each is the display name.
COUNTRIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "US": (("the United States", "United States", "USA", "America", "United States of America"), ("美国",)),
    "CN": (("China", "PRC", "mainland China"), ("中国", "中国大陆", "内地")),
    "GB": (("the United Kingdom", "United Kingdom", "UK", "Britain", "Great Britain", "England"), ("英国",)),
    "DE": (("Germany",), ("德国",)),
    "CA": (("Canada",), ("加拿大",)),
    "AU": (("Australia",), ("澳大利亚", "澳洲")),
    "BR": (("Brazil", "Brasil"), ("巴西",)),
    "AT": (("Austria",), ("奥地利",)),
    "FR": (("France",), ("法国",)),
    "IT": (("Italy",), ("意大利",)),
    "ES": (("Spain",), ("西班牙",)),
    "NL": (("the Netherlands", "Netherlands", "Holland"), ("荷兰",)),
    "BE": (("Belgium",), ("比利时",)),
    "CH": (("Switzerland",), ("瑞士",)),
    "SE": (("Sweden",), ("瑞典",)),
    "RU": (("Russia",), ("俄罗斯",)),
    "JP": (("Japan",), ("日本",)),
    "KR": (("South Korea", "Korea"), ("韩国",)),
    "SG": (("Singapore",), ("新加坡",)),
    "IN": (("India",), ("印度",)),
    "ID": (("Indonesia",), ("印度尼西亚", "印尼")),
    "HK": (("Hong Kong",), ("香港",)),
    "MO": (("Macao", "Macau"), ("澳门",)),
    "AE": (("the United Arab Emirates", "UAE", "Emirates"), ("阿联酋",)),
    "SA": (("Saudi Arabia",), ("沙特", "沙特阿拉伯")),
    "TR": (("Turkey", "Türkiye"), ("土耳其",)),
    "MX": (("Mexico",), ("墨西哥",)),
    "AR": (("Argentina",), ("阿根廷",)),
    "ZA": (("South Africa",), ("南非",)),
    "NZ": (("New Zealand", "NZ"), ("新西兰",)),
    "PL": (("Poland",), ("波兰",)),
    "DK": (("Denmark",), ("丹麦",)),
    "NO": (("Norway",), ("挪威",)),
    "FI": (("Finland",), ("芬兰",)),
    "IE": (("Ireland",), ("爱尔兰",)),
    "PT": (("Portugal",), ("葡萄牙",)),
    "GR": (("Greece",), ("希腊",)),
    "CZ": (("Czechia", "the Czech Republic", "Czech Republic"), ("捷克",)),
    "HU": (("Hungary",), ("匈牙利",)),
    "VN": (("Vietnam", "Viet Nam"), ("越南",)),
    "TH": (("Thailand",), ("泰国",)),
    "MY": (("Malaysia",), ("马来西亚",)),
    "PH": (("the Philippines", "Philippines"), ("菲律宾",)),
    "PK": (("Pakistan",), ("巴基斯坦",)),
    "KZ": (("Kazakhstan",), ("哈萨克斯坦",)),
    "EG": (("Egypt",), ("埃及",)),
    "NG": (("Nigeria",), ("尼日利亚",)),
    "KE": (("Kenya",), ("肯尼亚",)),
    "CL": (("Chile",), ("智利",)),
    "CO": (("Colombia",), ("哥伦比亚",)),
    "PE": (("Peru",), ("秘鲁",)),
}

REGIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]] = {
    "europe": (("Europe", "EU", "European"), ("欧洲",),
               frozenset(["GB", "DE", "AT", "FR", "IT", "ES", "NL", "BE", "CH", "SE", "RU", "PL", "DK", "NO", "FI",
                          "IE", "PT", "GR", "CZ", "HU"])),
    "asia": (("Asia", "Asian"), ("亚洲",),
             frozenset(["CN", "JP", "KR", "SG", "IN", "ID", "HK", "MO", "AE", "SA", "TR", "VN", "TH", "MY", "PH",
                        "PK", "KZ"])),
    "southeast-asia": (("Southeast Asia", "South-East Asia", "South East Asia", "SE Asia", "ASEAN"), ("东南亚",),
                       frozenset(["SG", "VN", "TH", "MY", "ID", "PH", "MM", "KH", "LA", "BN"])),
    "north-america": (("North America", "North American"), ("北美", "北美洲"), frozenset(["US", "CA", "MX"])),
    "south-america": (("South America", "Latin America", "South American", "Latin American"),
                      ("南美", "南美洲", "拉美", "拉丁美洲"),
                      frozenset(["BR", "AR", "CL", "CO", "PE"])),
    "americas": (("the Americas", "Americas"), ("美洲",), frozenset(["US", "CA", "MX", "BR", "AR", "CL", "CO", "PE"])),
    "oceania": (("Oceania",), ("大洋洲",), frozenset(["AU", "NZ"])),
    "africa": (("Africa", "African"), ("非洲",), frozenset(["ZA", "EG", "NG", "KE"])),
}


# Countries' adjectives, read only in "the Polish one" after a list (handlers/followup.py): alone, many are also the
# names of languages ("say that in Chinese").
_ADJECTIVES = {"american": "US", "chinese": "CN", "british": "GB", "german": "DE", "canadian": "CA",
               "australian": "AU", "brazilian": "BR", "austrian": "AT", "french": "FR", "italian": "IT",
               "spanish": "ES", "dutch": "NL", "belgian": "BE", "swiss": "CH", "swedish": "SE", "russian": "RU",
               "japanese": "JP", "korean": "KR", "singaporean": "SG", "indian": "IN", "indonesian": "ID",
               "mexican": "MX", "polish": "PL", "danish": "DK", "norwegian": "NO", "finnish": "FI", "irish": "IE",
               "portuguese": "PT", "greek": "GR", "czech": "CZ", "hungarian": "HU", "vietnamese": "VN", "thai": "TH",
               "malaysian": "MY", "turkish": "TR"}
_THE_ONE = re.compile(r"^(?:(?:only|just|and) )?the (\w+) (?:one|ones|edition|editions|event|events)[?.!]*$")


def country_of_the_one(norm: str) -> str | None:
    """The country a follow-up picks by its adjective: "the polish one", "only the german ones"."""
    m = _THE_ONE.match(norm.strip())
    return _ADJECTIVES.get(m.group(1)) if m else None


def country_name(code: str, lang: Lang) -> str:
    names = COUNTRIES.get(code)
    if names:
        en, zh = names
        return zh[0] if lang == "zh" else en[0].removeprefix("the ")
    found = pycountry.countries.get(alpha_2=code)
    return str(found.name) if found else code


def region_name(key: str, lang: Lang) -> str:
    en, zh, _ = REGIONS[key]
    return zh[0] if lang == "zh" else en[0]


def region_countries(key: str) -> frozenset[str]:
    return REGIONS[key][2]


def find_names(names: tuple[str, ...], text: str, original: str) -> bool:
    for name in names:
        kind, pattern = _name_pattern(name)
        if kind == "zh":
            if name in text:
                return True
        elif pattern.search(original if kind == "code" else text):
            return True
    return False


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> tuple[str, re.Pattern[str]]:
    """How a place name is found: Chinese as a substring; short codes only in capitals ("US", "UK": "us" is a
    pronoun) in the original text; other names as whole words in the normalised text."""
    if re.search(r"[\u4e00-\u9fff]", name):
        return "zh", re.compile(re.escape(name))
    if name.isupper() and len(name) <= 3:
        return "code", re.compile(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])")
    return "word", re.compile(rf"(?<![a-z]){re.escape(name.lower())}(?![a-z])")


def find_countries(norm: str, original: str) -> set[str]:
    """Country codes named in a message; `norm` is the normalised text, `original` keeps the case."""
    if not _ANY_NAME.search(norm) and not _ANY_CODE.search(original):
        return set()  # the common case, decided by one precompiled pattern
    found = {code for code, (en, zh) in COUNTRIES.items() if find_names(en + zh, norm, original)}
    # "U.S.", and "US" in capitals on its own ("US-China" is an event's name; "us" is a pronoun).
    if re.search(r"(?<![A-Za-z])U\.S\.(A\.)?|(?<![A-Za-z-])US(?![A-Za-z-])", original):
        found.add("US")
    return found


def find_regions(norm: str, original: str) -> set[str]:
    if not _ANY_NAME.search(norm) and not _ANY_CODE.search(original):
        return set()
    found = {key for key, (en, zh, _) in REGIONS.items() if find_names(en + zh, norm, original)}
    if found & {"north-america", "south-america"}:
        found.discard("americas")  # "南美洲" has "美洲" inside
    if "southeast-asia" in found:
        found.discard("asia")  # "Southeast Asia" has "Asia" inside
    return found


def _names() -> list[str]:
    return [n for en, zh in COUNTRIES.values() for n in (*en, *zh)] + [
        n for en, zh, _ in REGIONS.values() for n in (*en, *zh)]


# A quick pre-check: does the message contain any place name at all (lower-case words, Chinese names), or a
# short capitalised code (US, UK, EU, UAE, PRC)?
_ANY_NAME = re.compile("|".join(sorted((re.escape(n.lower()) for n in _names() if not (n.isupper() and len(n) <= 3)),
                                       key=len, reverse=True)))
_ANY_CODE = re.compile(r"(?<![A-Za-z])(" + "|".join(re.escape(n) for n in _names() if n.isupper() and len(n) <= 3)
                       + r")(?![A-Za-z])|U\.S\.|(?<![A-Za-z-])US(?![A-Za-z-])")


def all_names(code: str) -> tuple[str, ...]:
    en, zh = COUNTRIES.get(code, ((), ()))
    return en + zh
