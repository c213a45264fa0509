//! Load traces: CSV files and synthetic patterns, as a piecewise-constant rate over time.
