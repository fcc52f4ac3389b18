//! The archive: parallel load, lazy bodies, search haystacks, the filter engine.
