//! cloudwatch
