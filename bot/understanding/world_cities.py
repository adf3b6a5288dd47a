"""Cities beyond the calendar's own, so that an event placed in one is known to be placed somewhere.

Without them "Can I register for the Osaka trade mission?" read as "the trade mission" (Osaka was just a word), and
the form started for the only trade mission in the calendar, in Ho Chi Minh City. A city from this list counts only
where it places an event ("the Osaka trade mission", "a fair in Tokyo", "大阪代表团", "去东京的展会"): members name
their own city all the time ("we are a Munich company", "我们是上海的工厂") without asking for an event there.
The calendar's own cities are found by event_query.py from the events themselves; this list never overrides them.
"""

from __future__ import annotations

import re

# folded English name -> (English, Chinese); then other names members use for the same city.
CITIES: dict[str, tuple[str, str]] = {
    "tokyo": ("Tokyo", "东京"), "osaka": ("Osaka", "大阪"), "kyoto": ("Kyoto", "京都"), "nagoya": ("Nagoya", "名古屋"),
    "yokohama": ("Yokohama", "横滨"), "seoul": ("Seoul", "首尔"), "busan": ("Busan", "釜山"),
    "taipei": ("Taipei", "台北"), "bangkok": ("Bangkok", "曼谷"), "hanoi": ("Hanoi", "河内"),
    "jakarta": ("Jakarta", "雅加达"),
    "kuala lumpur": ("Kuala Lumpur", "吉隆坡"), "penang": ("Penang", "槟城"), "manila": ("Manila", "马尼拉"),
    "phnom penh": ("Phnom Penh", "金边"), "yangon": ("Yangon", "仰光"), "dhaka": ("Dhaka", "达卡"),
    "karachi": ("Karachi", "卡拉奇"), "new delhi": ("New Delhi", "新德里"), "mumbai": ("Mumbai", "孟买"),
    "bangalore": ("Bangalore", "班加罗尔"), "chennai": ("Chennai", "金奈"), "colombo": ("Colombo", "科伦坡"),
    "dubai": ("Dubai", "迪拜"), "abu dhabi": ("Abu Dhabi", "阿布扎比"), "doha": ("Doha", "多哈"),
    "riyadh": ("Riyadh", "利雅得"), "istanbul": ("Istanbul", "伊斯坦布尔"), "tel aviv": ("Tel Aviv", "特拉维夫"),
    "cairo": ("Cairo", "开罗"), "casablanca": ("Casablanca", "卡萨布兰卡"), "lagos": ("Lagos", "拉各斯"),
    "nairobi": ("Nairobi", "内罗毕"), "johannesburg": ("Johannesburg", "约翰内斯堡"),
    "cape town": ("Cape Town", "开普敦"), "moscow": ("Moscow", "莫斯科"), "warsaw": ("Warsaw", "华沙"),
    "krakow": ("Krakow", "克拉科夫"), "prague": ("Prague", "布拉格"), "budapest": ("Budapest", "布达佩斯"),
    "bucharest": ("Bucharest", "布加勒斯特"), "athens": ("Athens", "雅典"), "berlin": ("Berlin", "柏林"),
    "munich": ("Munich", "慕尼黑"), "hamburg": ("Hamburg", "汉堡"), "cologne": ("Cologne", "科隆"),
    "dusseldorf": ("Düsseldorf", "杜塞尔多夫"), "stuttgart": ("Stuttgart", "斯图加特"),
    "hanover": ("Hanover", "汉诺威"), "paris": ("Paris", "巴黎"), "madrid": ("Madrid", "马德里"),
    "barcelona": ("Barcelona", "巴塞罗那"), "lisbon": ("Lisbon", "里斯本"), "rome": ("Rome", "罗马"),
    "turin": ("Turin", "都灵"), "bologna": ("Bologna", "博洛尼亚"), "amsterdam": ("Amsterdam", "阿姆斯特丹"),
    "brussels": ("Brussels", "布鲁塞尔"), "antwerp": ("Antwerp", "安特卫普"), "zurich": ("Zurich", "苏黎世"),
    "geneva": ("Geneva", "日内瓦"), "stockholm": ("Stockholm", "斯德哥尔摩"), "oslo": ("Oslo", "奥斯陆"),
    "helsinki": ("Helsinki", "赫尔辛基"), "dublin": ("Dublin", "都柏林"), "london": ("London", "伦敦"),
    "manchester": ("Manchester", "曼彻斯特"), "edinburgh": ("Edinburgh", "爱丁堡"), "new york": ("New York", "纽约"),
    "los angeles": ("Los Angeles", "洛杉矶"), "san francisco": ("San Francisco", "旧金山"),
    "seattle": ("Seattle", "西雅图"), "boston": ("Boston", "波士顿"), "houston": ("Houston", "休斯敦"),
    "atlanta": ("Atlanta", "亚特兰大"), "miami": ("Miami", "迈阿密"), "las vegas": ("Las Vegas", "拉斯维加斯"),
    "detroit": ("Detroit", "底特律"), "toronto": ("Toronto", "多伦多"), "vancouver": ("Vancouver", "温哥华"),
    "montreal": ("Montreal", "蒙特利尔"), "mexico city": ("Mexico City", "墨西哥城"),
    "sao paulo": ("São Paulo", "圣保罗"), "rio de janeiro": ("Rio de Janeiro", "里约热内卢"),
    "buenos aires": ("Buenos Aires", "布宜诺斯艾利斯"), "lima": ("Lima", "利马"), "bogota": ("Bogotá", "波哥大"),
    "sydney": ("Sydney", "悉尼"), "melbourne": ("Melbourne", "墨尔本"), "brisbane": ("Brisbane", "布里斯班"),
    "auckland": ("Auckland", "奥克兰"), "beijing": ("Beijing", "北京"), "shanghai": ("Shanghai", "上海"),
    "guangzhou": ("Guangzhou", "广州"), "shenzhen": ("Shenzhen", "深圳"), "hangzhou": ("Hangzhou", "杭州"),
    "nanjing": ("Nanjing", "南京"), "chengdu": ("Chengdu", "成都"), "chongqing": ("Chongqing", "重庆"),
    "wuhan": ("Wuhan", "武汉"), "xi'an": ("Xi'an", "西安"), "tianjin": ("Tianjin", "天津"),
    "qingdao": ("Qingdao", "青岛"), "xiamen": ("Xiamen", "厦门"), "ningbo": ("Ningbo", "宁波"),
    "dalian": ("Dalian", "大连"), "suzhou": ("Suzhou", "苏州"), "yiwu": ("Yiwu", "义乌"),
    "dongguan": ("Dongguan", "东莞"),
}
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "new delhi": ("delhi", "德里"), "bangalore": ("bengaluru",), "dusseldorf": ("duesseldorf",),
    "munich": ("munchen", "muenchen"), "cologne": ("koln", "koeln"), "hanover": ("hannover",), "xi'an": ("xian",),
    "seoul": ("汉城",), "new york": ("nyc",), "kuala lumpur": ("kl",), "mumbai": ("bombay",),
}

