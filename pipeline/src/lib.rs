//! magvar-pipeline (being written)
