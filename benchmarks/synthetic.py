"""Synthetic area statistics for the evaluator and web benchmarks (known shape, fixed seed)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from boligmonitor.io.tables import read_raw_table
from boligmonitor.schema.area_statistics import validate_area_statistics


def area_statistics_frame(areas: int, years: range, seed: int = 7) -> pd.DataFrame:
    """Canonical area statistics of ``areas`` areas over ``years``, drifting year by year."""
    rng = np.random.default_rng(seed)
    base = {
        "labour_pct": rng.uniform(15, 55, areas),
        "crime_pct": rng.uniform(0.5, 4.0, areas),
        "education_pct": rng.uniform(30, 70, areas),
        "income_pct_of_region": rng.uniform(40, 90, areas),
        "nonwestern_pct": rng.uniform(5, 80, areas),
        "outside_labour_pct": rng.uniform(15, 55, areas),
    }
    residents = rng.integers(600, 8000, areas)
    frames = []
    for year in years:
        drift = (year - years.start) * 0.2
        frame = pd.DataFrame(
            {
                "area_id": [f"A{i:05d}" for i in range(areas)],
                "area_name": [f"Område {i}" for i in range(areas)],
                "municipality": [f"Kommune {i % 98:02d}" for i in range(areas)],
                "year": year,
                "residents": residents,
                "crime_national_pct": round(0.75 - 0.01 * (year - years.start), 3),
            }
        )
        for column, values in base.items():
            noise = rng.normal(0, 1.5, areas)
            frame[column] = np.clip(values - drift + noise, 0, 100).round(2)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def validated(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as the evaluator receives it: written, read and validated like a user's file."""
    with tempfile.TemporaryDirectory() as scratch:
        csv = Path(scratch) / "area_statistics.csv"
        frame.to_csv(csv, index=False)
        return validate_area_statistics(read_raw_table(csv))
