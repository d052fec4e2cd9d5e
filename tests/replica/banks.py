"""Word and sentence banks for generated English-looking news."""

from __future__ import annotations

COUNTRIES: tuple[tuple[str, str, str], ...] = (
    # slug, display name, adjective
    ("kazakhstan", "Kazakhstan", "Kazakh"),
    ("kyrgyzstan", "Kyrgyzstan", "Kyrgyz"),
    ("tajikistan", "Tajikistan", "Tajik"),
    ("turkmenistan", "Turkmenistan", "Turkmen"),
    ("uzbekistan", "Uzbekistan", "Uzbek"),
    ("afghanistan", "Afghanistan", "Afghan"),
)

SECTIONS: tuple[tuple[str, str], ...] = (
    ("business-economy", "Business & Economy"),
    ("international-affairs", "International Affairs"),
    ("life-culture", "Life & Culture"),
    ("local-politics", "Local Politics"),
    ("justice", "Justice"),
    ("features", "Features"),
    ("environment", "Environment"),
)

HOME_SECTIONS: tuple[tuple[str, str], ...] = (
    ("lead-story", "Lead Story"),
    ("top-stories", "Top Stories"),
)
TOP_SECTIONS: tuple[tuple[str, str], ...] = (("opinions", "Opinions"), ("reports", "Reports"))

CITIES = {
    "kazakhstan": ("ASTANA", "ALMATY", "SHYMKENT", "AKTAU"),
    "kyrgyzstan": ("BISHKEK", "OSH", "KARAKOL"),
    "tajikistan": ("DUSHANBE", "KHUJAND"),
    "turkmenistan": ("ASHGABAT", "TURKMENBASHI"),
    "uzbekistan": ("TASHKENT", "SAMARKAND", "BUKHARA"),
    "afghanistan": ("KABUL", "MAZAR-I-SHARIF"),
}

LEADERS = {
    "kazakhstan": "President Kassym-Jomart Tokayev",
    "kyrgyzstan": "President Sadyr Japarov",
    "tajikistan": "President Emomali Rahmon",
    "turkmenistan": "President Serdar Berdimuhamedov",
    "uzbekistan": "President Shavkat Mirziyoyev",
    "afghanistan": "the Taliban administration",
}

AUTHORS: tuple[tuple[str, str], ...] = (
    ("times-of-central-asia", "Times of Central Asia"),
    ("aidana-bekova", "Aidana Bekova"),
    ("timur-rakhimov", "Timur Rakhimov"),
    ("sofia-lindqvist", "Sofia Lindqvist"),
    ("bakhtiyor-ergashev", "Bakhtiyor Ergashev"),
    ("dilnoza-saidova", "Dilnoza Saidova"),
    ("kanat-nurgaliyev", "Kanat Nurgaliyev"),
    ("michael-oneill", "Michael O’Neill"),
    ("gulnara-omirbek", "Gulnara Ömirbek"),
    ("rustam-qodirov", "Rustam Qodirov"),
    ("eleanor-whitfield", "Eleanor Whitfield"),
    ("azamat-tursunov", "Azamat Tursunov"),
    ("j-smithexample-com", "John Smith"),
    ("laura-jimenez", "Laura Jiménez"),
    ("erlan-dzhaksybekov", "Erlan Dzhaksybekov"),
)

TAGS: tuple[tuple[str, str], ...] = (
    ("money", "Money"),
    ("energy", "Energy"),
    ("china", "China"),
    ("russia", "Russia"),
    ("water", "Water"),
    ("migration", "Migration"),
    ("tokayev", "Tokayev"),
    ("mirziyoyev", "Mirziyoyev"),
    ("japarov", "Japarov"),
    ("rahmon", "Rahmon"),
    ("oil-gas", "Oil & Gas"),
    ("belt-road", "Belt & Road"),
    ("c51", "C5+1"),
    ("turkiye", "Türkiye"),
    ("human-rights", "Human Rights"),
    ("unicef", "UNICEF"),
    ("eu", "EU"),
    ("it", "IT"),
    ("startups", "Startups"),
    ("tourism", "Tourism"),
    ("agriculture", "Agriculture"),
    ("climate-change", "Climate Change"),
    ("aral-sea", "Aral Sea"),
    ("media-freedom", "Media Freedom"),
    ("banking", "Banking"),
    ("inflation", "Inflation"),
    ("railways", "Railways"),
    ("uranium", "Uranium"),
    ("gold", "Gold"),
    ("cotton", "Cotton"),
    ("elections", "Elections"),
    ("corruption", "Corruption"),
    ("education", "Education"),
    ("health", "Health"),
    ("sanctions", "Sanctions"),
    ("security", "Security"),
)