# Words for an event that a city places: "the Osaka trade mission", "a fair in Tokyo" ("meeting" is left out: a
# meeting in London with our staff is no event of the calendar).
_EVENT_EN = (r"(trade missions?|missions?|delegations?|fairs?|expos?|exhibitions?|trade shows?|summits?|forums?|"
             r"workshops?|trainings?|seminars?|webinars?|matchmaking|conferences?|(partnership )?weeks?|events?|"
             r"trips?|roadshows?)")
_EVENT_ZH = r"(代表团|展会|展览|博览会|展|峰会|论坛|工作坊|培训|对接会|研讨会|活动|合作周|大会)"


def _names(keep: set[str]) -> dict[str, str]:
    """Every name (folded) of the cities in `keep` -> the city's key."""
    out = {key: key for key in keep}
    out.update({zh: key for key, (_, zh) in CITIES.items() if key in keep})
    out.update({alias: key for key, aliases in OTHER_NAMES.items() if key in keep for alias in aliases})
    return out


class CityFinder:
    """Finds the cities of CITIES, less the calendar's own, named as where an event is."""

    def __init__(self, calendar_names: set[str]):
        """`calendar_names`: every folded name of the calendar's own cities (they are found elsewhere)."""
        keep = {key for key in CITIES if key not in calendar_names and CITIES[key][1] not in calendar_names}
        self._key = {name: key for name, key in _names(keep).items() if name not in calendar_names}
        latin = "|".join(sorted((re.escape(n) for n in self._key if n.isascii()), key=len, reverse=True))
        cjk = "|".join(sorted((re.escape(n) for n in self._key if not n.isascii()), key=len, reverse=True))
        self._pattern = re.compile(
            rf"\b(?P<a>{latin})( city)?('s)? {_EVENT_EN}\b|\b{_EVENT_EN} (to|in|at) (the )?(?P<b>{latin})\b"
            rf"|(?P<c>{cjk})(市)?(的|那个|那场|这个|这场)?{_EVENT_ZH}") if latin and cjk else None

    def placing_an_event(self, folded: str) -> set[str]:
        """Keys of the cities `folded` (normalised, accents folded) names as where an event is."""
        if self._pattern is None:
            return set()
        return {self._key[name] for m in self._pattern.finditer(folded)
                for name in (m.group("a"), m.group("b"), m.group("c")) if name}
