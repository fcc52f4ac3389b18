//! Turning a raw message into text: header decoding and choosing the body part.