TITLE_PATTERNS: tuple[str, ...] = (
    "{C} Signs ${n}bn {thing} Deal with {partner}",
    "{A} Parliament Approves Draft Law on {topic}",
    "{C}’s {thing} Exports Rise {p}% in {month}",
    "{leader} Meets {partner} Delegation in {city}",
    "{C} and {C2} Agree to Expand {thing} Cooperation",
    "{A} Court Sentences Former Official in {topic} Case",
    "Why {C}’s {topic} Reform Matters — and What Comes Next",
    "{C} to Build New {thing} Plant Near {city}",
    "“We Need Rapid Change”: {A} Experts on {topic}",
    "{A} Central Bank Keeps Base Rate at {p}%",
    "{C} Reports Record Tourist Arrivals in {month}",
    "Floods & Mudslides Hit {city}, Dozens Evacuated",
    "{C} Launches Online Platform for {topic}",
    "{partner} to Invest in {A} {thing} Sector",
    "{A} Farmers Struggle as {topic} Costs Climb",
)

THINGS = (
    "Wind Power",
    "Solar",
    "Railway",
    "Uranium",
    "Gas",
    "Wheat",
    "Cotton",
    "Copper",
    "Logistics",
    "Hydropower",
    "Fertilizer",
    "Digital",
    "Textile",
    "Gold",
)
TOPICS = (
    "Media",
    "Water Management",
    "Education",
    "Migration",
    "Banking",
    "Public Procurement",
    "Healthcare",
    "Land Use",
    "Energy Tariffs",
    "Customs",
    "Cybersecurity",
    "Pensions",
)
PARTNERS = (
    "China",
    "the EU",
    "Türkiye",
    "Japan",
    "South Korea",
    "the UAE",
    "Germany",
    "the World Bank",
    "the ADB",
    "Masdar",
    "ACWA Power",
    "Total Energies",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

SENTENCES: tuple[str, ...] = (
    "The {org} said on {weekday} that the project would cost an estimated ${n} million.",
    "According to the {org}, output grew by {p}% year on year, the fastest pace since {year}.",
    "“This is an important step for {C} and for the region as a whole,” said {official}.",
    "Critics, however, argue that the plan does little to address {topic_l}.",
    "The decision follows months of talks between {C} and {partner}.",
    "{leader} has repeatedly called for closer regional cooperation on {topic_l}.",
    "Officials in {city_t} did not respond to a request for comment.",
    "The agreement covers {n} projects worth a combined ${n2}\u00a0million.",
    "Local residents told reporters that prices for basic goods had risen sharply — "
    "in some cases by more than {p}%.",
    "{C}’s Ministry of Economy expects growth of {p}% this year, slightly below earlier forecasts.",
    "Analysts at Halyk Finance & Freedom Broker said the figures were broadly in line with "
    "expectations.",
    "The {org} noted that {n} people had been affected, most of them in rural areas.",
    "Talks are expected to continue in {city_t} next {month}.",
    "In a statement, the ministry described the results as “encouraging but not sufficient.”",
    "Trade between the two countries reached ${n2}\u00a0million in {year}, "
    "up from the year before.",
    "The initiative is part of a broader effort to diversify the economy away from raw materials.",
    "Experts warn that without new investment, the sector could face shortages by {year2}.",
    "Representatives of {partner} visited {city_t} earlier this month to discuss the details.",
    "The government has pledged to publish a full report on {topic_l} by the end of the year.",
    "Delegates from T\u00fcrkiye and Azerbaijan also attended the meeting.",
    "Several NGOs, including the Almaty-based Adil Soz foundation, raised concerns about "
    "transparency.",
    "Under the new rules, companies will have {n} days to comply.",
)

ORGS = (
    "Ministry of Energy",
    "National Bank",
    "Statistics Bureau",
    "Ministry of Foreign Affairs",
    "Ministry of Agriculture",
    "Prosecutor General’s Office",
    "Ministry of Digital Development",
    "Agency for Strategic Planning",
    "Ministry of Transport",
)
OFFICIALS = (
    "Deputy Minister Aibek Sultanov",
    "Minister Nurlan Baibazarov",
    "Ambassador Laura Cole",
    "spokesperson Dilbar Karimova",
    "Deputy Prime Minister Serik Zhumangarin",
    "analyst Rakhim Oshakbayev",
    "economist Gulnara Ömirbek",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

BIOS: tuple[str, ...] = (
    "{name} covers politics and security in Central Asia for The Times of Central Asia.",
    "{name} is a journalist based in {city}, writing on business, energy and the environment.",
    "{name} reports on society, culture and human rights across the region.",
)

TWEETS: tuple[str, ...] = (
    "Talks concluded today in {city_t}. Important agreements signed on energy and transport.",
    "Proud to see new investment coming to the region. More details soon.",
)
