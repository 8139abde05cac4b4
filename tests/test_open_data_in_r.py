"""The CSV downloads load in R as they do in pandas: rows and column types."""

import json
import subprocess

import pytest

from .open_data import LANGUAGES, SHAPES, download

pytestmark = [pytest.mark.django_db, pytest.mark.r]

# pandas' dtypes as R's read.csv names the same column classes.
R_CLASSES = {"object": "character", "int64": "integer", "bool": "logical"}

READ = """
frame <- read.csv(commandArgs(trailingOnly = TRUE)[1], encoding = "UTF-8")
classes <- sapply(frame, class)
cat(sprintf('{"rows": %d, "columns": {%s}}', nrow(frame),
    paste(sprintf('"%s": "%s"', names(classes), classes), collapse = ", ")))
"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("dataset", list(SHAPES))
def test_r_reads_every_csv_with_its_shape_and_types(
    client, seed, rscript, tmp_path, language, dataset
):
    """read.csv gives the right rows, integer counts and logical flags."""
    path = tmp_path / f"{dataset}.csv"
    path.write_bytes(download(client, seed, language, dataset, "csv").content)
    result = subprocess.run(
        [rscript, "--vanilla", "-e", READ, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    read = json.loads(result.stdout)
    rows, dtypes = SHAPES[dataset]
    assert read["rows"] == rows
    assert read["columns"] == {
        name.replace("-", "."): R_CLASSES[dtype] for name, dtype in dtypes.items()
    }


def test_r_reads_a_missing_date_as_na(client, seed, rscript, tmp_path):
    """The whole meeting's row has no day: R says NA, not an empty text."""
    path = tmp_path / "participation.csv"
    path.write_bytes(download(client, seed, "es", "participation", "csv").content)
    script = (
        'frame <- read.csv(commandArgs(trailingOnly = TRUE)[1], encoding = "UTF-8")\n'
        "cat(all(is.na(frame$date[frame$whole_meeting])), "
        "any(is.na(frame$date[!frame$whole_meeting])))"
    )
    result = subprocess.run(
        [rscript, "--vanilla", "-e", script, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["TRUE", "FALSE"]
