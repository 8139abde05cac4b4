"""Downloading the open data as a researcher would: each table, each format."""

from django.urls import reverse
from django.utils import translation

LANGUAGES = ["en", "es"]

# What a researcher loading each table should get: rows, and pandas dtypes.
SHAPES = {
    "stakeholders": (
        12,
        {"group": "object", "group_name": "object", "registered": "int64"},
    ),
    "participation": (
        4,
        {
            "channel": "object",
            "date": "object",
            "whole_meeting": "bool",
            "participants": "int64",
            "description": "object",
        },
    ),
    "timeline": (
        5,
        {
            "start_date": "object",
            "end_date": "object",
            "precision": "object",
            "title": "object",
            "dates": "object",
            "description": "object",
        },
    ),
    "timeline-figures": (
        10,
        {
            "event_start_date": "object",
            "order": "int64",
            "qualifier": "object",
            "value": "int64",
            "label": "object",
            "summarises_registrations": "bool",
        },
    ),
}


def url(name, snapshot, language, **kwargs):
    with translation.override(language):
        return reverse(name, kwargs={"slug": snapshot.slug, **kwargs})


def download(client, snapshot, language, dataset, file_format):
    response = client.get(
        url(
            "reviews:download",
            snapshot,
            language,
            dataset=dataset,
            file_format=file_format,
        )
    )
    assert response.status_code == 200
    return response
