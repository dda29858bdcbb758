//! magvar-pdfform (being written)
